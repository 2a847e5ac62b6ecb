import { existsSync } from 'node:fs';
import type { Browser, LaunchOptions } from 'playwright-core';

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
