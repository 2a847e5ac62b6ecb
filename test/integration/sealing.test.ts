import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { combine } from 'shamir-secret-sharing';
import { addUnit, createCampaign, setCommittee, setCommitteeMembers } from '../../server/campaigns/index.js';
import { transition } from '../../server/workflow/index.js';
import type { StaffPrincipal } from '../../server/auth/index.js';
import type { Db } from '../../server/db/client.js';
import { keyShares, memberKeys, campaignKeys, unsealApprovals } from '../../server/db/schema.js';
import {
  approveUnsealing,
  openForMember,
  responseSealer,
  sealForCommittee,
  SealingError,
  approvalKey,
  UnsealingRegistry,
  withCampaignDecryptor,
} from '../../server/sealing/index.js';
import { unlockMemberKey } from '../../server/sealing/member-keys.js';
import { openShare } from '../../server/sealing/shares.js';
import { rawPrivate, x25519PrivateFromRaw } from '../../server/sealing/primitives.js';
import { createAccount, TEST_PASSPHRASE } from '../support/app.js';
import { databaseFiles, freshDatabase, onServer, tableDumps, type TestDatabase } from '../support/database.js';
import { completeSampling } from '../support/sampling.js';

let database: TestDatabase;
let db: Db;
let admin: StaffPrincipal;
let members: StaffPrincipal[];

/** A campaign in fieldwork, its 3-of-5 key ceremony done. */
async function campaignInFieldwork(province: string): Promise<string> {
  const created = await createCampaign(db, admin.username, { province, year: 2026, title: `DDCI ${province}` });
  if (!created.ok) throw new Error('campaign');
  const id = created.value;
  await addUnit(db, admin.username, id, { code: 'SXD', block: 'provincial', nameVi: 'Sở Xây dựng', nameEn: 'Department of Construction' });
  await setCommittee(db, admin.username, id, { size: 5, threshold: 3 });
  expect(await setCommitteeMembers(db, admin.username, id, members.map((m) => m.username))).toMatchObject({ ok: true });
  expect(await transition(db, admin, id, 'sampling')).toMatchObject({ ok: true });
  await completeSampling(db, admin.username, id);
  expect(await transition(db, admin, id, 'fieldwork')).toMatchObject({ ok: true });
  return id;
}

async function close(id: string) {
  // No envelope is pending here (none was submitted): any mixing key closes.
  expect(await transition(db, admin, id, 'closed', { mixKey: randomBytes(32) })).toMatchObject({ ok: true });
}

const contextOf = (i: number) => `campaign;unit=U${i % 7};questionnaire=dept-1`;
const answersOf = (i: number) => Buffer.from(JSON.stringify({ respondent: i, A1: (i % 5) + 1, note: `ý kiến số ${i}` }), 'utf8');

/** One app instance's view of the approvals; every instance of a deployment shares the server secret. */
const registryOf = (ttlMs: number, secret = 'the server secret of this deployment') => new UnsealingRegistry(db, approvalKey(secret), ttlMs);

function subsets<T>(items: T[], size: number): T[][] {
  if (size === 0) return [[]];
  return items.flatMap((item, i) => subsets(items.slice(i + 1), size - 1).map((rest) => [item, ...rest]));
}

beforeAll(async () => {
  database = await freshDatabase({ onDisk: true });
  db = database.db;
  admin = (await createAccount(db, 'admin')).principal;
  members = [(await createAccount(db, 'chair')).principal];
  for (let i = 0; i < 4; i++) members.push((await createAccount(db, 'member')).principal);
}, 120_000);
afterAll(() => database.close());

describe('a 3-of-5 committee', () => {
  let campaignId: string;
  const envelopes: { envelope: Buffer; context: string }[] = [];

  beforeAll(async () => {
    campaignId = await campaignInFieldwork('Lạng Sơn');
    const seal = await responseSealer(db, campaignId);
    for (let i = 0; i < 1000; i++) envelopes.push({ envelope: seal(answersOf(i), contextOf(i)), context: contextOf(i) });
    await close(campaignId);
  });

  test('1,000 envelopes round-trip once any three members approve', async () => {
    const registry = registryOf(60_000);
    for (const m of members.slice(1, 4)) expect(await approveUnsealing(db, registry, campaignId, m, TEST_PASSPHRASE)).toMatchObject({ ok: true });
    const opened = await withCampaignDecryptor(db, registry, campaignId, async (d) => envelopes.map((e) => d.open(e.envelope, e.context)));
    opened.forEach((plain, i) => expect(plain).toEqual(answersOf(i)));
    expect(await registry.approvers(campaignId)).toEqual([]); // every share dropped when the work returned
  });

  test('the worker threads open the same plaintexts, in order; one altered envelope fails its batch; they end with the decryptor', async () => {
    const registry = registryOf(60_000);
    for (const m of members.slice(2, 5)) await approveUnsealing(db, registry, campaignId, m, TEST_PASSPHRASE);
    const altered = Buffer.from(envelopes[777]!.envelope);
    altered.fill(7, altered.length - 20, altered.length - 10);
    const tampered = envelopes.map((e, i) => (i === 777 ? { ...e, envelope: altered } : e));
    const { opened, refused, escaped } = await withCampaignDecryptor(db, registry, campaignId, async (d) => ({
      opened: (await d.openAll(envelopes.slice(0, 500))).concat(await d.openAll(envelopes.slice(500))).map((p) => Buffer.from(p)),
      refused: await d.openAll(tampered).catch((e: unknown) => e),
      escaped: d,
    }));
    expect(opened).toHaveLength(1000);
    opened.forEach((plain, i) => expect(plain).toEqual(answersOf(i)));
    expect(refused).toMatchObject({ name: 'SealingError', code: 'authentication' });
    await expect(escaped.openAll(envelopes.slice(0, 2))).rejects.toThrow(/dropped/);
  });

  test('every set of three members unseals; no set of two does', async () => {
    const probe = envelopes[42]!;
    // Each member's share opened once with the passphrase (argon2id is the slow part); each subset then
    // approves with copies of its members' shares, one subset at a time (approvals are the campaign's).
    const campaignKey = (await db.select().from(campaignKeys).where(eq(campaignKeys.campaignId, campaignId)))[0]!;
    const opened = new Map<string, Buffer>();
    for (const m of members) {
      const record = (await db.select().from(memberKeys).where(eq(memberKeys.staffId, m.id)))[0]!;
      const sealed = (await db.select().from(keyShares).where(sql`${keyShares.campaignId} = ${campaignId} and ${keyShares.staffId} = ${m.id}`))[0]!;
      opened.set(m.id, openShare(sealed.sealedShare, (await unlockMemberKey(record, TEST_PASSPHRASE, 'encryption'))!, campaignId, m.id, campaignKey.publicKey));
    }
    const approveAll = async (group: StaffPrincipal[]) => {
      const registry = registryOf(120_000);
      for (const m of group) await registry.hold(campaignId, m.id, Buffer.from(opened.get(m.id)!));
      return registry;
    };
    const plains: Buffer[] = [];
    for (const trio of subsets(members, 3)) {
      plains.push(await withCampaignDecryptor(db, await approveAll(trio), campaignId, async (d) => d.open(probe.envelope, probe.context)));
    }
    expect(plains).toHaveLength(10);
    for (const plain of plains) expect(plain).toEqual(answersOf(42));

    const refusals: { ran: boolean; code: string }[] = [];
    for (const pair of subsets(members, 2)) {
      let ran = false;
      const registry = await approveAll(pair);
      const error = await withCampaignDecryptor(db, registry, campaignId, async () => {
        ran = true;
      }).catch((e: unknown) => e);
      refusals.push({ ran, code: (error as SealingError).code });
      await registry.dropAll(campaignId);
    }
    expect(refusals).toEqual(Array.from({ length: 10 }, () => ({ ran: false, code: 'quorum' })));
  }, 120_000);

  test('a decryptor that escapes its scope is dead', async () => {
    const registry = registryOf(60_000);
    for (const m of members.slice(0, 3)) await approveUnsealing(db, registry, campaignId, m, TEST_PASSPHRASE);
    const escaped = await withCampaignDecryptor(db, registry, campaignId, async (d) => d);
    expect(() => escaped.open(envelopes[0]!.envelope, envelopes[0]!.context)).toThrow(/dropped/);
  });

  test('a wrong passphrase is refused, audited, and holds nothing', async () => {
    const registry = registryOf(60_000);
    const refused = await approveUnsealing(db, registry, campaignId, members[0]!, 'not the passphrase at all');
    expect(refused).toEqual({ ok: false, error: { key: 'unseal.wrongPassphrase' } });
    expect(await registry.approvers(campaignId)).toEqual([]);
    const audit = await database.db.query.auditLog.findMany({ where: (a, { eq }) => eq(a.action, 'sealing.approval_refused'), orderBy: (a, { asc }) => [asc(a.seq)] });
    expect(audit.at(-1)).toMatchObject({ subject: members[0]!.username, details: { reason: 'passphrase' } });
    expect(JSON.stringify(audit)).not.toContain('not the passphrase');
  });

  test('a non-member has no share to approve with', async () => {
    const outsider = (await createAccount(db, 'member')).principal;
    const registry = registryOf(60_000);
    expect(await approveUnsealing(db, registry, campaignId, outsider, TEST_PASSPHRASE)).toEqual({ ok: false, error: { key: 'unseal.notMember' } });
  });

  test('a corrupted share is refused at approval, and nothing is decrypted', async () => {
    const [row] = await database.db.select().from(keyShares).where(sql`${keyShares.campaignId} = ${campaignId} and ${keyShares.staffId} = ${members[4]!.id}`);
    const corrupted = Buffer.from(row!.sealedShare);
    corrupted[corrupted.length - 20]! ^= 0x40;
    await database.db.update(keyShares).set({ sealedShare: corrupted }).where(sql`${keyShares.campaignId} = ${campaignId} and ${keyShares.staffId} = ${members[4]!.id}`);
    const registry = registryOf(60_000);
    expect(await approveUnsealing(db, registry, campaignId, members[4]!, TEST_PASSPHRASE)).toEqual({ ok: false, error: { key: 'unseal.badShare' } });
    expect(await registry.approvers(campaignId)).toEqual([]);
    await database.db.update(keyShares).set({ sealedShare: row!.sealedShare }).where(sql`${keyShares.campaignId} = ${campaignId} and ${keyShares.staffId} = ${members[4]!.id}`);
  });

  test('approvals expire: a share is held only for the configured time, and the caller’s copy is zeroed at once', async () => {
    // The registry's clock, not argon2's speed, decides: shares are held directly here.
    const registry = registryOf(1500);
    const shares = [Buffer.from('share one'), Buffer.from('share two'), Buffer.from('share three')];
    for (const [i, share] of shares.entries()) await registry.hold(campaignId, members[i]!.id, share);
    for (const share of shares) expect(share.every((byte) => byte === 0)).toBe(true);
    expect(await registry.approvers(campaignId)).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await registry.approvers(campaignId)).toEqual([]);
    expect(await db.select().from(unsealApprovals)).toEqual([]); // lapsed approvals are deleted, not just ignored
    await expect(withCampaignDecryptor(db, registry, campaignId, async () => 1)).rejects.toMatchObject({ code: 'quorum' });
  });

  test('approvals are shared by every instance of one deployment, and useless to anyone without its secret', async () => {
    const [first, second] = [registryOf(60_000), registryOf(60_000)]; // two app instances, one database
    await approveUnsealing(db, first, campaignId, members[0]!, TEST_PASSPHRASE);
    await approveUnsealing(db, second, campaignId, members[1]!, TEST_PASSPHRASE);
    await approveUnsealing(db, first, campaignId, members[2]!, TEST_PASSPHRASE);
    expect((await second.approvers(campaignId)).sort()).toEqual(members.slice(0, 3).map((m) => m.id).sort());
    // What the database holds is sealed: another secret cannot open it, and a row edited to last longer is refused.
    await expect(withCampaignDecryptor(db, registryOf(60_000, 'someone else'), campaignId, async () => 1)).rejects.toMatchObject({ code: 'authentication' });
    for (const m of members.slice(0, 3)) await approveUnsealing(db, first, campaignId, m, TEST_PASSPHRASE);
    await db.update(unsealApprovals).set({ expiresAt: sql`expires_at + interval '1 day'` }).where(eq(unsealApprovals.staffId, members[0]!.id));
    await expect(withCampaignDecryptor(db, second, campaignId, async () => 1)).rejects.toMatchObject({ code: 'authentication' });
    for (const m of members.slice(0, 3)) await approveUnsealing(db, first, campaignId, m, TEST_PASSPHRASE);
    const plain = await withCampaignDecryptor(db, second, campaignId, async (d) => d.open(envelopes[7]!.envelope, envelopes[7]!.context));
    expect(plain).toEqual(answersOf(7));
    expect(await db.select().from(unsealApprovals)).toEqual([]); // used: deleted for every instance
  }, 60_000);

  test('the database holds no campaign private key and no share in clear — in any table or file', async () => {
    // Rebuild the key the way three members would, to know which bytes must never be stored.
    const campaignKey = (await database.db.select().from(campaignKeys).where(sql`${campaignKeys.campaignId} = ${campaignId}`))[0]!;
    const shares: Buffer[] = [];
    for (const m of members) {
      const record = (await database.db.select().from(memberKeys).where(sql`${memberKeys.staffId} = ${m.id}`))[0]!;
      const memberKey = (await unlockMemberKey(record, TEST_PASSPHRASE, 'encryption'))!;
      const share = (await database.db.select().from(keyShares).where(sql`${keyShares.campaignId} = ${campaignId} and ${keyShares.staffId} = ${m.id}`))[0]!;
      shares.push(openShare(share.sealedShare, memberKey, campaignId, m.id, campaignKey.publicKey));
    }
    const privateRaw = Buffer.from(await combine(shares.slice(0, 3).map((s) => new Uint8Array(s))));
    expect(rawPrivate(x25519PrivateFromRaw(privateRaw)).equals(privateRaw)).toBe(true);
    const secrets = [privateRaw, ...shares.map((s) => s.subarray(0, 32))];

    const dumps = await tableDumps(db);
    expect(dumps.length).toBeGreaterThan(5);
    for (const { table, text } of dumps) {
      const dump = text.toLowerCase();
      for (const secret of secrets) {
        expect({ table, hex: dump.includes(secret.toString('hex')) }).toEqual({ table, hex: false });
        expect({ table, b64: dump.includes(secret.toString('base64').toLowerCase()) }).toEqual({ table, b64: false });
      }
    }
    if (!onServer) {
      const files = await databaseFiles(database);
      expect(files.length).toBeGreaterThan(10);
      for (const { file, bytes } of files) {
        for (const secret of secrets) expect({ file, found: bytes.includes(secret) }).toEqual({ file, found: false });
      }
    }
  }, 120_000);
});

describe('campaign separation', () => {
  test('a share from another campaign is refused', async () => {
    const first = await campaignInFieldwork('Cao Bằng');
    const second = await campaignInFieldwork('Bắc Kạn');
    await close(first);
    await close(second);
    // A database operator swaps member 0's share of the first campaign into the second.
    const [foreign] = await database.db.select().from(keyShares).where(sql`${keyShares.campaignId} = ${first} and ${keyShares.staffId} = ${members[0]!.id}`);
    await database.db.update(keyShares).set({ sealedShare: foreign!.sealedShare }).where(sql`${keyShares.campaignId} = ${second} and ${keyShares.staffId} = ${members[0]!.id}`);
    const registry = registryOf(60_000);
    expect(await approveUnsealing(db, registry, second, members[0]!, TEST_PASSPHRASE)).toEqual({ ok: false, error: { key: 'unseal.badShare' } });
  });

  test('approvals are refused before the campaign is closed', async () => {
    const open = await campaignInFieldwork('Hà Giang');
    const registry = registryOf(60_000);
    expect(await approveUnsealing(db, registry, open, members[0]!, TEST_PASSPHRASE)).toEqual({ ok: false, error: { key: 'unseal.notClosed' } });
  });

  test('responses cannot be sealed before the key ceremony', async () => {
    const created = await createCampaign(db, admin.username, { province: 'Điện Biên', year: 2026, title: 'DDCI' });
    await expect(responseSealer(db, created.ok ? created.value : '')).rejects.toBeInstanceOf(SealingError);
  });
});

describe('sealed documents for the committee', () => {
  test('each member reads the results with the passphrase; a wrong passphrase reads nothing', async () => {
    const id = await campaignInFieldwork('Tuyên Quang');
    const results = Buffer.from(JSON.stringify({ composite: { SXD: 61.2 } }));
    const sealed = await sealForCommittee(db, id, results);
    expect(sealed.recipients).toHaveLength(5);
    for (const m of members) expect(await openForMember(db, sealed, m, TEST_PASSPHRASE)).toEqual({ ok: true, value: results });
    expect(await openForMember(db, sealed, members[0]!, 'wrong passphrase here')).toEqual({ ok: false, error: { key: 'unseal.wrongPassphrase' } });
  });
});
