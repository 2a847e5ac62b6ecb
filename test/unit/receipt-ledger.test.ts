import { createHash } from 'node:crypto';
import { ReceiptLedger } from '../../server/responses/bulletin.js';

const digest = (text: string) => createHash('sha256').update(text).digest();
const hex = (text: string) => digest(text).toString('hex');

test('each receipt is taken once, by an envelope with that digest; the ledger is complete when none is left', () => {
  const ledger = new ReceiptLedger([hex('a'), hex('b'), hex('a')]);
  expect(ledger.take(digest('c'))).toBe(false);
  expect(ledger.take(digest('a'))).toBe(true);
  expect(ledger.take(digest('b'))).toBe(true);
  expect(ledger.complete).toBe(false);
  expect(ledger.take(digest('a'))).toBe(true); // listed twice: two envelopes may take it
  expect(ledger.complete).toBe(true);
  expect(ledger.take(digest('a'))).toBe(false);
  expect(ledger.take(digest('b'))).toBe(false);
});

test('a receipt that is not 64 hex digits matches nothing and stays left', () => {
  const ledger = new ReceiptLedger([hex('a'), hex('b').toUpperCase(), 'not a receipt']);
  expect(ledger.take(digest('a'))).toBe(true);
  expect(ledger.take(digest('b'))).toBe(false);
  expect(ledger.complete).toBe(false);
});

test('thousands of receipts sharing their first four bytes are still told apart', () => {
  // Digests with one prefix all land in one run of the table: every lookup walks it to the right one.
  const same = Array.from({ length: 3000 }, (_, i) => Buffer.concat([Buffer.from('ddci'), digest(String(i)).subarray(4)]));
  const ledger = new ReceiptLedger(same.map((d) => d.toString('hex')));
  for (const d of [...same].reverse()) expect(ledger.take(d)).toBe(true);
  expect(ledger.complete).toBe(true);
  expect(ledger.take(same[0]!)).toBe(false);
});

test('an empty bulletin is complete at once and takes nothing', () => {
  const ledger = new ReceiptLedger([]);
  expect(ledger.complete).toBe(true);
  expect(ledger.take(digest('a'))).toBe(false);
});
