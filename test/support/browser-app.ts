import { once } from 'node:events';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../server/reports/browser.js';
import { startTestApp, type TestApp } from './app.js';

/** The real app on a fresh database, listening on a loopback port, and the Chromium that drives it. */
export interface BrowserApp {
  t: TestApp;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startBrowserApp(): Promise<BrowserApp> {
  const t = await startTestApp();
  const server = t.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const browser = await launchChromium(process.env.CHROMIUM_PATH);
  return {
    t,
    base,
    browser,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}
