import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { frameDealings, publications, responses, samplingPlans, scoringRuns, sealedResults } from '../db/schema.js';

export type ScoringRun = typeof scoringRuns.$inferSelect;

/** Frame count per unit: the population the design weights come from. */
export async function frameCounts(db: Db, campaignId: string): Promise<{ unitCode: string; population: number }[]> {
  return db
    .select({ unitCode: frameDealings.unitCode, population: sql<number>`count(*)::int` })
    .from(frameDealings)
    .where(eq(frameDealings.campaignId, campaignId))
    .groupBy(frameDealings.unitCode);
}

/**
 * The stored responses in id order (random ids: an order that says nothing about arrival), `batch` rows
 * at a time by key: the run holds one batch of envelopes, never all, and the database never sorts them.
 */
export async function* storedResponses(db: Db, campaignId: string, batch: number) {
  let after = '';
  for (;;) {
    const rows = await db
      .select({ id: responses.id, unitCode: responses.unitCode, questionnaire: responses.questionnaire, mode: responses.mode, envelope: responses.envelope })
      .from(responses)
      .where(and(eq(responses.campaignId, campaignId), gt(responses.id, after)))
      .orderBy(responses.id)
      .limit(batch);
    if (rows.length) yield rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.id;
  }
}

export async function insertRun(db: Db, row: typeof scoringRuns.$inferInsert): Promise<boolean> {
  return (await db.insert(scoringRuns).values(row).onConflictDoNothing().returning({ id: scoringRuns.id })).length === 1;
}

export async function updateRun(db: Db, id: string, values: Partial<typeof scoringRuns.$inferInsert>): Promise<void> {
  await db.update(scoringRuns).set({ ...values, heartbeatAt: new Date() }).where(eq(scoringRuns.id, id));
}

/** How long a running run may go without a heartbeat before it is taken for interrupted (its instance died). */
export const RUN_SILENCE_MS = 60_000;

/** The latest run of the campaign; a running one whose instance stopped beating is marked failed first. */
export async function latestRun(db: Db, campaignId: string): Promise<ScoringRun | undefined> {
  await failRunningRuns(db, RUN_SILENCE_MS, campaignId);
  const [row] = await db.select().from(scoringRuns).where(eq(scoringRuns.campaignId, campaignId)).orderBy(desc(scoringRuns.createdAt)).limit(1);
  return row;
}

/**
 * Running runs whose heartbeat stopped can never finish — their instance died, and with it the decrypted
 * data: mark them failed. Another instance's live run keeps beating and is left alone.
 */
export async function failRunningRuns(db: Db, silentForMs = RUN_SILENCE_MS, campaignId?: string): Promise<number> {
  const failed = await db
    .update(scoringRuns)
    .set({ status: 'failed', failure: 'results.interrupted', finishedAt: new Date() })
    .where(and(eq(scoringRuns.status, 'running'), lt(scoringRuns.heartbeatAt, new Date(Date.now() - silentForMs)), campaignId ? eq(scoringRuns.campaignId, campaignId) : undefined))
    .returning({ id: scoringRuns.id });
  return failed.length;
}

export async function insertSealedResults(db: Db, row: typeof sealedResults.$inferInsert): Promise<void> {
  await db.insert(sealedResults).values(row);
}

export async function findSealedResults(db: Db, campaignId: string) {
  const [row] = await db.select().from(sealedResults).where(eq(sealedResults.campaignId, campaignId));
  return row;
}

export async function insertPublication(db: Db, row: typeof publications.$inferInsert): Promise<void> {
  await db.insert(publications).values(row);
}

export async function findPublication(db: Db, campaignId: string) {
  const [row] = await db.select().from(publications).where(eq(publications.campaignId, campaignId));
  return row;
}

/** The publication without its microdata: most readers need only the figures, and the microdata is most of the row. */
export async function findPublishedFigures(db: Db, campaignId: string) {
  const [row] = await db
    .select({ results: publications.results, record: publications.record, signature: publications.signature })
    .from(publications)
    .where(eq(publications.campaignId, campaignId));
  return row;
}

export async function samplingHashes(db: Db, campaignId: string) {
  const [row] = await db
    .select({ frameHash: samplingPlans.frameHash, seedCommitment: samplingPlans.seedCommitment, sampleHash: samplingPlans.sampleHash })
    .from(samplingPlans)
    .where(eq(samplingPlans.campaignId, campaignId));
  return row ?? { frameHash: null, seedCommitment: null, sampleHash: null };
}
