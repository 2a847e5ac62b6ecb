import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import path from 'node:path';
import { fromRoot } from '../../server/paths.js';
import { createAccount } from '../support/app.js';
import { signIn, startBrowserApp, type BrowserApp } from '../support/browser-app.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';

/**
 * Invitation letters as the province prints them (issue 23): the letters page in Chromium, with the app's
 * strict CSP, printed to A4 — one letter, one page, each page holding its own business's access code and
 * link; no stylesheet refused. The PDF and a rendered page are kept in test-artifacts/letters/.
 */
const artifacts = fromRoot('test-artifacts', 'letters');
// jsqr is CommonJS with an ES-style `default` in its types: Node's import gives module.exports, which carries it too.
const jsQR = jsqr.default;
let app: BrowserApp;
let fw: FieldworkCampaign;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  app = await startBrowserApp();
  fw = await campaignInFieldwork(app.t.db, 'Lạng Sơn', ['SXD', 'STC', 'SCT', 'SYT', 'HCL', 'HLB', 'HDD', 'HVL'], { stopAt: 'sampling', perUnit: 40, design: { minPerUnit: 20, maxPerUnit: 20 } });
}, 180_000);
afterAll(() => app?.close());

test('a batch of 100 letters prints on exactly 100 A4 pages, each with its own access code, styled with no CSP refusal', async () => {
  expect(fw.invitations.length).toBeGreaterThanOrEqual(100);
  const admin = await createAccount(app.t.db, 'admin');
  const context = await app.browser.newContext({ locale: 'vi-VN' });
  const refused: string[] = [];
  context.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  const page = await signIn(context, app.base, admin.username);
  const res = await page.goto(`${app.base}/campaigns/${fw.campaignId}/invitations/letters?page=0`);
  expect(res!.status()).toBe(200);
  await page.evaluate('document.fonts.ready');
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
  const file = path.join(artifacts, 'letters-100.pdf');
  writeFileSync(file, pdf);
  await context.close();
  expect(refused).toEqual([]);

  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  expect(pages).toBe(100);
  // Page by page: the letter's own code (as printed, XXXX-XXXX-XXXX) and the survey link.
  const codes = new Set(fw.invitations.map((i) => i.code));
  const seen = new Set<string>();
  for (let p = 1; p <= pages; p++) {
    const text = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), '-layout', file, '-'], { encoding: 'utf8' });
    // The code is printed letter-spaced, which text extraction reads as spaces between its symbols.
    const compact = text.replace(/\s+/g, '');
    const onPage = [...codes].filter((c) => compact.includes(`Mãtruycập:${c}`) && compact.includes(`/survey?code=${c}`));
    expect({ page: p, codes: new Set(onPage).size }).toEqual({ page: p, codes: 1 });
    seen.add(onPage[0]!);
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Nơi nhận');
  }
  expect(seen.size).toBe(100);
  // The QR codes, read from the printed pages as a phone's camera would read them (150 dpi), lead to each letter's own link.
  for (const p of [1, 50, 100]) {
    execFileSync('pdftoppm', ['-f', String(p), '-l', String(p), '-r', '150', '-singlefile', '-png', file, path.join(artifacts, `letter-${p}`)]);
    const image = PNG.sync.read(readFileSync(path.join(artifacts, `letter-${p}.png`)));
    const qr = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
    const text = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect({ page: p, decoded: Boolean(qr) }).toEqual({ page: p, decoded: true });
    const code = /code=([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})$/.exec(qr!.data)?.[1];
    expect(code && text.includes(`Mãtruycập:${code}`)).toBe(true);
  }
}, 300_000);
