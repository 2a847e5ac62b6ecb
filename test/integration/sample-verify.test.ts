import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { addUnit, createCampaign, setCommittee } from '../../server/campaigns/index.js';
import { transition } from '../../server/workflow/index.js';
import { runCli } from '../../server/cli/index.js';
import { openDatabase, type Database } from '../../server/db/client.js';
import { sampleEntries } from '../../server/db/schema.js';
import { createAccount } from '../support/app.js';
import { freshDatabase, onServer, type TestDatabase } from '../support/database.js';
import { completeSampling, TEST_HMAC_SECRET } from '../support/sampling.js';

const units = ['SXD', 'SYT', 'HBS', 'HCL'];
let database: TestDatabase;
let campaignId: string;
const dir = mkdtempSync(path.join(tmpdir(), 'ddci-verify-'));
const frameFile = path.join(dir, 'khung-mau.csv');

async function cli(argv: string[]) {
  let out = '';
  let err = '';
  const env = { ...database.env, SESSION_SECRET: 'x'.repeat(40), HMAC_SECRET: TEST_HMAC_SECRET, LOG_LEVEL: 'silent' };
  const code = await runCli(argv, { env, out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

/** The embedded database has one owner at a time: the CLI opens it only while the test has it closed. */
async function withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
  if (onServer) return work(database);
  const reopened = await openDatabase({ dataDir: database.env.DATA_DIR });
  try {
    return await work(reopened);
  } finally {
    await reopened.close();
  }
}

beforeAll(async () => {
  database = await freshDatabase({ onDisk: true });
  const admin = (await createAccount(database.db, 'admin')).principal;
  const created = await createCampaign(database.db, admin.username, { province: 'Lạng Sơn', year: 2026, title: 'DDCI' });
  campaignId = created.ok ? created.value : '';
  for (const code of units) await addUnit(database.db, admin.username, campaignId, { code, block: 'provincial', nameVi: code, nameEn: code });
  await setCommittee(database.db, admin.username, campaignId, { size: 2, threshold: 2 });
  const chair = await createAccount(database.db, 'chair');
  const member = await createAccount(database.db, 'member');
  const { setCommitteeMembers } = await import('../../server/campaigns/index.js');
  await setCommitteeMembers(database.db, admin.username, campaignId, [chair.username, member.username]);
  await transition(database.db, admin, campaignId, 'sampling');
  const imported = await completeSampling(database.db, admin.username, campaignId, { bySizeBand: true, minPerUnit: 2, maxPerUnit: 3 });
  writeFileSync(frameFile, imported); // the same file the administrator imported
  if (!onServer) await database.close();
}, 120_000);
afterAll(async () => {
  if (onServer) await database.close();
});

describe('ddci sample verify', () => {
  test('re-draws the published sample from the frame and the revealed seed', async () => {
    const result = await cli(['sample', 'verify', '--campaign', campaignId, '--frame', frameFile, '--seed', 'test seed']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/✓ seed matches the published commitment/);
    expect(result.out).toMatch(/✓ frame hash: [0-9a-f]{64} \(24 business–unit pairs\)/);
    expect(result.out).toMatch(/✓ sample hash/);
    expect(result.out).toContain('sample verified');
  });

  test('a wrong seed fails', async () => {
    const result = await cli(['sample', 'verify', '--campaign', campaignId, '--frame', frameFile, '--seed', 'another seed']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('✗ seed matches the published commitment');
    expect(result.err).toContain('SAMPLE DOES NOT VERIFY');
  });

  test('a frame file changed by one row fails on the frame hash', async () => {
    const changed = path.join(dir, 'changed.csv');
    const { readFileSync } = await import('node:fs');
    writeFileSync(changed, readFileSync(frameFile, 'utf8').replace(',1,procedure', ',2,procedure'));
    const result = await cli(['sample', 'verify', '--campaign', campaignId, '--frame', changed, '--seed', 'test seed']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/✗ frame hash/);
  });

  test('a stored sample changed by one business fails, naming the difference', async () => {
    await withDb(async ({ db }) => {
      const [first] = await db.select().from(sampleEntries).where(and(eq(sampleEntries.campaignId, campaignId), eq(sampleEntries.role, 'sample'))).limit(1);
      await db
        .update(sampleEntries)
        .set({ taxCode: '0999999999' })
        .where(and(eq(sampleEntries.campaignId, campaignId), eq(sampleEntries.unitCode, first!.unitCode), eq(sampleEntries.sizeBand, first!.sizeBand), eq(sampleEntries.position, first!.position)));
    });
    const result = await cli(['sample', 'verify', '--campaign', campaignId, '--frame', frameFile, '--seed', 'test seed']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('✓ sample hash'); // the re-draw still matches what was published…
    expect(result.err).toContain('✗ stored sample matches the published sample hash'); // …the stored sample does not
    expect(result.err).toContain('1 re-drawn entries not stored, 1 stored entries not re-drawn');
    expect(result.err).toMatch(/stored, not re-drawn: \w+\|\w+\|\d+\|0999999999\|sample/);
  });
});
