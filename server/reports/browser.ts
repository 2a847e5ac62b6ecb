import { existsSync } from 'node:fs';
import type { Browser, LaunchOptions, Page } from 'playwright-core';

/**
 * The Chromium that prints PDFs (and that the browser tests drive). In this order: `CHROMIUM_PATH` when
 * set; Debian's `chromium` when installed; otherwise the Chromium shipped inside the npm package
 * `@sparticuz/chromium` (a dependency, so `npm install` brings it — no download at run time), unpacked
 * once into the temporary folder on first use. A fresh machine therefore prints PDFs with nothing
 * installed by hand (docs/design.md §8).
 */
export class ChromiumMissing extends Error {}

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
// Only the flags a headless print needs; the package's own list is for serverless hosts (it turns off web security).
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

let packaged: Promise<string> | undefined;

/** The executable to launch: the configured one, Debian's, or the packaged one (unpacked on first call). */
export async function chromiumExecutable(configured?: string): Promise<string> {
  if (configured) return configured;
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  packaged ??= import('@sparticuz/chromium').then((m) => m.default.executablePath());
  try {
    return await packaged;
  } catch (error) {
    packaged = undefined;
    throw new ChromiumMissing(`the Chromium of the npm package @sparticuz/chromium could not be unpacked: ${(error as Error).message}`);
  }
}

/** Launches headless Chromium; a Chromium that cannot start is a ChromiumMissing naming the executable. */
export async function launchChromium(configured?: string, options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = await chromiumExecutable(configured);
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch({ headless: true, ...options, executablePath, args: [...ARGS, ...(options.args ?? [])] });
  } catch (error) {
    throw new ChromiumMissing(`Chromium could not start from ${executablePath}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** How long the printing browser stays up after its last print: the next PDF is then sent without a launch. */
const PRINTER_IDLE_MS = 30_000;
let printer: { browser: Promise<Browser>; executable: string | undefined; pages: number; idle?: NodeJS.Timeout } | undefined;

/**
 * Runs `work` on a fresh page of the browser that prints PDFs, launching it on first use. One browser serves
 * every print (a launch is most of the time a one-unit profile takes); it closes once idle, or at
 * `closePrinter`, and a browser that crashed is launched again by the next print.
 */
export async function withPrintingPage<T>(configured: string | undefined, viewport: { width: number; height: number }, work: (page: Page) => Promise<T>): Promise<T> {
  if (!printer || printer.executable !== configured) {
    void closePrinter();
    const browser = launchChromium(configured);
    const current = { browser, executable: configured, pages: 0 };
    printer = current;
    browser.then((b) => b.on('disconnected', () => printer === current && (printer = undefined)), () => printer === current && (printer = undefined));
  }
  const current = printer;
  clearTimeout(current.idle);
  current.pages++;
  try {
    const context = await (await current.browser).newContext({ viewport });
    try {
      return await work(await context.newPage());
    } finally {
      await context.close();
    }
  } finally {
    if (--current.pages === 0 && printer === current) current.idle = setTimeout(() => void closePrinter(), PRINTER_IDLE_MS);
  }
}

/** Closes the printing browser (the app's shutdown and the command line call it; a print launches another). */
export async function closePrinter(): Promise<void> {
  const closing = printer;
  printer = undefined;
  if (!closing) return;
  clearTimeout(closing.idle);
  await closing.browser.then((b) => b.close(), () => undefined);
}
