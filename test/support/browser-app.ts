import { once } from 'node:events';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../server/reports/browser.js';
import { startTestApp, TEST_PASSWORD, type TestApp } from './app.js';

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

/** A new page of `context`, signed in at `base` as `username` (password TEST_PASSWORD); a script error fails the test. */
export async function signIn(context: BrowserContext, base: string, username: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${base}/login`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForLoadState('load');
  return page;
}
