/**
 * `npm run bench:announcement [-- SECONDS] [CONNECTIONS]`: announcement day (issue 20). A published campaign
 * of the demo's size (56 units, ~970 responses) and one of 10× the responses; for each, 200 concurrent
 * clients for 20 s on the public overview, a unit's scorecard and results.json, against a static asset of
 * the same app in the same run. Targets: each page ≥ 0.5 of the static asset's rate, p99 < 100 ms, and the
 * same rate at 10×. The app runs in its own process (as in production), on the embedded database; each page
 * is warmed up for 2 s first. Beside the rates, the app's own CPU per request and how busy it was (from
 * /proc): where the app is far from busy, the load generator on the same two cores is what limits the rate.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { canonicalJson } from '../../server/scoring/index.js';
import { campaigns, publications, units as unitsTable } from '../../server/db/schema.js';
import { openDatabase } from '../../server/db/client.js';
import { fromRoot } from '../../server/paths.js';
import { answersFromForm } from '../../server/responses/answers.js';
import { randomAnswers, seededRandom, type AnswerSchema } from '../../server/responses/simulate.js';
import { answerSchema, shippedCatalog } from '../../server/questionnaires/index.js';
import { buildMicrodata, scoreMicrodata } from '../../server/scoring/index.js';
import { RESULTS_FORMAT, PUBLICATION_FORMAT, hashOf } from '../../server/publication/results.js';
import { freePort } from '../support/instances.js';

const SECONDS = Number(process.argv[2] ?? 20);
const CONNECTIONS = Number(process.argv[3] ?? 200);
/** Responses per unit at the demo's size (~970 over 56 units); BENCH_SCALE multiplies the sizes tried. */
const PER_UNIT = [17, 170].map((n) => Math.max(6, Math.round(n * Number(process.env.BENCH_SCALE ?? 1))));
const log = (line: string) => process.stdout.write(line + '\n');

const catalog = shippedCatalog();
const methodology = catalog.methodology;
const dataDir = mkdtempSync(path.join(tmpdir(), 'ddci-announce-'));
const database = await openDatabase({ dataDir });
await database.migrate();
const { db } = database;

/** A published campaign with `perUnit` simulated answers per unit, written as publication writes it. */
async function publishedCampaign(id: string, perUnit: number) {
  const random = seededRandom(perUnit);
  const units = methodology.blocks.flatMap((block, b) => Array.from({ length: [14, 6, 36][b] ?? 6 }, (_, i) => ({ code: `${block.code.slice(0, 2).toUpperCase()}${String(i).padStart(2, '0')}`, block: block.code, nameVi: `Đơn vị ${block.code} ${i}`, nameEn: `Unit ${block.code} ${i}` })));
  const responses = units.flatMap((u) => {
    const key = methodology.blocks.find((b) => b.code === u.block)!.questionnaire;
    const form = catalog.questionnaires.get(key)!;
    const schema = answerSchema(form) as unknown as AnswerSchema;
    return Array.from({ length: perUnit }, () => ({ unit: u.code, stratum: 'all', questionnaire: key, mode: 'online', answers: answersFromForm(form, randomAnswers(schema, random)) }));
  });
  const campaign = { id, province: `Lạng Sơn ${id}`, year: 2026, title: `DDCI ${id}` };
  const microdata = buildMicrodata({ campaign, methodology: methodology.version, seed: 's', units, strata: units.map((u) => ({ unit: u.code, stratum: 'all', population: perUnit * 12 })), responses, minStratumRespondents: 5, minAnswersPerUnit: methodology.minAnswersPerUnit, bandOrder: [] });
  const results = { format: RESULTS_FORMAT, campaign, methodology: methodology.version, bulletinHash: '0'.repeat(64), seed: 's', responses: responses.length, invalid: 0, units, disclosure: microdata.disclosure, result: scoreMicrodata(microdata, methodology) };
  await db.insert(campaigns).values({ ...campaign, state: 'published', methodologyVersion: methodology.version });
  await db.insert(unitsTable).values(units.map((u) => ({ id: `${id}-${u.code}`, campaignId: id, ...u })));
  const record = { format: PUBLICATION_FORMAT, campaign: id, resultsHash: hashOf(results), microdataHash: hashOf(microdata), bulletinHash: results.bulletinHash, frameHash: null, seedCommitment: null, sampleHash: null, chair: 'bench', chairKeyFingerprint: '-', signingPublic: '-', publishedAt: new Date().toISOString() };
  await db.insert(publications).values({ campaignId: id, results: JSON.parse(canonicalJson(results)), microdata: JSON.parse(canonicalJson(microdata)), record, signature: '-' });
  return { id, unit: units[0]!.code, responses: responses.length, bytes: Buffer.byteLength(JSON.stringify(results)) + Buffer.byteLength(JSON.stringify(microdata)) };
}

const made = [];
for (const [i, perUnit] of PER_UNIT.entries()) made.push(await publishedCampaign(`announce${i}`, perUnit));
await database.close();

const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const app = spawn(process.execPath, [...(process.env.APP_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.APP_PROFILE] : []), '--import', 'tsx', fromRoot('server', 'main.ts')], {
  cwd: fromRoot(),
  env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: 'warn', NODE_ENV: 'production', COOKIE_SECURE: 'false' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
for (let i = 0; !(await fetch(`${origin}/healthz`).then((r) => r.ok, () => false)); i++) {
  if (i > 300) throw new Error('the app did not start');
  await new Promise((r) => setTimeout(r, 200));
}

/** The app's CPU time so far (user + system, ms), from /proc: what a request costs the server, whatever the load generator manages. */
const TICK_MS = 10; // USER_HZ is 100 on Linux
function appCpuMs(): number {
  const fields = readFileSync(`/proc/${app.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** What a browser sends: it takes compressed bodies. */
const BROWSER = { 'accept-encoding': 'br, gzip' };
async function load(url: string) {
  const first = await fetch(url, { headers: BROWSER }); // the first reader pays for reading the publication
  const decoded = (await first.arrayBuffer()).byteLength;
  const bytes = Number(first.headers.get('content-length') ?? decoded); // as sent
  // Two load threads: one cannot take in the larger files as fast as the app sends them.
  const clients = { url, connections: CONNECTIONS, headers: BROWSER, workers: 2 };
  // A server on announcement day has been running: a short unmeasured run first, so JIT warm-up is not measured.
  await autocannon({ ...clients, duration: Math.min(2, SECONDS) });
  const cpuBefore = appCpuMs();
  const result = await autocannon({ ...clients, duration: SECONDS });
  const cpuMs = appCpuMs() - cpuBefore;
  return {
    bytes,
    encoding: first.headers.get('content-encoding') ?? 'identity',
    rate: result.requests.average,
    p99: result.latency.p99,
    cpuPerRequest: (cpuMs * 1000) / Math.max(1, result.requests.total),
    busy: cpuMs / (SECONDS * 1000),
    errors: result.errors + result.non2xx,
    detail: `${result.timeouts} timeouts, ${result.non2xx} non-2xx ${JSON.stringify(result.statusCodeStats)}`,
  };
}

log(`Announcement day: ${CONNECTIONS} clients, ${SECONDS} s each, the app in its own process on the embedded database`);
log('| campaign | page | body | requests/s | ratio to static | p99 | app CPU per request | app busy | errors |');
log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
const staticAsset = await load(`${origin}/assets/app.css`);
const size = (r: { bytes: number; encoding: string }) => `${(r.bytes / 1024).toFixed(0)} KiB ${r.encoding}`;
const server = (r: { cpuPerRequest: number; busy: number }) => `${r.cpuPerRequest.toFixed(0)} µs | ${(r.busy * 100).toFixed(0)} %`;
log(`| — | static asset | ${size(staticAsset)} | ${staticAsset.rate.toFixed(0)} | 1.00 | ${staticAsset.p99} ms | ${server(staticAsset)} | ${staticAsset.errors} |`);
const rates: Record<string, number[]> = {};
for (const c of made) {
  for (const [page, url] of [
    ['overview', `/campaigns/${c.id}/results`],
    ['scorecard', `/campaigns/${c.id}/results/units/${c.unit}`],
    ['results.json', `/campaigns/${c.id}/results.json`],
  ] as const) {
    const r = await load(origin + url);
    (rates[page] ??= []).push(r.rate);
    log(`| ${c.responses.toLocaleString('en')} responses (${(c.bytes / 2 ** 20).toFixed(1)} MiB published) | ${page} | ${size(r)} | ${r.rate.toFixed(0)} | ${(r.rate / staticAsset.rate).toFixed(2)} | ${r.p99} ms | ${server(r)} | ${r.errors} |`);
    if (r.errors) log(`  errors: ${r.detail}`);
  }
}
for (const [page, [small, large]] of Object.entries(rates)) log(`${page}: 10× the responses at ${(large! / small!).toFixed(2)} of the rate`);
app.kill('SIGTERM');
