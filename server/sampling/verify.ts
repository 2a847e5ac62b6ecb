import { isDeepStrictEqual } from 'node:util';
import { sql } from 'drizzle-orm';
import { findCampaign, listUnits } from '../campaigns/queries.js';
import { openDatabase, type Db } from '../db/client.js';
import { campaigns, frameImports } from '../db/schema.js';
import { drawSample, sampleHash, seedCommitment, type DrawnEntry } from './draw.js';
import { computeFrameHash, processImport } from './frame-import.js';
import { kindOf } from './frame-reader.js';
import { computeDesign, drawStrata, type StoredDesign } from './plan.js';
import * as q from './queries.js';

export interface VerifyReport {
  ok: boolean;
  /** One line per check, `✓` or `✗`, in English for the command line. */
  lines: string[];
}

const key = (e: Pick<DrawnEntry, 'unitCode' | 'sizeBand' | 'position' | 'taxCode' | 'role'>) =>
  `${e.unitCode}|${e.sizeBand}|${e.position}|${e.taxCode}|${e.role}`;

/**
 * Re-draws a campaign's sample from the frame file, the revealed seed and the public value, with the
 * same import, design and draw code as the server, in a throwaway in-memory database, and compares
 * every published figure: seed commitment, frame hash, design, sample hash, and the stored sample.
 */
export async function verifySample(db: Db, input: { campaignId: string; frameFile: string; seed: string; publicValue?: string | undefined }): Promise<VerifyReport> {
  const lines: string[] = [];
  let ok = true;
  const check = (passed: boolean, what: string, detail = '') => {
    ok &&= passed;
    lines.push(`${passed ? '✓' : '✗'} ${what}${detail ? ': ' + detail : ''}`);
  };
  const campaign = await findCampaign(db, input.campaignId);
  const plan = await q.findPlan(db, input.campaignId);
  const kind = kindOf(input.frameFile);
  if (!campaign || !plan?.drawnAt || !plan.design || !kind) {
    return { ok: false, lines: [!kind ? '✗ the frame file must be .csv or .xlsx' : '✗ no drawn sample for this campaign'] };
  }
  check(seedCommitment(input.seed) === plan.seedCommitment, 'seed matches the published commitment', plan.seedCommitment ?? '');
  const publicValue = input.publicValue ?? plan.publicRandomValue ?? '';
  check(publicValue === (plan.publicRandomValue ?? ''), 'public random value is the published one', publicValue || '(none)');

  const scratch = await openDatabase({});
  try {
    await scratch.migrate();
    const units = await listUnits(db, campaign.id);
    await scratch.db.insert(campaigns).values({ ...campaign, state: 'sampling' });
    for (const u of units) {
      await scratch.db.execute(sql`insert into units (id, campaign_id, code, block, name_vi, name_en) values (${u.id}, ${campaign.id}, ${u.code}, ${u.block}, ${u.nameVi}, ${u.nameEn})`);
    }
    await scratch.db.insert(frameImports).values({ id: 'verify', campaignId: campaign.id, fileName: input.frameFile, bytesTotal: 0, createdBy: 'verify' });
    await processImport(scratch.db, { importId: 'verify', campaignId: campaign.id, actor: 'verify', unitCodes: new Set(units.map((u) => u.code)) }, input.frameFile, kind);
    // A frame published from a file with bad rows was imported from its valid rows: do the same.
    if ((await q.findImport(scratch.db, campaign.id, 'verify'))?.status === 'invalid') {
      await q.updateImport(scratch.db, 'verify', { status: 'imported' });
      await scratch.db.transaction((tx) => q.mergeStaged(tx, campaign.id));
    }
    const frame = await computeFrameHash(scratch.db, campaign.id);
    check(frame.hash === plan.frameHash, 'frame hash', `${frame.hash} (${frame.lines} business–unit pairs)`);

    const stored = plan.design as unknown as StoredDesign;
    const redesigned = await computeDesign(scratch.db, campaign.id, stored.params);
    // Compared as stored: through JSON (jsonb keeps its own key order and has no Infinity).
    check(isDeepStrictEqual(JSON.parse(JSON.stringify(redesigned)), stored.plans), 'design (sample sizes per unit and size band)');

    const redrawn = drawSample(await drawStrata(scratch.db, campaign.id, stored), input.seed, publicValue);
    const hash = sampleHash(redrawn);
    check(hash === plan.sampleHash, 'sample hash', hash);

    const published = (await q.sampleOf(db, campaign.id)).map((e) => key(e));
    check(sampleHash((await q.sampleOf(db, campaign.id)) as DrawnEntry[]) === plan.sampleHash, 'stored sample matches the published sample hash');
    const mine = new Set(redrawn.map(key));
    const theirs = new Set(published);
    const missing = [...mine].filter((k) => !theirs.has(k));
    const extra = [...theirs].filter((k) => !mine.has(k));
    check(missing.length === 0 && extra.length === 0, 'stored sample equals the re-drawn sample', missing.length || extra.length ? `${missing.length} re-drawn entries not stored, ${extra.length} stored entries not re-drawn` : `${redrawn.length} entries`);
    for (const k of missing.slice(0, 10)) lines.push(`    re-drawn, not stored: ${k}`);
    for (const k of extra.slice(0, 10)) lines.push(`    stored, not re-drawn: ${k}`);
  } finally {
    await scratch.close();
  }
  return { ok, lines };
}
