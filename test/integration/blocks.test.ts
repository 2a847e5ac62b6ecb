import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../server/paths.js';
import { overview } from '../../server/reports/model.js';
import { installSurveySchemas, shippedCatalog, type Methodology } from '../../server/questionnaires/index.js';
import { Browser, startTestApp, TEST_PASSPHRASE, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { answeredAndScored } from '../support/fieldwork.js';

/**
 * Blocks are configuration: a province's methodology may define one block or four, and every step —
 * sampling, answering, unsealing, scoring, ranking, the tables — works per block. Two methodologies are
 * installed beside the shipped ones (SURVEY_SCHEMAS_DIR), as a province would add its own.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'ddci-blocks-'));
cpSync(fromRoot('survey-schemas'), dir, { recursive: true });
const shipped = JSON.parse(readFileSync(path.join(dir, 'methodology-2026.2.json'), 'utf8')) as Methodology & { $schema: string };
const [provincial, , commune] = shipped.blocks;
const relative = { scheme: 'relative' as const, bands: [{ upTo: 0.34, label: { vi: 'Nhóm đầu', en: 'Top group' } }, { upTo: 1, label: { vi: 'Nhóm sau', en: 'Other' } }] };
const write = (m: Methodology) => writeFileSync(path.join(dir, `methodology-${m.version}.json`), JSON.stringify({ ...m, $schema: shipped.$schema }));
write({ ...shipped, version: '2099.1', blocks: [{ ...provincial!, code: 'one', name: { vi: 'Một khối', en: 'One block' } }] });
write({
  ...shipped,
  version: '2099.2',
  blocks: [
    { ...provincial!, code: 'so', name: { vi: 'Sở', en: 'Departments' } },
    { ...provincial!, code: 'ban', name: { vi: 'Ban', en: 'Boards' }, tiers: relative },
    { ...provincial!, code: 'tw', name: { vi: 'Trung ương', en: 'Central' } },
    { ...commune!, code: 'xa', name: { vi: 'Xã, phường', en: 'Communes' } },
  ],
});
installSurveySchemas(dir);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** A campaign of `version` with `units` (code → block), answered, unsealed and scored; the sealed results page as the chair reads it. */
async function scored(province: string, version: string, units: Record<string, string>) {
  const { fw, ...opened } = await answeredAndScored(t, province, version, units);
  const chair = new Browser(t.app);
  await chair.login(fw.members[0]!.username, TEST_PASSWORD);
  const page = await chair.post(`/campaigns/${fw.campaignId}/results/sealed`, { passphrase: TEST_PASSPHRASE });
  return { ...opened, page: page.text };
}

/** Ranks within each block: competition ranks 1… over the block's ranked units, whatever the other blocks hold. */
function expectRankedPerBlock(units: { unit: string; block: string; rank: number | null; composite: number | null }[], blocks: string[]) {
  expect([...new Set(units.map((u) => u.block))].sort()).toEqual([...blocks].sort());
  for (const block of blocks) {
    const ranked = units.filter((u) => u.block === block && u.rank !== null).sort((a, b) => a.rank! - b.rank!);
    expect(ranked.length).toBeGreaterThanOrEqual(2);
    expect(ranked[0]!.rank).toBe(1);
    for (let i = 1; i < ranked.length; i++) {
      const [before, after] = [ranked[i - 1]!, ranked[i]!];
      // Composites within 1e-9 of each other share a rank (shareRanks), in whichever order they were summed.
      if (after.rank === before.rank) expect(Math.abs(after.composite! - before.composite!)).toBeLessThan(1e-9);
      else expect(after.composite!).toBeLessThan(before.composite!);
    }
  }
}

test('one block: every unit sampled, answered, unsealed, scored and ranked in it', async () => {
  const { results, microdata, page } = await scored('Một Khối', '2099.1', { SXD: 'one', STC: 'one', SCT: 'one' });
  expect(microdata.units.map((u) => u.block)).toEqual(['one', 'one', 'one']);
  expectRankedPerBlock(results.result.units, ['one']);
  expect(Object.keys(results.result.bounds)).toEqual(['one']);
  expect(page).toContain('<h2>Một khối</h2>');
}, 180_000);

test('four blocks: each scored and ranked on its own, with its questionnaire and its tier scheme', async () => {
  const units = { SA: 'so', SB: 'so', BA: 'ban', BB: 'ban', BC: 'ban', TA: 'tw', TB: 'tw', XA: 'xa', XB: 'xa' };
  const { results, microdata, page } = await scored('Bốn Khối', '2099.2', units);
  const methodology = shippedCatalog().methodologies.get('2099.2')!;
  expectRankedPerBlock(results.result.units, ['so', 'ban', 'tw', 'xa']);
  // The commune block answered the commune form (land and security questions), the others the department form.
  expect(microdata.responses.filter((r) => r.unit.startsWith('X')).every((r) => r.questionnaire === 'commune-2026.2')).toBe(true);
  expect(microdata.responses.filter((r) => !r.unit.startsWith('X')).every((r) => r.questionnaire === 'department-2026.1')).toBe(true);
  expect(results.result.units.find((u) => u.unit === 'XA')!.pillars.map((p) => p.code)).toContain('P9');
  expect(results.result.units.find((u) => u.unit === 'SA')!.pillars.map((p) => p.code)).not.toContain('P9');
  // Relative tiers in the boards' block: the first third of its ranking is the top group.
  for (const u of results.result.units.filter((x) => x.block === 'ban' && x.rank !== null)) expect(u.tier).toBe((u.rank! - 1) / 3 < 0.34 ? 0 : 1);
  expect(overview(results, methodology, 'vi').map((block) => block.name)).toEqual(['Sở', 'Ban', 'Trung ương', 'Xã, phường']);
  for (const name of ['Sở', 'Ban', 'Trung ương', 'Xã, phường']) expect(page).toContain(`<h2>${name}</h2>`);
  expect(page).toContain('Nhóm đầu');
}, 180_000);
