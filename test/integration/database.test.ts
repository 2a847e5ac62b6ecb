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

test('an embedded database open in another live process is refused, not shared; a pid left by a dead one is taken over', async () => {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, existsSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { openDatabase } = await import('../../server/db/client.js');
  const { runCli } = await import('../../server/cli/index.js');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ddci-owner-'));
  await (await openDatabase({ dataDir })).close(); // an embedded database exists there
  expect(existsSync(path.join(dataDir, 'owner.pid'))).toBe(false); // released on close

  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    writeFileSync(path.join(dataDir, 'owner.pid'), String(other.pid));
    await expect(openDatabase({ dataDir })).rejects.toThrow(`is open in another process (pid ${other.pid})`);
    let err = '';
    const env = { DATA_DIR: dataDir, HMAC_SECRET: 'x'.repeat(40), SESSION_SECRET: 'y'.repeat(40), LOG_LEVEL: 'silent' };
    expect(await runCli(['backup', '--out', path.join(dataDir, 'b.tar.gz')], { env, out: () => undefined, err: (s) => (err += s) })).toBe(1);
    expect(err).toContain('stop it first');
  } finally {
    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
  }
  const reopened = await openDatabase({ dataDir }); // the holder died: its claim is taken over
  await reopened.close();
});
