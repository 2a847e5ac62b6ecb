import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { StaffPrincipal } from '../auth/index.js';
import type { Db } from '../db/client.js';
import { generateInvitations } from '../invitations/service.js';
import type { Logger } from '../logger.js';
import type { Result } from '../result.js';
import { codeKeys } from '../sampling/access-codes.js';
import { DEFAULT_DESIGN } from '../sampling/design.js';
import { freezeFrame, startFrameImport } from '../sampling/frame-import.js';
import { commitSeed, drawCampaignSample, saveDesign } from '../sampling/plan.js';
import { writeFrameCsv } from './frame.js';

/** What the demo seeding does as the system, step by step, the way an administrator would. */
export const SYSTEM: StaffPrincipal = { id: 'system', username: 'system', displayName: 'System (demo seed)', role: 'admin', mustChangePassword: false };

export function must<T>(step: string, result: Result<T>): T {
  if (!result.ok) throw new Error(`demo seed: ${step} refused (${result.error.key})`);
  return result.value;
}

/**
 * A campaign in the sampling stage taken through a generated frame (written to `frameFile` and kept for
 * `ddci sample verify`), its freeze, a design by size band, a committed seed, the draw and the invitations.
 */
export async function sampleDemoCampaign(
  db: Db,
  options: { logger: Logger; hmacSecret: string; campaignId: string; frameFile: string; rows: number; unitCodes: string[]; seed: number; maxPerUnit: number },
): Promise<{ keys: ReturnType<typeof codeKeys>; invited: number }> {
  const { campaignId } = options;
  mkdirSync(path.dirname(options.frameFile), { recursive: true });
  await writeFrameCsv(options.frameFile, options.rows, options.unitCodes, options.seed);
  // The importer consumes its upload, so it reads a copy and the frame stays.
  const upload = `${options.frameFile}.upload`;
  copyFileSync(options.frameFile, upload);
  const started = must('frame import', await startFrameImport(db, options.logger, 'system', campaignId, { path: upload, name: path.basename(options.frameFile), size: statSync(upload).size }));
  await started.done;
  must('freeze', await freezeFrame(db, 'system', campaignId));
  must('design', await saveDesign(db, 'system', campaignId, { ...DEFAULT_DESIGN, minPerUnit: 20, maxPerUnit: options.maxPerUnit }));
  must('seed', await commitSeed(db, 'system', campaignId, {}));
  must('draw', await drawCampaignSample(db, 'system', campaignId));
  const keys = codeKeys(options.hmacSecret);
  return { keys, invited: must('invitations', await generateInvitations(db, keys, 'system', campaignId)) };
}
