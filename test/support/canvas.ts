import type { Page } from 'playwright-core';

/** How many painted pixels each canvas of the page has (a chart that drew nothing has none). */
export async function inkedCanvases(page: Page): Promise<number[]> {
  // Evaluated in the page (a string: this project's TypeScript has no DOM types).
  return (await page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => {
    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) ink++;
    return ink;
  })`)) as number[];
}
