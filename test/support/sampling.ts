import { mkdtempSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listUnits } from '../../server/campaigns/queries.js';
import type { Db } from '../../server/db/client.js';
import { generateInvitations } from '../../server/invitations/service.js';
import { createLogger } from '../../server/logger.js';
import { codeKeys } from '../../server/sampling/access-codes.js';
import { DEFAULT_DESIGN, type DesignParams } from '../../server/sampling/design.js';
import { freezeFrame, startFrameImport } from '../../server/sampling/frame-import.js';
import { commitSeed, drawCampaignSample, saveDesign } from '../../server/sampling/plan.js';

export const TEST_HMAC_SECRET = 'test-hmac-secret-that-is-long-enough-0123456789';
export const testCodeKeys = codeKeys(TEST_HMAC_SECRET);

/** A small frame for every unit of a campaign: `perUnit` businesses each, some dealing with two units. */
export function smallFrameCsv(unitCodes: string[], perUnit = 6): string {
  const bands = ['micro', 'small', 'medium', 'large'];
  const lines = ['tax_code,name,address,district,sector,size_band,email,phone,unit_code,dealings,source'];
  unitCodes.forEach((unit, u) => {
    for (let b = 0; b < perUnit; b++) {
      const taxCode = String(100_000_0000 + u * 100 + b).padStart(10, '0');
      lines.push(`${taxCode},Công ty ${u}-${b},"Số ${b}, phố Lê Lợi",TPLS,Dịch vụ,${bands[b % 4]},dn${u}x${b}@example.vn,0912 000 ${String(b).padStart(3, '0')},${unit},${1 + b},procedure`);
    }
  });
  return lines.join('\n') + '\n';
}

export async function importFrame(db: Db, actor: string, campaignId: string, content: string, fileName = 'frame.csv') {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ddci-frame-')), fileName);
  writeFileSync(file, content);
  const started = await startFrameImport(db, createLogger('silent'), actor, campaignId, { path: file, name: fileName, size: (await stat(file)).size });
  if (!started.ok) throw new Error('import refused: ' + started.error.key);
  await started.value.done;
  return started.value.importId;
}

/** Takes a campaign in the sampling stage through frame, design, seed, draw and invitations; returns the frame file's content. */
export async function completeSampling(db: Db, actor: string, campaignId: string, design: Partial<DesignParams> = {}, perUnit = 6): Promise<string> {
  const units = (await listUnits(db, campaignId)).map((u) => u.code);
  const frame = smallFrameCsv(units, perUnit);
  await importFrame(db, actor, campaignId, frame);
  const steps = [
    await freezeFrame(db, actor, campaignId),
    await saveDesign(db, actor, campaignId, { ...DEFAULT_DESIGN, minPerUnit: 3, maxPerUnit: 4, reserveRatio: 0.5, bySizeBand: false, ...design }),
    await commitSeed(db, actor, campaignId, { seed: 'test seed' }),
    await drawCampaignSample(db, actor, campaignId),
    await generateInvitations(db, testCodeKeys, actor, campaignId),
  ];
  const failed = steps.find((s) => !s.ok);
  if (failed && !failed.ok) throw new Error('sampling step refused: ' + failed.error.key);
  return frame;
}
