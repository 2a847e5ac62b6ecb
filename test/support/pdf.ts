/**
 * The page (from 1) of every entry of a PDF's outline, by its title without whitespace, as pdf.js (Firefox's PDF
 * reader, not the library that wrote the outline) reads it; the first entry of a title wins.
 */
export async function outlinePages(pdf: Buffer): Promise<Map<string, number>> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, verbosity: 0 }).promise;
  const pages = new Map<string, number>();
  type Item = { title: string; dest: string | unknown[] | null; items: Item[] };
  const walk = async (items: Item[]) => {
    for (const item of items) {
      const dest = typeof item.dest === 'string' ? await document.getDestination(item.dest) : item.dest;
      const ref = dest?.[0] as Parameters<typeof document.getPageIndex>[0] | undefined;
      const title = item.title.replace(/\s+/g, '');
      if (ref && !pages.has(title)) pages.set(title, (await document.getPageIndex(ref)) + 1);
      await walk(item.items);
    }
  };
  await walk(((await document.getOutline()) ?? []) as Item[]);
  await document.destroy();
  return pages;
}
