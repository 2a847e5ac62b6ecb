import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../server/db/client.js';
import { transition } from '../../server/workflow/index.js';
import { Browser, startTestApp, type TestApp } from '../support/app.js';
import { queryRows, type TestDatabase } from '../support/database.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { answerUnit, startSurvey } from '../support/survey.js';

/**
 * The statement-log attack (issue 21): the operator logs every statement the app runs, with every
 * parameter in full and every statement's duration, on a PostgreSQL cluster of the test's own
 * (`log_statement=all`, `log_parameter_max_length=-1`, `log_min_duration_statement=0`, the transaction id in
 * each line), and reads every table live during fieldwork and close. From the log alone each submission's
 * statement names its invitation and its pending row. The attacker then tries every linker we could think
 * of to tie those to the stored responses written at close: the order pending ids appear in the close's
 * statements (read order), submission order, each reversed, statement durations, physical order, shared
 * values, lengths. The ground truth is what each respondent was given, the receipt = SHA-256 of its stored
 * envelope.
 *
 * Under the null hypothesis (the stored order is a uniformly random permutation, independent of the log)
 * the correct links of any fixed guess are the fixed points of a random permutation of 200: Poisson(1) in
 * the limit, P(≥ 8) ≈ 1.0e-5 each, so P(any of the 6 ordered linkers ≥ 8) < 1e-4. The mixer of before
 * (chunks read `where id in (…)` in the shuffled order, inserted in that order) is linked 200 of 200 by the
 * first linker.
 */
const SUBMISSIONS = 200;
const CHANCE_LIMIT = 8;

let cluster: PrivatePostgres;
let t: TestApp;
let fw: FieldworkCampaign;
/** invitation → its receipt, as the respondent's page gave it. */
const truth = new Map<string, string>();
/** What the operator saw of the tables while the close ran, from a connection of its own. */
const liveDuringClose: { pending: number; stored: number }[] = [];

interface LogEntry { pid: string; xid: string; text: string; params: string[]; durationMs?: number }

beforeAll(async () => {
  cluster = startPrivatePostgres({
    log_statement: 'all',
    log_parameter_max_length: '-1',
    log_min_duration_statement: '0',
    log_line_prefix: "'%m [%p] %x '",
    log_destination: 'stderr',
  });
  const database = await openDatabase({ url: cluster.url });
  await database.migrate();
  t = await startTestApp({}, { database: { ...database, env: { DATABASE_URL: cluster.url } } as TestDatabase });
  const units = ['SXD', 'STC', 'SCT', 'SYT', 'HCL', 'HLB', 'HDD', 'HVL'];
  fw = await campaignInFieldwork(t.db, 'Nhật ký', units, { perUnit: 40, design: { minPerUnit: 30, maxPerUnit: 30 } });
  if (fw.invitations.length < SUBMISSIONS) throw new Error(`only ${fw.invitations.length} invitations`);
  // Submissions arrive a few at a time, as they do in the field.
  const invitations = fw.invitations.slice(0, SUBMISSIONS);
  for (let from = 0; from < invitations.length; from += 4) {
    await Promise.all(
      invitations.slice(from, from + 4).map(async (invitation) => {
        const browser = new Browser(t.app);
        await startSurvey(browser, invitation.code);
        const { res } = await answerUnit(browser, invitation.units[0]!);
        if (res.status !== 303) throw new Error(`answer: ${res.status}`);
        truth.set(invitation.id, /data-receipt="([0-9a-f]{64})"/.exec((await browser.get(res.headers.location!)).text)![1]!);
      }),
    );
  }
  // The operator reads the tables from its own connection while the close runs.
  const watcher = await openDatabase({ url: cluster.url });
  let closing = true;
  const watching = (async () => {
    while (closing) {
      const [row] = await queryRows<{ pending: number; stored: number }>(
        watcher.db,
        sql`select (select count(*) from pending_responses)::int as pending, (select count(*) from responses)::int as stored`,
      );
      liveDuringClose.push(row!);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  try {
    const closed = await transition(t.db, fw.admin, fw.campaignId, 'closed', { mixKey: t.mixKey });
    if (!closed.ok) throw new Error('close');
  } finally {
    closing = false;
    await watching;
    await watcher.close();
  }
}, 600_000);

afterAll(async () => {
  await t?.close();
  cluster?.destroy();
});

/** The server log, an entry per logged line group, with its parameters (`DETAIL: parameters: $1 = '…', …`). */
function readLog(): LogEntry[] {
  const prefix = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \S+ \[(\d+)\] (\d+) (LOG|DETAIL|ERROR|STATEMENT|WARNING|NOTICE|HINT|CONTEXT|FATAL):\s+/;
  const entries: LogEntry[] = [];
  let current: { pid: string; xid: string; kind: string; text: string } | null = null;
  const flush = () => {
    if (!current) return;
    if (current.kind === 'DETAIL' && current.text.startsWith('parameters:') && entries.length) entries[entries.length - 1]!.params.push(...parameters(current.text));
    else if (current.kind === 'LOG') {
      const duration = /^duration: ([\d.]+) ms/.exec(current.text);
      entries.push({ pid: current.pid, xid: current.xid, text: current.text, params: [], ...(duration ? { durationMs: Number(duration[1]) } : {}) });
    }
    current = null;
  };
  for (const line of readFileSync(cluster.logFile, 'utf8').split('\n')) {
    const match = prefix.exec(line);
    if (match) {
      flush();
      current = { pid: match[1]!, xid: match[2]!, kind: match[3]!, text: line.slice(match[0].length) };
    } else if (current) current.text += '\n' + line;
  }
  flush();
  return entries;
}

/** `$1 = 'a', $2 = NULL, …` → the values, quotes undone. */
function parameters(detail: string): string[] {
  const values: string[] = [];
  const re = /\$\d+ = (?:'((?:[^']|'')*)'|NULL)/g;
  for (let m = re.exec(detail); m; m = re.exec(detail)) values.push((m[1] ?? '').replace(/''/g, "'"));
  return values;
}

const receiptOfHex = (hex: string) => createHash('sha256').update(Buffer.from(hex.slice(2), 'hex')).digest('hex');

/** Everything the attacker extracts from the log. */
function observe() {
  const log = readLog();
  const invitationIds = new Set(truth.keys());
  // Statements as log_statement logs them (durations are logged apart, per phase).
  const statements = log.map((entry, index) => ({ ...entry, index })).filter((e) => /^(execute|statement)\b/.test(e.text));
  const durationAfter = (index: number, pid: string) => log.slice(index + 1).find((e) => e.pid === pid && e.durationMs !== undefined)?.durationMs ?? 0;
  // Submissions: statements writing a pending row, naming an invitation among their parameters.
  const submissions: { invitation: string; pendingId: string; sealedLength: number; durationMs: number; index: number }[] = [];
  for (const entry of statements) {
    if (!entry.text.includes('insert into "pending_responses"')) continue;
    const invitation = entry.params.find((p) => invitationIds.has(p));
    const sealed = entry.params.find((p) => p.startsWith('\\x'));
    if (!invitation || !sealed) continue;
    // The pending id: the one parameter shaped like an id that is neither the invitation nor the campaign.
    const pendingId = entry.params.find((p) => /^[\w-]{21}$/.test(p) && p !== invitation && p !== fw.campaignId)!;
    submissions.push({ invitation, pendingId, sealedLength: (sealed.length - 2) / 2, durationMs: durationAfter(entry.index, entry.pid), index: entry.index });
  }
  const pendingIds = new Set(submissions.map((s) => s.pendingId));
  // The close: its statements from its first read of the pending rows after the last submission (the
  // respondents' last pages may still be logged around it). Stored envelopes in the order they were inserted.
  const lastSubmission = Math.max(...submissions.map((s) => s.index));
  const after = statements.filter((e) => e.index > lastSubmission);
  const close = after.slice(after.findIndex((e) => e.text.includes('"pending_responses"')));
  const inserted: { receipt: string; length: number; id: string }[] = [];
  for (const entry of close) {
    if (!entry.text.includes('insert into "responses"')) continue;
    entry.params.forEach((value, i) => {
      const id = entry.params.slice(0, i).reverse().find((p) => /^[\w-]{21}$/.test(p) && p !== fw.campaignId) ?? '';
      if (value.startsWith('\\x')) inserted.push({ receipt: receiptOfHex(value), length: (value.length - 2) / 2, id });
    });
  }
  // The order the close named pending ids in (its reads), then the rest in id order.
  const named: string[] = [];
  for (const entry of close) for (const value of [entry.text, ...entry.params]) for (const id of pendingIds) if (value.includes(id) && !named.includes(id)) named.push(id);
  const readOrder = [...named, ...[...pendingIds].filter((id) => !named.includes(id)).sort()];
  return { submissions, inserted, readOrder, close };
}

test('the statement log names each submission’s invitation and pending row (the premise of the attack), and every stored envelope', () => {
  const { submissions, inserted } = observe();
  expect(submissions).toHaveLength(SUBMISSIONS);
  expect(new Set(submissions.map((s) => s.invitation)).size).toBe(SUBMISSIONS);
  expect(inserted).toHaveLength(SUBMISSIONS);
  // The inserted envelopes are exactly the respondents' receipts: the attacker sees every stored envelope.
  expect(new Set(inserted.map((r) => r.receipt))).toEqual(new Set(truth.values()));
});

test('no linker does better than chance: read order, submission order, each reversed, durations, physical order', async () => {
  const { submissions, inserted, readOrder } = observe();
  const place = new Map(inserted.map((r, i) => [r.receipt, i]));
  const truePlace = (invitation: string) => place.get(truth.get(invitation)!)!;
  const byPending = new Map(submissions.map((s) => [s.pendingId, s]));
  const n = inserted.length;
  /** A linker guesses, for each invitation, the place of its stored response. */
  const correct = (guess: (invitation: string) => number) => submissions.filter((s) => guess(s.invitation) === truePlace(s.invitation)).length;
  const readRank = new Map(readOrder.map((id, i) => [byPending.get(id)!.invitation, i]));
  const submitRank = new Map(submissions.map((s, i) => [s.invitation, i]));
  const durationRank = new Map([...submissions].sort((a, b) => a.durationMs - b.durationMs).map((s, i) => [s.invitation, i]));
  const stored = await queryRows<{ envelope: Buffer; ctid: string }>(t.db, sql`select envelope, ctid::text as ctid from responses where campaign_id = ${fw.campaignId}`);
  const physical = stored
    .map((r) => ({ receipt: createHash('sha256').update(Buffer.from(r.envelope)).digest('hex'), at: ctidOrder(r.ctid) }))
    .sort((a, b) => a.at - b.at)
    .map((r) => place.get(r.receipt)!);
  const linkers: Record<string, (invitation: string) => number> = {
    'read order': (i) => readRank.get(i)!,
    'read order reversed': (i) => n - 1 - readRank.get(i)!,
    'submission order': (i) => submitRank.get(i)!,
    'submission order reversed': (i) => n - 1 - submitRank.get(i)!,
    'statement duration': (i) => durationRank.get(i)!,
    'physical order against submission order': (i) => physical[submitRank.get(i)!]!,
  };
  const found = Object.fromEntries(Object.entries(linkers).map(([name, guess]) => [name, correct(guess)]));
  console.log(`statement-log linkers, correct links of ${n} (chance: about 1, limit ${CHANCE_LIMIT}):`, found);
  for (const [name, links] of Object.entries(found)) expect({ name, below: links < CHANCE_LIMIT }).toEqual({ name, below: true });
});

test('nothing written at close repeats a value of a submission, and lengths single nobody out', () => {
  const { submissions, inserted, close } = observe();
  const pendingIds = new Set(submissions.map((s) => s.pendingId));
  expect(inserted.filter((r) => pendingIds.has(r.id))).toEqual([]);
  // No invitation id appears in any statement of the close.
  const invitations = [...truth.keys()];
  expect(close.filter((e) => invitations.some((id) => e.text.includes(id) || e.params.includes(id)))).toEqual([]);
  expect(new Set(submissions.map((s) => s.sealedLength)).size).toBe(1);
  expect(new Set(inserted.map((r) => r.length)).size).toBe(1);
  // The tables read live while the close ran showed all pending or all stored, never a part.
  expect(liveDuringClose.length).toBeGreaterThan(0);
  for (const seen of liveDuringClose) expect([{ pending: SUBMISSIONS, stored: 0 }, { pending: 0, stored: SUBMISSIONS }]).toContainEqual(seen);
});

const ctidOrder = (text: string) => {
  const [page, item] = text.replace(/[()]/g, '').split(',').map(Number);
  return page! * 10_000 + item!;
};
