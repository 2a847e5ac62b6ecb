import { once } from 'node:events';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
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

/** Checks a page with axe-core (no serious or critical violation) and for sideways scrolling, and keeps its screenshot in `dir`. */
export async function checkPage(page: Page, dir: string, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  const found = await new AxeBuilder({ page }).analyze();
  const serious = found.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect({ page: name, serious }).toEqual({ page: name, serious: [] });
  expect({ page: name, overflow: await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') }).toEqual({ page: name, overflow: 0 });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
