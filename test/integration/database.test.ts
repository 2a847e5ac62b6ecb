import { eq } from 'drizzle-orm';
import { nanoid } from 'nanoid';
import { campaigns, responses } from '../../server/db/schema.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

test('binary columns store and return every byte value exactly (PGlite’s bytea codec is replaced by Buffer’s hex)', async () => {
  const { db } = database;
  const campaignId = nanoid();
  await db.insert(campaigns).values({ id: campaignId, province: 'Thử', year: 2026, title: 'Thử', methodologyVersion: '2026.1' });
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const cases = [everyByte, Buffer.alloc(0), everyByte.subarray(10, 20), Buffer.concat([everyByte, everyByte]).reverse()];
  for (const [i, envelope] of cases.entries()) {
    await db.insert(responses).values({ id: `r${i}`, campaignId, unitCode: 'SXD', questionnaire: 'd', mode: 'online', envelope });
  }
  const rows = await db.select().from(responses).where(eq(responses.campaignId, campaignId)).orderBy(responses.id);
  expect(rows.map((r) => Buffer.isBuffer(r.envelope))).toEqual([true, true, true, true]);
  expect(rows.map((r) => r.envelope.toString('hex'))).toEqual(cases.map((c) => c.toString('hex')));
});
