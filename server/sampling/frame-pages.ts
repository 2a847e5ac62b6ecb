import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RequestHandler, Response } from 'express';
import multer from 'multer';
import { listUnits } from '../campaigns/queries.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { sizedUpload } from '../http/uploads.js';
import { translate, type Message } from '../i18n/index.js';
import * as q from './queries.js';

/** What the administrator's frame page and a unit contact's list page share: the upload and an import's errors. */

export const ERRORS_SHOWN = 50;

/** One file per upload, up to the configured size, written to the data directory's uploads folder. */
export function frameUpload(config: Config): RequestHandler {
  const uploadDir = path.join(config.dataDir, 'uploads');
  mkdirSync(uploadDir, { recursive: true });
  return sizedUpload(multer({ dest: uploadDir, limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 5 } }).single('file'), config.uploadMaxBytes);
}

/** An import's progress and first errors, as both pages show them. */
export async function importView(db: Db, job: q.ImportRow | undefined) {
  return {
    latest: job,
    running: job?.status === 'running',
    percent: job && job.bytesTotal ? Math.min(100, Math.round((100 * job.bytesRead) / job.bytesTotal)) : 0,
    errors: job && job.rowsInvalid ? await q.rowErrors(db, job.id, ERRORS_SHOWN) : [],
    moreErrors: job ? Math.max(0, job.rowsInvalid - ERRORS_SHOWN) : 0,
  };
}

/** Every bad row of an import as CSV in both languages, streamed a page at a time. */
export async function sendImportErrors(db: Db, res: Response, job: q.ImportRow): Promise<void> {
  res.type('text/csv; charset=utf-8').attachment(`frame-errors-${job.id}.csv`);
  res.write('\uFEFFrow,column,reason_vi,reason_en\r\n');
  let after: { row: number; column: string } | undefined;
  for (;;) {
    const page = await q.rowErrors(db, job.id, 10_000, after);
    for (const e of page) {
      const message = (lang: 'vi' | 'en') => translate(lang, e.reasonKey as Message['key'], e.reasonParams ?? {}).replace(/"/g, '""');
      res.write(`${e.row},"${e.column}","${message('vi')}","${message('en')}"\r\n`);
    }
    if (page.length < 10_000) break;
    after = page[page.length - 1]!;
  }
  res.end();
}

/**
 * Per unit, where its frame came from: rows the procedures system named, the unit's own list named, and
 * both (overlap by tax code), with shares; and the latest list its contacts uploaded. Unit names in the
 * page's language.
 */
export async function frameSources(db: Db, campaignId: string, lang: 'vi' | 'en') {
  const [units, counts, lists] = await Promise.all([listUnits(db, campaignId), q.sourcesByUnit(db, campaignId), q.latestUnitLists(db, campaignId)]);
  const countOf = new Map(counts.map((c) => [c.unitCode, c]));
  const listOf = new Map(lists.map((l) => [l.unitCode, l]));
  const share = (n: number, total: number) => (total ? n / total : 0);
  return units.map((u) => {
    const c = countOf.get(u.code) ?? { total: 0, procedureOnly: 0, listOnly: 0, both: 0 };
    return {
      code: u.code,
      name: lang === 'en' ? u.nameEn : u.nameVi,
      ...c,
      procedureShare: share(c.procedureOnly, c.total),
      listShare: share(c.listOnly, c.total),
      bothShare: share(c.both, c.total),
      list: listOf.get(u.code),
    };
  });
}
