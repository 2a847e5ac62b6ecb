import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, rgb, StandardFonts } from 'pdf-lib';

/**
 * A line of a printed document's contents, as the browser laid it out: the id of the heading it points to,
 * its title and level (1 for sections, 2 within them), the size of its type and the height of its last row's
 * baseline above the bottom of its link, in points, and its colour (red, green, blue from 0 to 1).
 */
export interface ContentsLine {
  target: string;
  title: string;
  level: number;
  fontSize: number;
  baseline: number;
  color: number[];
}

/**
 * Completes a report printed once, untagged (docs/design.md §8): each contents line gets the page its heading
 * fell on, written at the right end of the line's link, and the PDF gets an outline (bookmarks) of the same
 * lines. Chromium writes a named destination for every link target and a link annotation for every link, so the
 * page of a heading and the box of its contents line are both read off the PDF itself; the contents hold the
 * first link to each heading. A second print to fill in the numbers, or a tagged one for the outline, would
 * double the time the 60-unit report takes.
 */
export async function completeContents(pdf: Uint8Array, lines: readonly ContentsLine[]): Promise<Uint8Array> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  const pages = document.getPages();
  const pageOf = new Map(pages.map((page, index) => [page.ref.toString(), index]));
  const destinations = document.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  const destination = (target: string) => destinations?.lookupMaybe(PDFName.of(target), PDFArray);

  const firstLink = new Map<string, { page: number; rect: number[] }>();
  pages.forEach((page, index) => {
    const annotations = page.node.Annots();
    for (let i = 0; annotations && i < annotations.size(); i++) {
      const link = annotations.lookup(i, PDFDict);
      const target = destinationName(link);
      const rect = link.lookupMaybe(PDFName.of('Rect'), PDFArray);
      if (target && rect && !firstLink.has(target)) firstLink.set(target, { page: index, rect: rect.asArray().map((n) => (n as PDFNumber).asNumber()) });
    }
  });

  const font = await document.embedFont(StandardFonts.Helvetica);
  const entries: { line: ContentsLine; at: PDFArray }[] = [];
  for (const line of lines) {
    const at = destination(line.target);
    const link = firstLink.get(line.target);
    const pageRef = at?.get(0);
    if (!at || !link || !(pageRef instanceof PDFRef)) throw new Error(`the printed contents have no link to or heading "${line.target}"`);
    const number = String(pageOf.get(pageRef.toString())! + 1);
    const [, bottom = 0, right = 0] = link.rect;
    pages[link.page]!.drawText(number, {
      x: right - font.widthOfTextAtSize(number, line.fontSize),
      y: bottom + line.baseline,
      size: line.fontSize,
      font,
      color: rgb(line.color[0] ?? 0, line.color[1] ?? 0, line.color[2] ?? 0),
    });
    entries.push({ line, at });
  }
  addOutline(document, entries);
  return document.save();
}

/** The named destination a link annotation goes to, as Chromium writes it (`/Dest /name` or a GoTo action). */
function destinationName(annotation: PDFDict): string | undefined {
  const action = annotation.lookupMaybe(PDFName.of('A'), PDFDict);
  const dest = annotation.get(PDFName.of('Dest')) ?? action?.get(PDFName.of('D'));
  if (dest instanceof PDFName) return dest.decodeText();
  if (dest instanceof PDFString || dest instanceof PDFHexString) return dest.decodeText();
  return undefined;
}

/** The PDF outline: level-2 lines nest under the level-1 line before them, all open; the viewer opens with it shown. */
function addOutline(document: PDFDocument, entries: readonly { line: ContentsLine; at: PDFArray }[]) {
  type Item = { title: string; at: PDFArray; children: Item[] };
  const tree: Item[] = [];
  for (const { line, at } of entries) {
    const item = { title: line.title, at, children: [] };
    const parent = tree.at(-1);
    if (line.level > 1 && parent) parent.children.push(item);
    else tree.push(item);
  }
  if (!tree.length) return;
  const { context } = document;
  // Writes `items` under `parent`; returns how many items are shown under it, at every depth.
  const write = (items: readonly Item[], parentRef: PDFRef, parent: PDFDict): number => {
    const refs = items.map(() => context.nextRef());
    let shown = 0;
    items.forEach((item, i) => {
      const dict = context.obj({ Title: PDFHexString.fromText(item.title), Dest: item.at, Parent: parentRef });
      if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1]!);
      if (i < items.length - 1) dict.set(PDFName.of('Next'), refs[i + 1]!);
      shown += 1 + (item.children.length ? write(item.children, refs[i]!, dict) : 0);
      context.assign(refs[i]!, dict);
    });
    parent.set(PDFName.of('First'), refs[0]!);
    parent.set(PDFName.of('Last'), refs.at(-1)!);
    parent.set(PDFName.of('Count'), PDFNumber.of(shown));
    return shown;
  };
  const root = context.obj({ Type: 'Outlines' });
  const rootRef = context.register(root);
  write(tree, rootRef, root);
  document.catalog.set(PDFName.of('Outlines'), rootRef);
  document.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}
