/**
 * The unsealing run of `npm run bench:unseal`, in a process of its own so that its peak memory is the run's
 * alone (the parent's sealing and storing of the responses is not counted): it opens the database the parent
 * prepared, holds the committee's approvals through the same approval secret, starts the unsealing as a
 * committee member would, and prints one JSON line — seconds, the process's peak RSS (VmHWM, worker
 * threads included), and how the run ended.
 * Environment: DATABASE_URL or DATA_DIR, BENCH_APPROVAL_SECRET, BENCH_CAMPAIGN, BENCH_MEMBER (the principal, JSON).
 */
import { peakResidentMiB } from './memory.js';
import type { StaffPrincipal } from '../../server/auth/index.js';
import { openDatabase } from '../../server/db/client.js';
import { createLogger } from '../../server/logger.js';
import { latestRun, startUnsealing } from '../../server/publication/service.js';
import { shippedCatalog } from '../../server/questionnaires/index.js';
import { approvalKey, UnsealingRegistry } from '../../server/sealing/index.js';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
const campaignId = env('BENCH_CAMPAIGN');
const member = JSON.parse(env('BENCH_MEMBER')) as StaffPrincipal;
const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR });
const { db } = database;
const registry = new UnsealingRegistry(db, approvalKey(env('BENCH_APPROVAL_SECRET')), 3_600_000);

const start = process.hrtime.bigint();
const started = await startUnsealing({ db, catalog: shippedCatalog(), registry, logger: createLogger('error') }, member, campaignId);
if (!started.ok) throw new Error(`unsealing refused: ${started.error.key}`);
await started.value.done;
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const run = (await latestRun(db, campaignId))!;
await database.close();
process.stdout.write(`${JSON.stringify({ seconds, peakMiB: peakResidentMiB(), status: run.status, failure: run.failure })}\n`);
