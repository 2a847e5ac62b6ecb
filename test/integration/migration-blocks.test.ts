import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { campaignBlocks } from '../../server/campaigns/service.js';
import { listUnits, findCampaign } from '../../server/campaigns/queries.js';
import { fromRoot } from '../../server/paths.js';
import { answerSchema, shippedCatalog } from '../../server/questionnaires/index.js';
import { answersFromForm } from '../../server/responses/answers.js';
import { blockQuestionnaire } from '../../server/questionnaires/index.js';
import { randomAnswers, seededRandom, type AnswerSchema } from '../../server/responses/simulate.js';
import { buildMicrodata, scoreMicrodata } from '../../server/scoring/index.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';

/**
 * Campaigns made before blocks were configuration (units with a kind, campaigns pinning two questionnaires)
 * still open and score after the migration: their units land in the 2026.1 methodology's blocks.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase({ migrate: false });
  // The schema as it was before migration 0013: every earlier migration, and no later one.
  const older = mkdtempSync(path.join(tmpdir(), 'ddci-migrations-'));
  cpSync(fromRoot('server', 'db', 'migrations'), older, { recursive: true });
  const journal = JSON.parse(readFileSync(path.join(older, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag < '0013');
  writeFileSync(path.join(older, 'meta', '_journal.json'), JSON.stringify(journal));
  await database.migrate(older);
  await database.db.execute(sql`
    insert into campaigns (id, province, year, title, methodology_version, department_questionnaire, district_questionnaire)
    values ('old', 'Lạng Sơn', 2024, 'DDCI Lạng Sơn 2024', '2026.1', 'department-2026.1', 'district-2026.1')`);
  await database.db.execute(sql`
    insert into units (id, campaign_id, code, kind, name_vi, name_en) values
      ('u1', 'old', 'SXD', 'department', 'Sở Xây dựng', 'Department of Construction'),
      ('u2', 'old', 'STC', 'department', 'Sở Tài chính', 'Department of Finance'),
      ('u3', 'old', 'HCL', 'district', 'Huyện Cao Lộc', 'Cao Loc District')`);
  await database.migrate();
}, 60_000);
afterAll(() => database.close());

test('units keep their codes and land in the blocks named after their old kinds; the campaign keeps methodology 2026.1', async () => {
  const { db } = database;
  const campaign = (await findCampaign(db, 'old'))!;
  expect(campaign.methodologyVersion).toBe('2026.1');
  expect((await listUnits(db, 'old')).map((u) => [u.code, u.block])).toEqual([['SXD', 'department'], ['STC', 'department'], ['HCL', 'district']].sort((a, b) => a[1]!.localeCompare(b[1]!) || a[0]!.localeCompare(b[0]!)));
  expect(campaignBlocks(campaign).map((b) => [b.code, b.questionnaire])).toEqual([['department', 'department-2026.1'], ['district', 'district-2026.1']]);
});

test('and it scores per block with the methodology it pinned', async () => {
  const catalog = shippedCatalog();
  const methodology = catalog.methodologies.get('2026.1')!;
  const units = (await listUnits(database.db, 'old')).map((u) => ({ code: u.code, block: u.block, nameVi: u.nameVi, nameEn: u.nameEn }));
  const random = seededRandom(24);
  const responses = units.flatMap((u) => {
    const form = blockQuestionnaire(catalog, '2026.1', u.block);
    return Array.from({ length: 12 }, () => ({ unit: u.code, stratum: 'all', questionnaire: `${form.id}-${form.version}`, mode: 'online', answers: answersFromForm(form, randomAnswers(answerSchema(form) as unknown as AnswerSchema, random)) }));
  });
  const microdata = buildMicrodata({
    campaign: { id: 'old', province: 'Lạng Sơn', year: 2024, title: 'DDCI' },
    methodology: '2026.1',
    seed: 'old',
    units,
    strata: units.map((u) => ({ unit: u.code, stratum: 'all', population: 50 })),
    responses,
    minStratumRespondents: 5,
    minAnswersPerUnit: methodology.minAnswersPerUnit,
    bandOrder: [],
  });
  const result = scoreMicrodata(microdata, methodology);
  expect(result.units.filter((u) => u.block === 'department').map((u) => u.rank).sort()).toEqual([1, 2]);
  expect(result.units.find((u) => u.unit === 'HCL')).toMatchObject({ block: 'district', rank: 1 });
});
