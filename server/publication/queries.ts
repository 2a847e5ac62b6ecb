import { and, desc, eq, gt, sql } from 'drizzle-orm';
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
  await db.update(scoringRuns).set(values).where(eq(scoringRuns.id, id));
}

export async function latestRun(db: Db, campaignId: string): Promise<ScoringRun | undefined> {
  const [row] = await db.select().from(scoringRuns).where(eq(scoringRuns.campaignId, campaignId)).orderBy(desc(scoringRuns.createdAt)).limit(1);
  return row;
}

export async function failRunningRuns(db: Db): Promise<number> {
  const failed = await db
    .update(scoringRuns)
    .set({ status: 'failed', failure: 'results.interrupted', finishedAt: new Date() })
    .where(eq(scoringRuns.status, 'running'))
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

export async function samplingHashes(db: Db, campaignId: string) {
  const [row] = await db
    .select({ frameHash: samplingPlans.frameHash, seedCommitment: samplingPlans.seedCommitment, sampleHash: samplingPlans.sampleHash })
    .from(samplingPlans)
    .where(eq(samplingPlans.campaignId, campaignId));
  return row ?? { frameHash: null, seedCommitment: null, sampleHash: null };
}
