import { unlink } from 'node:fs/promises';
import { recordAudit } from '../audit/index.js';
import { findCampaign, listUnits } from '../campaigns/queries.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import { ok, refuse, type Result, type RowError } from '../result.js';
import { frameHasher } from './frame-hash.js';
import { kindOf, readFrameFile, type FrameFileKind } from './frame-reader.js';
import { checkFrameRow, mapHeader, type ColumnMap, type FrameRow } from './frame-rows.js';
import * as q from './queries.js';

const BATCH = 5000;
const PROGRESS_EVERY_MS = 500;

export interface UploadedFrame {
  path: string;
  name: string;
  size: number;
}

/** Whether the campaign's frame may change now: sampling stage, not frozen. */
async function frameEditable(db: Db, campaignId: string): Promise<Result<undefined>> {
  const campaign = await findCampaign(db, campaignId);
  if (!campaign) return refuse({ key: 'campaigns.notFound' });
  if (campaign.state !== 'sampling') return refuse({ key: 'sampling.onlyInSampling' });
  if ((await q.findPlan(db, campaignId))?.frozenAt) return refuse({ key: 'frame.alreadyFrozen' });
  return ok(undefined);
}

/**
 * Starts checking an uploaded frame file in the background; `done` settles when it is finished. A file
 * without errors is imported at once; a file with errors imports nothing until the admin chooses to
 * import its valid rows. Progress is written to the database as it goes.
 *
 * `ownUnits`: the upload is a unit contact's own list for these of its units (docs/design.md §5); once in, it
 * is those units' list, and the administrator's file and other units' lists stay as they are.
 */
export async function startFrameImport(
  db: Db,
  logger: Logger,
  actor: string,
  campaignId: string,
  file: UploadedFrame,
  ownUnits?: readonly string[],
): Promise<Result<{ importId: string; done: Promise<void> }>> {
  const discard = () => unlink(file.path).catch(() => undefined);
  const kind = kindOf(file.name);
  const editable = await frameEditable(db, campaignId);
  const unitCodes = new Set((await listUnits(db, campaignId)).map((u) => u.code));
  const own = ownUnits && new Set(ownUnits.filter((u) => unitCodes.has(u)));
  const refusal = !kind
    ? refuse({ key: 'frame.badType' })
    : !editable.ok
      ? editable
      : own?.size === 0
        ? refuse({ key: 'lists.noUnits' })
        : (await q.latestImport(db, campaignId, 'any'))?.status === 'running'
          ? refuse({ key: 'frame.busy' })
          : null;
  if (refusal) {
    await discard();
    return refusal;
  }
  const importId = crypto.randomUUID();
  const fileName = file.name.slice(0, 200);
  const started = await db.transaction(async (tx) => {
    if (!(await q.insertImport(tx, { id: importId, campaignId, fileName, bytesTotal: file.size, createdBy: actor, unitCodes: own ? [...own].sort() : null }))) return false;
    await recordAudit(tx, { actor, action: 'frame.import_started', campaignId, subject: importId, details: { file: fileName, bytes: file.size, ...(own ? { units: [...own].sort().join(',') } : {}) } });
    return true;
  });
  if (!started) {
    await discard();
    return refuse({ key: 'frame.busy' });
  }
  const done = processImport(db, { importId, campaignId, actor, unitCodes, ownUnits: own }, file.path, kind!)
    .catch(async (error: unknown) => {
      logger.warn({ err: error, importId, campaignId }, 'frame import failed');
      await q.updateImport(db, importId, { status: 'failed', failure: error instanceof Error ? error.message.slice(0, 300) : 'unknown', finishedAt: new Date() });
    })
    .finally(discard);
  return ok({ importId, done });
}

export interface ImportJob {
  importId: string;
  campaignId: string;
  actor: string;
  /** The campaign's units; and a unit contact's, when the file is its own list. */
  unitCodes: ReadonlySet<string>;
  ownUnits?: ReadonlySet<string> | undefined;
}

/** Reads, checks and stages every row; imports at once when no row is bad. Exported for `sample verify`. */
export async function processImport(db: Db, job: ImportJob, path: string, kind: FrameFileKind): Promise<void> {
  const { importId, campaignId, actor } = job;
  let bytesRead = 0;
  let rowsRead = 0;
  let rowsValid = 0;
  let rowsInvalid = 0;
  let valid: FrameRow[] = [];
  let errors: RowError[] = [];
  let columns: ColumnMap | undefined;
  let lastProgress = Date.now();

  // One batch is written while the next is read and checked (on a server the two run side by side); a
  // failed write fails the import at the next flush.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const [rows, rowErrors] = [valid, errors];
    valid = [];
    errors = [];
    await writing;
    const progress = Date.now() - lastProgress > PROGRESS_EVERY_MS ? { bytesRead, rowsRead, rowsValid, rowsInvalid } : null;
    if (progress) lastProgress = Date.now();
    writing = (async () => {
      await q.stageRows(db, importId, rows);
      await q.recordRowErrors(db, importId, rowErrors);
      if (progress) await q.updateImport(db, importId, progress);
    })();
    writing.catch(() => undefined); // awaited at the next flush; not an unhandled rejection meanwhile
  };

  for await (const { row, cells } of readFrameFile(path, kind, (n) => (bytesRead += n))) {
    if (!columns) {
      const header = mapHeader(cells);
      if (!header.ok) {
        const missing = header.missing.join(', ');
        await q.recordRowErrors(db, importId, [{ row, column: missing, reason: { key: 'csv.missingColumns', params: { columns: missing } } }]);
        await q.updateImport(db, importId, { status: 'invalid', rowsInvalid: 1, bytesRead, finishedAt: new Date() });
        return;
      }
      columns = header.columns;
      continue;
    }
    rowsRead++;
    const checked = checkFrameRow(cells, row, columns, job.unitCodes, job.ownUnits);
    if (checked.ok) {
      valid.push(checked.row);
      rowsValid++;
    } else {
      errors.push(...checked.errors);
      rowsInvalid++;
    }
    if (valid.length + errors.length >= BATCH) await flush();
  }
  await flush();
  await writing;
  const counts = { bytesRead, rowsRead, rowsValid, rowsInvalid };
  if (rowsRead === 0) {
    await q.recordRowErrors(db, importId, [{ row: 2, column: '', reason: { key: 'csv.empty' } }]);
    await q.updateImport(db, importId, { ...counts, status: 'invalid', rowsInvalid: 1, finishedAt: new Date() });
  } else if (rowsInvalid > 0) {
    await q.updateImport(db, importId, { ...counts, status: 'invalid', finishedAt: new Date() });
  } else {
    // Straight from running to imported in one transaction: a page read in between still sees "running" and keeps refreshing.
    const merged = await mergeImport(db, actor, campaignId, importId, counts);
    if (!merged.ok) await q.updateImport(db, importId, { ...counts, status: 'failed', failure: 'frozen', finishedAt: new Date() });
  }
}

async function mergeImport(db: Db, actor: string, campaignId: string, importId: string, counts: Partial<Pick<q.ImportRow, 'bytesRead' | 'rowsRead' | 'rowsValid' | 'rowsInvalid'>> = {}): Promise<Result<q.MergeReport>> {
  const report = await db.transaction(async (tx) => {
    // The plan's lock first: two lists finishing at once merge one after the other, each seeing the other's
    // rows, and a list finishing after the freeze changes nothing.
    if ((await q.lockPlan(tx, campaignId)).frozenAt) return null;
    await q.updateImport(tx, importId, { ...counts, status: 'imported', finishedAt: new Date() });
    const report = await q.mergeStaged(tx, campaignId);
    await q.updateImport(tx, importId, { mergeReport: { ...report } });
    await q.updatePlan(tx, campaignId, { importId });
    await recordAudit(tx, { actor, action: 'frame.imported', campaignId, subject: importId, details: { ...report } });
    return report;
  });
  if (!report) return refuse({ key: 'frame.alreadyFrozen' });
  await q.afterMerge(db, campaignId);
  return ok(report);
}

/** The uploader's choice for a file with bad rows: import its valid rows only (a unit contact, only its own lists). */
export async function importValidRows(db: Db, actor: string, campaignId: string, importId: string, contact?: string): Promise<Result<q.MergeReport>> {
  const editable = await frameEditable(db, campaignId);
  if (!editable.ok) return editable;
  const job = await q.findImport(db, campaignId, importId);
  if (!job || job.status !== 'invalid' || job.rowsValid === 0 || (contact !== undefined && (job.createdBy !== contact || !job.unitCodes))) return refuse({ key: 'frame.notImported' });
  return mergeImport(db, actor, campaignId, importId);
}

/** SHA-256 of the campaign's frame as defined in frame-hash.ts, read page by page. */
export async function computeFrameHash(db: Db, campaignId: string): Promise<{ hash: string; lines: number }> {
  const hasher = frameHasher();
  let after: { taxCode: string; unitCode: string } | null = null;
  for (;;) {
    const page = await q.framePage(db, campaignId, after, 20_000);
    if (!page.length) return hasher.digest();
    for (const line of page) hasher.add(line);
    const last = page[page.length - 1]!;
    after = { taxCode: last.taxCode, unitCode: last.unitCode };
  }
}

/** Freezes the imported frame: from now on it cannot change, and its hash is public. */
export async function freezeFrame(db: Db, actor: string, campaignId: string): Promise<Result<string>> {
  const editable = await frameEditable(db, campaignId);
  if (!editable.ok) return editable;
  if ((await q.latestImport(db, campaignId, 'any'))?.status === 'running') return refuse({ key: 'frame.busy' });
  // The administrator's latest file must be in (a file left with bad rows is a decision still to take).
  if ((await q.latestImport(db, campaignId, 'frame'))?.status !== 'imported') return refuse({ key: 'frame.notImported' });
  return db.transaction(async (tx) => {
    const plan = await q.lockPlan(tx, campaignId);
    if (plan.frozenAt) return refuse({ key: 'frame.alreadyFrozen' });
    const { hash, lines } = await computeFrameHash(tx, campaignId);
    const businesses = await q.countFrameBusinesses(tx, campaignId);
    await q.updatePlan(tx, campaignId, { frameHash: hash, frameDealings: lines, frameBusinesses: businesses, frozenAt: new Date() });
    await recordAudit(tx, { actor, action: 'frame.frozen', campaignId, details: { frameHash: hash, pairs: lines, businesses } });
    return ok(hash);
  });
}
