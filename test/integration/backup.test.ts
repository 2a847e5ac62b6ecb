import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { verifyAuditLog } from '../../server/audit/index.js';
import { transition } from '../../server/workflow/index.js';
import { runCli } from '../../server/cli/index.js';
import { openDatabase, type Database } from '../../server/db/client.js';
import { bulletins, responses } from '../../server/db/schema.js';
import { createLogger } from '../../server/logger.js';
import { startUnsealing } from '../../server/publication/index.js';
import { latestRun } from '../../server/publication/service.js';
import { shippedCatalog } from '../../server/questionnaires/index.js';
import { approvalKey, approveUnsealing, UnsealingRegistry } from '../../server/sealing/index.js';
import { Browser, startTestApp, TEST_PASSPHRASE } from '../support/app.js';
import { freshDatabase, onServer, queryRows } from '../support/database.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import { TEST_HMAC_SECRET } from '../support/sampling.js';
import { answerUnit, startSurvey } from '../support/survey.js';

/**
 * `ddci backup` then `ddci restore` into a fresh database (embedded, or a new database on the server): the
 * restored copy's audit chain verifies, its bulletin matches the stored envelopes, and three of the five
 * committee members unseal every response from it.
 */
const SECRETS = { HMAC_SECRET: TEST_HMAC_SECRET, SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789' };

async function cli(args: string[], env: Record<string, string>) {
  let out = '';
  let err = '';
  const code = await runCli(args, { env: { ...SECRETS, LOG_LEVEL: 'silent', ...env }, out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const receiptsOf = async (database: Database, campaignId: string) =>
  (await database.db.select({ envelope: responses.envelope }).from(responses).where(eq(responses.campaignId, campaignId))).map((r) => createHash('sha256').update(r.envelope).digest('hex')).sort();

test('a backup restored into a fresh database verifies, matches its bulletin and unseals with 3 of 5', async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'ddci-backup-'));
  const t = await startTestApp({}, { onDisk: true });
  let fw: FieldworkCampaign;
  let before: { audit: number; bulletin: string; receipts: string[] };
  try {
    fw = await campaignInFieldwork(t.db, 'Điện Biên', ['SXD', 'HDB'], { perUnit: 10, design: { minPerUnit: 10, maxPerUnit: 10 }, committee: { size: 5, threshold: 3 } });
    for (const invitation of fw.invitations.slice(0, 14)) {
      const browser = new Browser(t.app);
      await startSurvey(browser, invitation.code);
      expect((await answerUnit(browser, invitation.units[0]!)).res.status).toBe(303);
    }
    expect(await transition(t.db, fw.admin, fw.campaignId, 'closed', { mixKey: t.mixKey })).toMatchObject({ ok: true });
    const audit = await verifyAuditLog(t.db);
    const [bulletin] = await t.db.select().from(bulletins).where(eq(bulletins.campaignId, fw.campaignId));
    before = { audit: audit.count, bulletin: bulletin!.hash, receipts: await receiptsOf(t.database, fw.campaignId) };
    expect(before.receipts).toHaveLength(14);
  } catch (error) {
    await t.close();
    throw error;
  }
  // The embedded database belongs to one process: it is backed up closed. A server is backed up live.
  if (!onServer) await t.close();
  const file = path.join(work, onServer ? 'ddci.dump' : 'ddci.tar.gz');
  const backup = await cli(['backup', '--out', file], t.database.env);
  expect(backup).toMatchObject({ code: 0, err: '' });
  expect(backup.out).toContain('It holds no server secret');

  // A restore never overwrites: the source itself is refused; so is a target without the secrets.
  const refused = await cli(['restore', '--from', file], t.database.env);
  expect(refused.code).toBe(1);
  expect(refused.err).toMatch(/not empty|already holds a database/);
  if (onServer) await t.close();
  const noSecrets = await runCli(['restore', '--from', file], { env: { DATA_DIR: path.join(work, 'nowhere') }, out: () => undefined, err: () => undefined });
  expect(noSecrets).toBe(1);
  const notABackup = path.join(work, 'notes.txt');
  writeFileSync(notABackup, 'not a backup');
  expect((await cli(['restore', '--from', notABackup], { DATA_DIR: path.join(work, 'other') })).err).toContain('is not a DDCI backup');

  // Secrets other than the ones the data was made with are refused before anything is written.
  const wrongSecrets: Record<string, string>[] = [{ HMAC_SECRET: 'another-hmac-secret-that-is-long-enough-0123456789' }, { SESSION_SECRET: 'another-session-secret-that-is-long-enough-012345' }];
  for (const wrong of wrongSecrets) {
    const name = Object.keys(wrong)[0]!;
    const empty = onServer ? await freshDatabase({ migrate: false }) : null;
    const dataDir = path.join(work, `wrong-${name}`);
    const attempt = await cli(['restore', '--from', file], { ...(empty ? empty.env : { DATA_DIR: dataDir }), ...wrong });
    expect({ name, code: attempt.code }).toEqual({ name, code: 1 });
    expect(attempt.err).toContain(`${name} is not the secret this database was made with`);
    if (empty) {
      expect(await queryRows<{ n: number }>(empty.db, sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`)).toEqual([{ n: 0 }]);
      await empty.close();
    } else expect(existsSync(path.join(dataDir, 'pgdata'))).toBe(false);
  }

  let target: Database;
  let restored: Awaited<ReturnType<typeof cli>>;
  if (onServer) {
    const empty = await freshDatabase({ migrate: false });
    restored = await cli(['restore', '--from', file], empty.env);
    target = empty;
  } else {
    const dataDir = path.join(work, 'restored');
    restored = await cli(['restore', '--from', file], { DATA_DIR: dataDir });
    target = await openDatabase({ dataDir });
  }
  try {
    expect(restored).toMatchObject({ code: 0, err: '' });
    expect(restored.out).toContain(`14 stored responses, ${before.audit} audit entries`);
    expect(restored.out).toContain(`audit log intact: ${before.audit} entries verified`);

    const audit = await verifyAuditLog(target.db);
    expect(audit).toMatchObject({ ok: true, count: before.audit });
    const [bulletin] = await target.db.select().from(bulletins).where(eq(bulletins.campaignId, fw.campaignId));
    expect(bulletin!.hash).toBe(before.bulletin);
    expect(await receiptsOf(target, fw.campaignId)).toEqual(before.receipts);
    expect([...bulletin!.content.receipts].sort()).toEqual(before.receipts);

    // Three of the five members approve on the restored copy; the run opens and checks every response.
    const registry = new UnsealingRegistry(target.db, approvalKey(TEST_HMAC_SECRET), 60_000);
    for (const member of fw.members.slice(2)) expect(await approveUnsealing(target.db, registry, fw.campaignId, member, TEST_PASSPHRASE)).toMatchObject({ ok: true });
    const run = await startUnsealing({ db: target.db, catalog: shippedCatalog(), registry, logger: createLogger('silent') }, fw.members[2]!, fw.campaignId);
    if (!run.ok) throw new Error(run.error.key);
    await run.value.done;
    expect(await latestRun(target.db, fw.campaignId)).toMatchObject({ status: 'done', done: 14, total: 14 });
  } finally {
    await target.close();
  }
}, 300_000);
