/**
 * Sampling at scale: import a 1,000,000-row frame — against a bare streaming csv-parse of the same file in
 * the same run (issue 20: ≥ 0.4 of its speed, ≤ 300 MiB) —, freeze it, then design + draw over it (target
 * ≤ 3 s). Embedded PGlite by default; BENCH_DATABASE_URL for a server.
 *
 * Peaks are each step's own (Linux's VmHWM, started over before it). The embedded database is created,
 * closed and opened again before the import, as the app opens it on every start after its first: creating
 * one (initdb) grows PGlite's WebAssembly memory to ≈ 890 MiB, which it never gives back, and would count
 * against the import.
 * Run: npm run bench:sampling [-- ROWS]
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse';
import { campaigns, frameImports, units as unitsTable } from '../../server/db/schema.js';
import { DEFAULT_DESIGN } from '../../server/sampling/design.js';
import { freezeFrame, processImport } from '../../server/sampling/frame-import.js';
import { fileSize, FRAME_CSV_OPTIONS, FRAME_READ_CHUNK } from '../../server/sampling/frame-reader.js';
import { commitSeed, drawCampaignSample, saveDesign } from '../../server/sampling/plan.js';
import { writeFrameCsv } from '../../server/demo/frame.js';
import { openDatabase, type Database } from '../../server/db/client.js';
import { benchDatabase } from '../support/database.js';
import { peakResidentMiB, resetPeakResident } from './memory.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const work = mkdtempSync(path.join(tmpdir(), 'ddci-bench-'));
const units = Array.from({ length: 60 }, (_, i) => `U${String(i).padStart(2, '0')}`);

const seconds = async (work: () => Promise<unknown>) => {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
};

const file = path.join(work, 'frame.csv');
const { businesses } = await writeFrameCsv(file, ROWS, units);
// The floor, before the database takes its memory: the same file through csv-parse alone, read and
// parsed as the import reads it, rows counted.
resetPeakResident();
let bareRows = 0;
const bareSeconds = await seconds(async () => {
  const parser = createReadStream(file, { highWaterMark: FRAME_READ_CHUNK }).pipe(parse(FRAME_CSV_OPTIONS));
  for await (const _ of parser) bareRows++;
});
const barePeak = peakResidentMiB();
let database: Database = await benchDatabase(path.join(work, 'db'));
if (database.kind === 'pglite') {
  await database.close();
  database = await openDatabase({ dataDir: path.join(work, 'db') });
}
const { db } = database;
// Through the typed schema, so a change to it fails the type check here instead of the benchmark.
await db.insert(campaigns).values({ id: 'bench', province: 'Bench', year: 2026, title: 'Bench', state: 'sampling', methodologyVersion: '2026.2' });
await db.insert(unitsTable).values(units.map((code) => ({ id: `u-${code}`, campaignId: 'bench', code, block: 'provincial', nameVi: code, nameEn: code })));
await db.insert(frameImports).values({ id: 'bench', campaignId: 'bench', fileName: 'frame.csv', bytesTotal: await fileSize(file), createdBy: 'bench' });

resetPeakResident();
const importSeconds = await seconds(() => processImport(db, { importId: 'bench', campaignId: 'bench', actor: 'bench', unitCodes: new Set(units) }, file, 'csv'));
const importPeak = peakResidentMiB();
const freezeSeconds = await seconds(() => freezeFrame(db, 'bench', 'bench'));
let planned = 0;
let drawn = 0;
const designSeconds = await seconds(async () => {
  const design = await saveDesign(db, 'bench', 'bench', { ...DEFAULT_DESIGN, marginOfError: 0.05, maxPerUnit: 1000 });
  planned = design.ok ? design.value.reduce((a, p) => a + p.planned, 0) : -1;
});
await commitSeed(db, 'bench', 'bench', { seed: 'benchmark seed' });
const drawSeconds = await seconds(async () => {
  const result = await drawCampaignSample(db, 'bench', 'bench');
  drawn = result.ok ? result.value.sample + result.value.reserve : -1;
});

console.log(`\nSampling: ${ROWS.toLocaleString('en')} frame rows, ${businesses.toLocaleString('en')} businesses, ${units.length} units, ${database.kind}`);
console.log(`Machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, Node ${process.version}\n`);
console.log('| step | seconds | note |');
console.log('|---|---:|---|');
console.log(`| bare csv-parse of the same file | ${bareSeconds.toFixed(1)} | ${bareRows.toLocaleString('en')} records, peak RSS ${Math.round(barePeak)} MiB |`);
console.log(`| import (read, check, stage, merge) | ${importSeconds.toFixed(1)} | peak RSS ${Math.round(importPeak)} MiB |`);
console.log(`| freeze (frame hash) | ${freezeSeconds.toFixed(1)} | |`);
console.log(`| design | ${designSeconds.toFixed(2)} | ${planned.toLocaleString('en')} invitations planned |`);
console.log(`| draw | ${drawSeconds.toFixed(2)} | ${drawn.toLocaleString('en')} sample + reserve entries |`);
console.log(`| design + draw | ${(designSeconds + drawSeconds).toFixed(2)} | target ≤ 3 s |`);
console.log(`\nimport speed: ${(bareSeconds / importSeconds).toFixed(2)} of the bare parse (target ≥ 0.4); import peak RSS ${Math.round(importPeak)} MiB (target ≤ 300 MiB)`);
await database.close();
rmSync(work, { recursive: true, force: true });
