import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { transition } from '../../server/workflow/index.js';
import { ENVELOPE_TAG } from '../../server/sealing/envelope.js';
import { Browser, startTestApp, type TestApp } from '../support/app.js';
import { queryRows } from '../support/database.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import { answerUnit, startSurvey } from '../support/survey.js';

/**
 * The linking attack of a database operator (issue 14), run on PGlite and on PostgreSQL: someone who can
 * read every table and system column (xmin, ctid), at any moment — here after every single submission and
 * again after close — tries to tie each business's invitation to its stored response. The ground truth is
 * what each respondent was given: the receipt, SHA-256 of the stored envelope. The attack must find nothing
 * better than chance within the mixing batch (the whole campaign).
 */
let t: TestApp;
let fw: FieldworkCampaign;
const SUBMISSIONS = 40;

interface Flag { invitation: string; unit: string; xmin: string }
interface Pending { id: string; xmin: string; ctid: string; sealed: Buffer }
interface Stored { id: string; xmin: string; ctid: string; envelope: Buffer }

/** What the operator sees, read with plain SQL (system columns included). */
const flags = () =>
  queryRows<Flag>(t.db, sql`select iu.invitation_id as invitation, iu.unit_code as unit, iu.xmin::text as xmin
    from invitation_units iu join invitations i on i.id = iu.invitation_id where i.campaign_id = ${fw.campaignId} and iu.status = 'answered'`);
const pending = () => queryRows<Pending>(t.db, sql`select id, xmin::text as xmin, ctid::text as ctid, sealed from pending_responses where campaign_id = ${fw.campaignId}`);
const stored = () => queryRows<Stored>(t.db, sql`select id, xmin::text as xmin, ctid::text as ctid, envelope from responses where campaign_id = ${fw.campaignId}`);
const bytesOf = (b: unknown) => (Buffer.isBuffer(b) ? b : Buffer.from(b as Uint8Array));

/** Ground truth: invitation → receipt of its response; and, in order, what the operator observed. */
const truth = new Map<string, string>();
const order: string[] = [];
/** Per invitation: the pending row written with its flag (same transaction id) and every byte seen there. */
const sameTransaction = new Map<string, Pending>();
const seenPendingBytes: Buffer[] = [];

beforeAll(async () => {
  t = await startTestApp();
  fw = await campaignInFieldwork(t.db, 'Liên kết', ['SXD', 'STC', 'SCT', 'HCL', 'HLB'], { perUnit: 30, design: { minPerUnit: 14, maxPerUnit: 14 } });
  if (fw.invitations.length < SUBMISSIONS) throw new Error(`only ${fw.invitations.length} invitations`);
  const known = new Set<string>();
  for (const invitation of fw.invitations.slice(0, SUBMISSIONS)) {
    const browser = new Browser(t.app);
    await startSurvey(browser, invitation.code);
    const { res } = await answerUnit(browser, invitation.units[0]!);
    if (res.status !== 303) throw new Error(`answer: ${res.status}`);
    truth.set(invitation.id, /data-receipt="([0-9a-f]{64})"/.exec((await browser.get(res.headers.location!)).text)![1]!);

    // The operator polls after every submission.
    const rows = await pending();
    for (const row of rows) seenPendingBytes.push(bytesOf(row.sealed));
    for (const flag of await flags()) {
      if (known.has(flag.invitation)) continue;
      known.add(flag.invitation);
      order.push(flag.invitation);
      const match = rows.find((p) => p.xmin === flag.xmin);
      if (match) sameTransaction.set(flag.invitation, { ...match, sealed: bytesOf(match.sealed) });
    }
  }
  const closed = await transition(t.db, fw.admin, fw.campaignId, 'closed', { mixKey: t.mixKey });
  if (!closed.ok) throw new Error('close');
}, 300_000);
afterAll(() => t.close());

const receiptOf = (row: Stored) => createHash('sha256').update(bytesOf(row.envelope)).digest('hex');

test('the operator does see which pending row each flag was written with (one transaction) — and that row leads nowhere', async () => {
  expect(order).toHaveLength(SUBMISSIONS);
  expect(sameTransaction.size).toBe(SUBMISSIONS); // the premise of the attack holds
  const rows = await stored();
  expect(rows).toHaveLength(SUBMISSIONS);
  // Ids: the stored row has a fresh one.
  const ids = new Set(rows.map((r) => r.id));
  expect([...sameTransaction.values()].filter((p) => ids.has(p.id))).toEqual([]);
  // Bytes: no stored envelope, nor its ephemeral public key, nor its receipt, appears in any pending row seen.
  const keyAt = 1 + Buffer.byteLength(ENVELOPE_TAG);
  for (const row of rows) {
    const envelope = bytesOf(row.envelope);
    const ephemeral = envelope.subarray(keyAt, keyAt + 32);
    expect(seenPendingBytes.some((b) => b.includes(ephemeral))).toBe(false);
    expect(seenPendingBytes.some((b) => b.includes(Buffer.from(receiptOf(row), 'hex')))).toBe(false);
  }
});

test('after close, nothing tells the stored responses apart: one transaction, one length, no unit, an order unrelated to the submissions', async () => {
  const rows = await stored();
  expect(new Set(rows.map((r) => r.xmin)).size).toBe(1);
  expect(new Set(rows.map((r) => bytesOf(r.envelope).length)).size).toBe(1);
  const named = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from responses where campaign_id = ${fw.campaignId} and (unit_code is not null or questionnaire is not null or mode is not null)`);
  expect(named[0]!.n).toBe(0);
  // Lengths of the pending rows are one length too: they single nobody out either.
  expect(new Set(seenPendingBytes.map((b) => b.length)).size).toBe(1);

  // The best remaining guess, physical order against submission order, does no better than chance:
  // a random permutation of 40 has on average one fixed point; 8 or more has probability about 1e-5.
  const byPlace = [...rows].sort((a, b) => ctid(a.ctid) - ctid(b.ctid)).map(receiptOf);
  const correct = order.filter((invitation, i) => truth.get(invitation) === byPlace[i]).length;
  expect(correct).toBeLessThan(8);
  // And so does the reverse order.
  const reversed = order.filter((invitation, i) => truth.get(invitation) === byPlace[byPlace.length - 1 - i]).length;
  expect(reversed).toBeLessThan(8);
});

test('every invitation’s candidates are the whole batch: the attack links no one', async () => {
  const rows = await stored();
  // The operator's candidates for an invitation: stored rows agreeing with everything observable about its
  // pending row (transaction of the move, length after the mixing layer, unit where a row names it).
  const overhead = 12 + 16; // the mixing layer's nonce and tag
  for (const [invitation, p] of sameTransaction) {
    const candidates = rows.filter((r) => bytesOf(r.envelope).length === p.sealed.length - overhead);
    expect({ invitation, candidates: candidates.length }).toEqual({ invitation, candidates: SUBMISSIONS });
  }
});

const ctid = (text: string) => {
  const [page, item] = text.replace(/[()]/g, '').split(',').map(Number);
  return page! * 10_000 + item!;
};
