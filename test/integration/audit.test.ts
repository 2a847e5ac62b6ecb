import { sql } from 'drizzle-orm';
import { recordAudit, verifyAuditLog } from '../../server/audit/index.js';
import { createStaff } from '../../server/auth/index.js';
import { createCampaign } from '../../server/campaigns/index.js';
import { runCli } from '../../server/cli/index.js';
import { freshDatabase, onServer, type TestDatabase } from '../support/database.js';

const secrets = {
  SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
  HMAC_SECRET: 'test-hmac-secret-that-is-long-enough-0123456789',
  LOG_LEVEL: 'silent',
};

async function cli(argv: string[], env: Record<string, string>) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { env: { ...secrets, ...env }, out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('audit log', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.close());

  test('entries are written in the transaction of the change: a failed change leaves no entry', async () => {
    const before = await verifyAuditLog(database.db);
    await expect(
      database.db.transaction(async (tx) => {
        await recordAudit(tx, { actor: 'quantri', action: 'test.rolled_back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await verifyAuditLog(database.db)).toEqual(before);
  });

  test('concurrent appends keep one linear chain', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        database.db.transaction((tx) => recordAudit(tx, { actor: `actor-${i}`, action: 'test.concurrent', details: { i } })),
      ),
    );
    const result = await verifyAuditLog(database.db, 7); // small pages exercise the paging
    expect(result.ok).toBe(true);
    expect(result.count).toBeGreaterThanOrEqual(25);
  });

  test('the database refuses to update or delete an entry', async () => {
    const refusedBecause = (reason: RegExp) => ({ cause: expect.objectContaining({ message: expect.stringMatching(reason) }) });
    await expect(database.db.execute(sql`update audit_log set actor = 'x' where seq = 1`)).rejects.toMatchObject(refusedBecause(/append-only \(UPDATE refused\)/));
    await expect(database.db.execute(sql`delete from audit_log where seq = 1`)).rejects.toMatchObject(refusedBecause(/append-only \(DELETE refused\)/));
  });

  test('secrets are refused before they reach the log', async () => {
    await expect(
      database.db.transaction((tx) => recordAudit(tx, { actor: 'x', action: 'y', details: { passphrase: 'hunter2' } })),
    ).rejects.toThrow(/looks like a secret/);
  });
});

describe('ddci audit verify', () => {
  test('passes on an intact log and, after a row is tampered with, exits non-zero naming it', async () => {
    const database = await freshDatabase({ onDisk: true });
    const created = await createCampaign(database.db, 'quantri', { province: 'Lạng Sơn', year: 2026, title: 'DDCI' });
    expect(created.ok).toBe(true);
    await createStaff(database.db, 'quantri', { username: 'giamsat', displayName: 'Giám sát', role: 'observer' });
    await createStaff(database.db, 'quantri', { username: 'thanhvien', displayName: 'Thành viên', role: 'member' });

    // A database operator goes around the trigger and rewrites entry 2.
    await database.db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await database.db.execute(sql`update audit_log set details = '{"role":"admin"}'::jsonb where seq = 2`);
    await database.db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    if (!onServer) await database.close(); // the embedded database has one owner at a time

    const tampered = await cli(['audit', 'verify'], database.env);
    expect(tampered.code).toBe(1);
    expect(tampered.err).toMatch(/audit log BROKEN at entry #2 \(hash\)/);
    expect(tampered.err).toContain('1 entries before it verified');
    if (onServer) await database.close();
  });

  test('reports an intact chain with its length', async () => {
    const database = await freshDatabase({ onDisk: true });
    await createCampaign(database.db, 'quantri', { province: 'Hà Giang', year: 2026, title: 'DDCI' });
    if (!onServer) await database.close();
    const intact = await cli(['audit', 'verify'], database.env);
    expect(intact).toEqual({ code: 0, out: 'audit log intact: 1 entries verified\n', err: '' });
    if (onServer) await database.close();
  });
});

describe('ddci report', () => {
  test('a campaign without published results gets a clear refusal and exit 1', async () => {
    const database = await freshDatabase({ onDisk: true });
    const created = await createCampaign(database.db, 'quantri', { province: 'Cao Bằng', year: 2026, title: 'DDCI' });
    if (!onServer) await database.close();
    const refused = await cli(['report', '--campaign', created.ok ? created.value : '', '--pdf', '/tmp/never.pdf'], database.env);
    expect(refused).toMatchObject({ code: 1, err: expect.stringContaining('has no published results') });
    if (onServer) await database.close();
  });
});

describe('ddci command line', () => {
  test.each([[[]], [['migrate']], [['audit']], [['audit', 'verify']], [['staff']], [['staff', 'create']], [['staff', 'reset-password']], [['seed-demo']]])(
    '%j --help explains itself',
    async (argv) => {
      const result = await cli([...argv, '--help'], {});
      expect(result.code).toBe(0);
      expect(result.out).toMatch(/^Usage: ddci/);
    },
  );

  test('schemas check validates the shipped files, and names file, path and problem in a bad folder', async () => {
    const ok = await cli(['schemas', 'check'], {});
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('✓ department-2026.1: 35 questions');
    expect(ok.out).toContain('✓ methodology 2026.2: 10 pillars, 40 indicators, blocks provincial (department-2026.1), central (central-2026.2), commune (commune-2026.2)');
    expect(ok.out).toContain('✓ methodology 2026.1: 10 pillars, 40 indicators');
    const { cpSync, mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { fromRoot } = await import('../../server/paths.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'ddci-schemas-'));
    cpSync(fromRoot('survey-schemas'), dir, { recursive: true });
    const file = path.join(dir, 'questionnaires', 'district-2026.1.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"type": "likert5"', '"type": "slider"'));
    const bad = await cli(['schemas', 'check', '--dir', dir], {});
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('questionnaires/district-2026.1.json /sections/1/questions/0/type: must be equal to one of the allowed values (likert5, yesno, single, multiple, number, text)');
    expect((await cli(['schemas', 'check', '--help'], {})).out).toMatch(/^Usage: ddci schemas check/);
  });

  test('a bad configuration is reported, variable by variable, with exit 1', async () => {
    const result = await cli(['migrate'], { PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    expect(result.code).toBe(1);
    expect(result.err).toContain('PORT: must be integer');
    expect(result.err).toContain('DATABASE_URL');
  });

  test('staff create prints a one-time password once; the hash, not the password, is stored', async () => {
    const database = await freshDatabase({ onDisk: true });
    if (!onServer) await database.close();
    const created = await cli(['staff', 'create', 'dtv2', '--role', 'enumerator', '--name', 'Đỗ Văn E'], database.env);
    expect(created.code).toBe(0);
    const password = /one-time password (\S+)/.exec(created.out)![1]!;
    const again = await cli(['staff', 'create', 'dtv2', '--role', 'enumerator', '--name', 'X'], database.env);
    expect(again).toMatchObject({ code: 1, err: 'the username "dtv2" is taken\n' });
    const badRole = await cli(['staff', 'create', 'x1', '--role', 'king', '--name', 'X'], database.env);
    expect(badRole.code).toBe(2);

    const reopened = onServer ? database : await freshDatabaseAt(database.env.DATA_DIR!);
    const rows = await reopened.db.query.staffUsers.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(rows)).not.toContain(password);
    await reopened.close();
  });
});

async function freshDatabaseAt(dataDir: string) {
  const { openDatabase } = await import('../../server/db/client.js');
  return openDatabase({ dataDir });
}
