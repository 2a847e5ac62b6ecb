/**
 * Form submissions under load (issues 5, 14, 20): for SECONDS (default 60) on loopback, on a PostgreSQL
 * server, target ≥ 0.4 of the rate of a bare Express endpoint that stores the form with one INSERT (same
 * process, same run), p99 < 50 ms at 32 connections and zero errors — and p99 steady: after the first
 * (warm-up) 10-second window, no window's p99 above 3× their median, the last not above 1.5× the second.
 * Every request is a different business's form for a unit (valid random answers, its own nonce), sealed
 * and stored for real.
 * Run: npm run bench:submissions [-- SECONDS]   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test;
 * BENCH_BUSINESSES per unit, default 1,000: enough forms for 60 s at 1,000 a second — past them forms are sent again,
 * retries answered with their receipt and stored once)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { addUnit, createCampaign, setCommittee, setCommitteeMembers } from '../../server/campaigns/index.js';
import { transition } from '../../server/workflow/index.js';
import { createStaff, type StaffPrincipal } from '../../server/auth/index.js';
import { findStaffByUsername } from '../../server/auth/queries.js';
import { openDatabase } from '../../server/db/client.js';
import { generateInvitations } from '../../server/invitations/service.js';
import { createLogger } from '../../server/logger.js';
import { answerSchema, shippedCatalog } from '../../server/questionnaires/index.js';
import { randomAnswers, seededRandom, type AnswerSchema } from '../../server/responses/simulate.js';
import { accessCodeFor, codeKeys, formatCode } from '../../server/sampling/access-codes.js';
import { DEFAULT_DESIGN } from '../../server/sampling/design.js';
import { freezeFrame, startFrameImport } from '../../server/sampling/frame-import.js';
import { commitSeed, drawCampaignSample, saveDesign } from '../../server/sampling/plan.js';
import { createKeysForMember } from '../../server/sealing/index.js';
import { fromRoot } from '../../server/paths.js';
import { formBody } from '../support/app.js';
import { blockOf } from '../support/fieldwork.js';
import { smallFrameCsv } from '../support/sampling.js';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SECONDS = Number(process.argv[2] ?? 60);
/** Businesses per unit, all invited (BENCH_BUSINESSES; the suite's small run uses a few). */
const BUSINESSES = Number(process.env.BENCH_BUSINESSES ?? 1000);
const WINDOW_MS = 10_000;
const CONNECTIONS = 32;
/** Linux's USER_HZ: the unit of /proc/<pid>/stat's times. */
const CLOCK_TICKS = 100;
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const name = `ddci_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(base);
url.pathname = '/' + name;
const secrets = { SESSION_SECRET: randomBytes(32).toString('hex'), HMAC_SECRET: randomBytes(32).toString('hex') };
const log = (line: string) => process.stdout.write(line + '\n');

// A campaign in fieldwork with 60 units × BUSINESSES businesses, all invited (census).
const database = await openDatabase({ url: url.toString() });
await database.migrate();
const { db } = database;
const units = Array.from({ length: 60 }, (_, i) => (i < 40 ? `S${String(i).padStart(2, '0')}` : `H${String(i).padStart(2, '0')}`));
const must = <T>(r: { ok: true; value: T } | { ok: false; error: { key: string } }): T => {
  if (!r.ok) throw new Error(r.error.key);
  return r.value;
};
const staff = async (username: string, role: 'admin' | 'chair' | 'member'): Promise<StaffPrincipal> => {
  if (!(await createStaff(db, 'bench', { username, displayName: username, role })).ok) throw new Error('staff');
  return { ...(await findStaffByUsername(db, username))!, role };
};
const boss = await staff('bench-admin', 'admin');
const campaignId = must(await createCampaign(db, boss.username, { province: 'Bench', year: 2026, title: 'Bench' }));
for (const code of units) must(await addUnit(db, boss.username, campaignId, { code, block: blockOf(code), nameVi: code, nameEn: code }));
must(await setCommittee(db, boss.username, campaignId, { size: 3, threshold: 2 }));
const members = [await staff('bench-chair', 'chair'), await staff('bench-m1', 'member'), await staff('bench-m2', 'member')];
for (const m of members) must(await createKeysForMember(db, m, 'bench passphrase, long enough'));
must(await setCommitteeMembers(db, boss.username, campaignId, members.map((m) => m.username)));
must(await transition(db, boss, campaignId, 'sampling'));
const frame = path.join(mkdtempSync(path.join(tmpdir(), 'ddci-bench-')), 'frame.csv');
writeFileSync(frame, smallFrameCsv(units, BUSINESSES));
const imported = must(await startFrameImport(db, createLogger('warn'), boss.username, campaignId, { path: frame, name: 'frame.csv', size: statSync(frame).size }));
await imported.done;
must(await freezeFrame(db, boss.username, campaignId));
must(await saveDesign(db, boss.username, campaignId, { ...DEFAULT_DESIGN, minPerUnit: BUSINESSES, maxPerUnit: BUSINESSES, bySizeBand: false, reserveRatio: 0 }));
must(await commitSeed(db, boss.username, campaignId, {}));
must(await drawCampaignSample(db, boss.username, campaignId));
const keys = codeKeys(secrets.HMAC_SECRET);
must(await generateInvitations(db, keys, boss.username, campaignId));
must(await transition(db, boss, campaignId, 'fieldwork'));
const invited = (
  (await db.execute(sql`select i.id, u.unit_code as unit from invitations i join invitation_units u on u.invitation_id = i.id where i.campaign_id = ${campaignId}`)) as unknown as {
    rows: { id: string; unit: string }[];
  }
).rows;
log(`campaign ready: ${units.length} units, ${invited.length} invitations`);

// The app in its own process, on the database server.
const port = 40000 + Math.floor(Math.random() * 10000);
const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
const child = spawn(process.execPath, [...profile, '--import', 'tsx', fromRoot('test', 'bench', 'submissions-server.ts')], {
  env: { ...process.env, ...secrets, DATABASE_URL: url.toString(), LOG_LEVEL: 'warn', NODE_ENV: 'production', COOKIE_SECURE: 'false', BENCH_PORT: String(port), BENCH_BARE_PORT: String(port + 1) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
const origin = `http://127.0.0.1:${port}`;
const cleanUp = async () => {
  child.kill('SIGINT');
  await database.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
};
process.on('uncaughtException', (error) => {
  process.stderr.write(`${error.stack}\n`);
  void cleanUp().finally(() => process.exit(1));
});

// Each business enters its code once (as the QR link does); all share one browser id for CSRF.
const first = await fetch(`${origin}/survey`);
const csrfCookie = first.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('ddci_csrf='))!;
const token = /name="csrf-token" content="([^"]+)"/.exec(await first.text())![1]!;
const catalog = shippedCatalog();
const schemas: Record<string, AnswerSchema> = Object.fromEntries(
  catalog.methodology.blocks.map((b) => [b.code, answerSchema(catalog.questionnaires.get(b.questionnaire)!) as unknown as AnswerSchema]),
);
const random = seededRandom(2026);
const forms: { path: string; headers: Record<string, string>; body: string }[] = [];
const queue = [...invited];
await Promise.all(
  Array.from({ length: 16 }, async () => {
    for (let next = queue.pop(); next; next = queue.pop()) {
      const res = await fetch(`${origin}/survey`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({ _csrf: token, code: formatCode(accessCodeFor(keys, next.id)) }),
      });
      if (res.status !== 303) throw new Error(`code entry: ${res.status}`);
      const survey = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('ddci_survey='))!;
      const answers = randomAnswers(schemas[blockOf(next.unit)]!, random);
      forms.push({
        path: `/survey/units/${next.unit}`,
        headers: { cookie: `${csrfCookie}; ${survey}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({ _csrf: token, _nonce: randomBytes(16).toString('base64url'), ...answers }),
      });
    }
  }),
);
log(`${forms.length} sessions opened; submitting for ${SECONDS} s with ${CONNECTIONS} connections`);

const cpuMsOf = (pid: number): number | null => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS);
  } catch {
    return null; // a server on another machine, or a process gone
  }
};

/**
 * CPU time (ms) so far of the app's process (its threads included), of each database backend serving this
 * benchmark's database (read from /proc: a server on this machine), and of this process, which runs the
 * load generator. Where a request's cost goes, and so what the ratio can be on this machine.
 */
async function cpuSoFar() {
  const backends = new Map<number, number | null>();
  for (const { pid } of (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [name])).rows) backends.set(pid, cpuMsOf(pid));
  const own = process.cpuUsage();
  return { app: cpuMsOf(child.pid!), backends, loadGenerator: (own.user + own.system) / 1000 };
}

/** The database's CPU between two readings: backends that began in between count from zero (one that ended in between is not counted: the pools keep theirs under load). */
function databaseCpu(before: Map<number, number | null>, after: Map<number, number | null>): number | null {
  let sum = 0;
  for (const [pid, ms] of after) {
    if (ms === null) return null;
    sum += ms - (before.get(pid) ?? 0);
  }
  return sum;
}

async function load(target: string, label: string) {
  const cpuBefore = await cpuSoFar();
  let i = 0;
  let settle: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => ((settle = resolve), (fail = reject)));
  const instance = autocannon({
    url: target,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const form = forms[i++ % forms.length]!;
          return { ...request, path: form.path, headers: form.headers, body: form.body };
        },
      },
    ],
  }, (error, result) => (error ? fail(error) : settle(result)));
  // p99 per 10-second window, from every response's own time: does latency creep up as the tables grow?
  const started = Date.now();
  const windows: number[][] = [];
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    (windows[Math.floor((Date.now() - started) / WINDOW_MS)] ??= []).push(responseTime);
  });
  const result = await finished;
  const p99s = windows
    .filter((w) => w.length > 100)
    .map((w) => w.sort((x, y) => x - y)[Math.floor(0.99 * (w.length - 1))]!);
  // The first window warms up (JIT, the pool's connections); after it no window's p99 may pass 3× their
  // median, and the last may not pass 1.5× the first of them (latency does not creep as tables grow).
  const settled = p99s.slice(1);
  const median = [...settled].sort((x, y) => x - y)[Math.floor(settled.length / 2)] ?? 0;
  const steady = settled.length > 1 && Math.max(...settled) <= 3 * median && settled.at(-1)! <= 1.5 * settled[0]!;
  const errors = result.errors + result.timeouts + result.non2xx - (result['3xx'] ?? 0);
  const cpuAfter = await cpuSoFar();
  const spent = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before);
  const perRequest = (ms: number | null) => (ms === null ? 'n/a' : `${Math.round((ms * 1000) / result.requests.total)} µs`);
  log(
    `${label.padEnd(22)} ${(result.requests.total / (result.duration || SECONDS)).toFixed(0).padStart(6)} req/s   p50 ${String(result.latency.p50).padStart(4)} ms   p99 ${String(result.latency.p99).padStart(4)} ms   3xx ${result['3xx']}   errors ${errors}\n` +
      `${''.padEnd(22)} p99 per ${WINDOW_MS / 1000} s: ${p99s.map((p) => p.toFixed(0)).join(' / ')} ms — ${steady ? 'steady' : 'NOT steady'}\n` +
      `${''.padEnd(22)} CPU per request: app ${perRequest(spent(cpuBefore.app, cpuAfter.app))}, database ${perRequest(databaseCpu(cpuBefore.backends, cpuAfter.backends))}, load generator ${perRequest(spent(cpuBefore.loadGenerator, cpuAfter.loadGenerator))}`,
  );
  return { result, errors, steady };
}

const bare = await load(`http://127.0.0.1:${port + 1}`, 'bare INSERT endpoint');
const app = await load(origin, 'survey submissions');
const [stored] = (
  (await db.execute(sql`select (select count(*) from responses) + (select count(*) from pending_responses) as n`)) as unknown as { rows: { n: string }[] }
).rows;
// Requests still in flight when autocannon stops are stored without being counted by it.
log(`stored envelopes: ${stored!.n} (submissions autocannon saw succeed: ${app.result['3xx']})`);
const rate = app.result.requests.total / (app.result.duration || SECONDS);
const bareRate = bare.result.requests.total / (bare.result.duration || SECONDS);
log(`submissions: ${(rate / bareRate).toFixed(2)} of the bare INSERT endpoint, p99 ${app.result.latency.p99} ms (target ≥ 0.4, p99 < 50 ms at ${CONNECTIONS} connections): ${rate >= 0.4 * bareRate && app.result.latency.p99 < 50 ? 'MET' : 'NOT MET'}`);
// A form sent again (once every form has been sent) is a retry: answered with its receipt, stored once.
log(`bounded load: 0 errors, every success stored, p99 steady: ${app.errors === 0 && Number(stored!.n) >= Math.min(app.result['3xx'], forms.length) && app.steady ? 'MET' : 'NOT MET'}`);

await cleanUp();
