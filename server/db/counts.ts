import { sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { auditLog, campaigns, responses } from './schema.js';

/** What a restored database holds, for the restore's summary line. */
export async function restoredCounts(db: Db): Promise<{ campaigns: number; responses: number; audit: number }> {
  const count = async (table: typeof campaigns | typeof responses | typeof auditLog) => (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
  return { campaigns: await count(campaigns), responses: await count(responses), audit: await count(auditLog) };
}
