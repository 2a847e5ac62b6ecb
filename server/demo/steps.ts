import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { StaffPrincipal } from '../auth/index.js';
import type { Db } from '../db/client.js';
import { generateInvitations } from '../invitations/service.js';
import type { Logger } from '../logger.js';
import type { Result } from '../result.js';
import { codeKeys } from '../sampling/access-codes.js';
import { DEFAULT_DESIGN } from '../sampling/design.js';
import { mergedFrameCsv } from '../sampling/frame-export.js';
import { freezeFrame, startFrameImport } from '../sampling/frame-import.js';
import { commitSeed, drawCampaignSample, saveDesign } from '../sampling/plan.js';
import { writeFrameCsv } from './frame.js';

/** What the demo seeding does as the system, step by step, the way an administrator would. */
export const SYSTEM: StaffPrincipal = { id: 'system', username: 'system', displayName: 'System (demo seed)', role: 'admin', mustChangePassword: false, unitCodes: [] };

export function must<T>(step: string, result: Result<T>): T {
  if (!result.ok) throw new Error(`demo seed: ${step} refused (${result.error.key})`);
  return result.value;
}

/**
 * A campaign in the sampling stage taken through a generated frame, its freeze, a design by size band, a
 * committed seed, the draw and the invitations. `unitList`: a unit contact also sends its unit's own list
 * before the freeze — half businesses the procedures data already named, half new. The merged frame is
 * written to `frameFile` and kept for `ddci sample verify`. `drawSeed`: the seed committed, when the draw must be
 * the same on every machine (else a random one, as an administrator's).
 */
export async function sampleDemoCampaign(
  db: Db,
  options: { logger: Logger; hmacSecret: string; campaignId: string; frameFile: string; rows: number; unitCodes: string[]; seed: number; drawSeed?: string; maxPerUnit: number; unitList?: { contact: string; unitCode: string; rows: number } },
): Promise<{ keys: ReturnType<typeof codeKeys>; invited: number }> {
  const { campaignId } = options;
  mkdirSync(path.dirname(options.frameFile), { recursive: true });
  await writeFrameCsv(options.frameFile, options.rows, options.unitCodes, options.seed);
  // The importer consumes its upload, so it reads a copy and the frame stays.
  const upload = `${options.frameFile}.upload`;
  copyFileSync(options.frameFile, upload);
  const started = must('frame import', await startFrameImport(db, options.logger, 'system', campaignId, { path: upload, name: path.basename(options.frameFile), size: statSync(upload).size }));
  await started.done;
  if (options.unitList) await sendUnitList(db, options.logger, campaignId, options.unitList, `${options.frameFile}.list.csv`);
  must('freeze', await freezeFrame(db, 'system', campaignId));
  await writeFile(options.frameFile, Readable.from(mergedFrameCsv(db, campaignId)));
  must('design', await saveDesign(db, 'system', campaignId, { ...DEFAULT_DESIGN, minPerUnit: 20, maxPerUnit: options.maxPerUnit }));
  must('seed', await commitSeed(db, 'system', campaignId, options.drawSeed ? { seed: options.drawSeed } : {}));
  must('draw', await drawCampaignSample(db, 'system', campaignId));
  const keys = codeKeys(options.hmacSecret);
  return { keys, invited: must('invitations', await generateInvitations(db, keys, 'system', campaignId)) };
}

/** A unit contact's list for one unit: `rows` businesses, the first half already in the frame for that unit. */
async function sendUnitList(db: Db, logger: Logger, campaignId: string, list: { contact: string; unitCode: string; rows: number }, file: string): Promise<void> {
  const known = (
    (await db.execute(sql`select tax_code as "taxCode" from frame_dealings where campaign_id = ${campaignId} and unit_code = ${list.unitCode} order by tax_code limit ${Math.ceil(list.rows / 2)}`)) as unknown as {
      rows: { taxCode: string }[];
    }
  ).rows.map((r) => r.taxCode);
  const fresh = Array.from({ length: list.rows - known.length }, (_, i) => String(4_800_000_001 + i).padStart(10, '0'));
  const lines = [...known, ...fresh].map((taxCode, i) => `${taxCode},"Hộ kinh doanh ${i + 1} (danh sách phường)","Số ${i + 1} đường Bà Triệu, TP Lạng Sơn",TPLS,Dịch vụ,micro,,,${list.unitCode},1,`);
  writeFileSync(file, ['tax_code,name,address,district,sector,size_band,email,phone,unit_code,dealings,source', ...lines].join('\n') + '\n');
  const started = must('unit list', await startFrameImport(db, logger, list.contact, campaignId, { path: file, name: path.basename(file), size: statSync(file).size }, [list.unitCode]));
  await started.done;
}
