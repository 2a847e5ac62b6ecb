import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/chain.js';
import { recordAudit } from '../audit/index.js';
import type { StaffPrincipal } from '../auth/index.js';
import type { Db } from '../db/client.js';
import type { Message } from '../i18n/index.js';
import {
  checkSurveyDocuments,
  questionnaireKey,
  type Catalog,
  type CatalogProblem,
  type Methodology,
  type Questionnaire,
} from '../questionnaires/index.js';
import type { WorkbookDocuments } from '../questionnaires/workbook.js';
import { ok, refuse, type Result } from '../result.js';
import { signAsMember } from '../sealing/index.js';
import { findMemberKeys } from '../sealing/queries.js';
import * as q from './queries.js';
import type { VersionKind, VersionRow } from './queries.js';

/**
 * Versions of questionnaires and methodologies made by a province (docs/designer.md): started from any
 * existing version, saved as drafts only when every check of `ddci schemas check` passes, approved by the
 * chair with a signed record, then installed beside the shipped files and never changed again.
 */

export type DesignDocument = Questionnaire | Methodology;
export type VersionStatus = 'shipped' | 'draft' | 'approved';

export interface DesignVersion {
  kind: VersionKind;
  key: string;
  status: VersionStatus;
  document: DesignDocument;
  hash: string;
  basedOn?: string | null;
  row?: VersionRow;
}

/** SHA-256 of a document's canonical JSON (without the `$schema` hint a file carries): what an approval signs and the transparency page shows. */
export function documentHash(document: unknown): string {
  const { $schema: _, ...rest } = document as Record<string, unknown>;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

const keyOf = (kind: VersionKind, document: DesignDocument) => (kind === 'questionnaire' ? questionnaireKey(document as Questionnaire) : (document as Methodology).version);

/** Every version: the database's, and the installation's files (read-only) not stored there. */
export async function designVersions(db: Db, catalog: Catalog): Promise<DesignVersion[]> {
  const rows = await q.listVersions(db);
  const stored = new Set(rows.map((r) => `${r.kind}:${r.key}`));
  const shipped = (kind: VersionKind, documents: Iterable<DesignDocument>): DesignVersion[] =>
    [...documents].filter((d) => !stored.has(`${kind}:${keyOf(kind, d)}`)).map((document) => ({ kind, key: keyOf(kind, document), status: 'shipped', document, hash: documentHash(document) }));
  return [
    ...shipped('methodology', catalog.methodologies.values()),
    ...shipped('questionnaire', catalog.questionnaires.values()),
    ...rows.map((row) => fromRow(row)),
  ];
}

const fromRow = (row: VersionRow): DesignVersion => ({ kind: row.kind as VersionKind, key: row.key, status: row.status as VersionStatus, document: row.document as unknown as DesignDocument, hash: row.hash, basedOn: row.basedOn, row });

export async function findDesign(db: Db, catalog: Catalog, kind: VersionKind, key: string): Promise<DesignVersion | undefined> {
  const row = await q.findVersion(db, kind, key);
  if (row) return fromRow(row);
  const document = kind === 'questionnaire' ? catalog.questionnaires.get(key) : catalog.methodologies.get(key);
  return document && { kind, key, status: 'shipped', document, hash: documentHash(document) };
}

/** Installs the approved versions of the database into the catalogue (at start, and on the designer's pages for another instance's approvals). */
export async function installApprovedVersions(db: Db, catalog: Catalog): Promise<void> {
  const approved = (await q.listVersions(db)).filter((r) => r.status === 'approved');
  catalog.install({
    questionnaires: new Map(approved.filter((r) => r.kind === 'questionnaire').map((r) => [r.key, r.document as unknown as Questionnaire])),
    methodologies: new Map(approved.filter((r) => r.kind === 'methodology').map((r) => [r.key, r.document as unknown as Methodology])),
  });
}

/** The questionnaires a methodology may name: the catalogue's and the drafts. */
export async function knownQuestionnaires(db: Db, catalog: Catalog): Promise<Map<string, Questionnaire>> {
  const drafts = (await q.listVersions(db)).filter((r) => r.kind === 'questionnaire');
  return new Map([...catalog.questionnaires, ...drafts.map((r) => [r.key, r.document as unknown as Questionnaire] as const)]);
}

export type SaveResult<T = undefined> = Result<T> | { ok: false; error: Message; problems: CatalogProblem[] };

/** The drafts a methodology draft builds on, with the installed catalogue, checked as one set. */
async function checkTogether(db: Db, catalog: Catalog, questionnaires: Questionnaire[], methodologies: Methodology[]): Promise<CatalogProblem[]> {
  const drafts = (await q.listVersions(db)).filter((r) => r.status === 'draft');
  const given = new Set(questionnaires.map(questionnaireKey));
  const otherQuestionnaires = drafts.filter((r) => r.kind === 'questionnaire' && !given.has(r.key)).map((r) => r.document as unknown as Questionnaire);
  const known = new Map([...catalog.questionnaires, ...otherQuestionnaires.map((d) => [questionnaireKey(d), d] as const)]);
  // A questionnaire's change must not break a methodology draft that scores it.
  const dependent = methodologies.length
    ? methodologies
    : drafts.filter((r) => r.kind === 'methodology' && (r.document as unknown as Methodology).blocks.some((b) => given.has(b.questionnaire))).map((r) => r.document as unknown as Methodology);
  const checked = checkSurveyDocuments(
    { questionnaires: questionnaires.map((d) => ({ source: `questionnaire ${questionnaireKey(d)}`, data: d })), methodologies: dependent.map((d) => ({ source: `methodology ${d.version}`, data: d })) },
    { questionnaires: known },
  );
  return checked.problems;
}

const invalid = (problems: CatalogProblem[]) => ({ ok: false as const, error: { key: 'designer.invalid' as const, params: { count: problems.length } }, problems });

/** Starts a new version from any existing one; a methodology brings new versions of its questionnaires with it. */
export async function startVersion(db: Db, catalog: Catalog, actor: Pick<StaffPrincipal, 'username'>, from: { kind: VersionKind; key: string }, version: string, now = new Date()): Promise<SaveResult<{ kind: VersionKind; key: string }>> {
  if (!/^[0-9]{4}\.[0-9]{1,3}$/.test(version)) return refuse({ key: 'designer.versionFormat', params: { version } });
  const source = await findDesign(db, catalog, from.kind, from.key);
  if (!source) return refuse({ key: 'designer.notFound' });
  const copies: { kind: VersionKind; document: DesignDocument; basedOn: string }[] = [];
  if (from.kind === 'questionnaire') {
    copies.push({ kind: 'questionnaire', document: { ...structuredClone(source.document as Questionnaire), version }, basedOn: `questionnaire:${source.key}` });
  } else {
    const methodology = structuredClone(source.document as Methodology);
    const renamed = new Map<string, string>();
    for (const block of methodology.blocks) {
      const old = await findDesign(db, catalog, 'questionnaire', block.questionnaire);
      if (!old) return refuse({ key: 'designer.notFound' });
      const copy = { ...structuredClone(old.document as Questionnaire), version };
      if (!renamed.has(block.questionnaire)) copies.push({ kind: 'questionnaire', document: copy, basedOn: `questionnaire:${block.questionnaire}` });
      renamed.set(block.questionnaire, questionnaireKey(copy));
      block.questionnaire = questionnaireKey(copy);
    }
    copies.push({ kind: 'methodology', document: { ...methodology, version }, basedOn: `methodology:${source.key}` });
  }
  for (const copy of copies) {
    delete (copy.document as { $schema?: string }).$schema;
    const key = keyOf(copy.kind, copy.document);
    if (await findDesign(db, catalog, copy.kind, key)) return refuse({ key: 'designer.exists', params: { key } });
  }
  const problems = await checkTogether(db, catalog, copies.filter((c) => c.kind === 'questionnaire').map((c) => c.document as Questionnaire), copies.filter((c) => c.kind === 'methodology').map((c) => c.document as Methodology));
  if (problems.length) return invalid(problems);
  await db.transaction(async (tx) => {
    for (const copy of copies) {
      const key = keyOf(copy.kind, copy.document);
      await q.insertVersion(tx, { kind: copy.kind, key, basedOn: copy.basedOn, document: copy.document as unknown as Record<string, unknown>, hash: documentHash(copy.document), createdBy: actor.username, createdAt: now, updatedAt: now });
      await recordAudit(tx, { actor: actor.username, action: 'design.started', subject: `${copy.kind}:${key}`, details: { basedOn: copy.basedOn } }, now);
    }
  });
  const main = copies.at(-1)!;
  return ok({ kind: main.kind, key: keyOf(main.kind, main.document) });
}

/** Saves a draft, only if it passes every check (a questionnaire also with the methodology drafts that score it). */
export async function saveDraft(db: Db, catalog: Catalog, actor: Pick<StaffPrincipal, 'username'>, kind: VersionKind, key: string, document: DesignDocument, now = new Date()): Promise<SaveResult> {
  if (keyOf(kind, document) !== key) return refuse({ key: 'designer.keyChanged' });
  const current = await q.findVersion(db, kind, key);
  if (!current) return refuse({ key: catalogHas(catalog, kind, key) ? 'designer.readOnly' : 'designer.notFound' });
  if (current.status !== 'draft') return refuse({ key: 'designer.frozen', params: { key } });
  const problems = await checkTogether(db, catalog, kind === 'questionnaire' ? [document as Questionnaire] : [], kind === 'methodology' ? [document as Methodology] : []);
  if (problems.length) return invalid(problems);
  return db.transaction(async (tx) => {
    const row = await q.lockVersion(tx, kind, key);
    if (!row) return refuse({ key: catalogHas(catalog, kind, key) ? 'designer.readOnly' : 'designer.notFound' });
    if (row.status !== 'draft') return refuse({ key: 'designer.frozen', params: { key } });
    const hash = documentHash(document);
    await q.updateDraft(tx, kind, key, document as unknown as Record<string, unknown>, hash, now);
    await recordAudit(tx, { actor: actor.username, action: 'design.saved', subject: `${kind}:${key}`, details: { hash } }, now);
    return ok(undefined);
  });
}

const catalogHas = (catalog: Catalog, kind: VersionKind, key: string) => (kind === 'questionnaire' ? catalog.questionnaires.has(key) : catalog.methodologies.has(key));

/** Stores what a workbook held as drafts (new, or replacing a draft of the same version); nothing if any check fails. */
export async function importDocuments(db: Db, catalog: Catalog, actor: Pick<StaffPrincipal, 'username'>, documents: WorkbookDocuments, now = new Date()): Promise<SaveResult<{ kind: VersionKind; key: string }[]>> {
  const items = [
    ...(documents.questionnaire ? [{ kind: 'questionnaire' as const, document: documents.questionnaire as DesignDocument }] : []),
    ...(documents.methodology ? [{ kind: 'methodology' as const, document: documents.methodology as DesignDocument }] : []),
  ];
  for (const item of items) {
    const key = keyOf(item.kind, item.document);
    const existing = await findDesign(db, catalog, item.kind, key);
    if (existing && existing.status !== 'draft') return refuse({ key: existing.status === 'shipped' ? 'designer.readOnly' : 'designer.frozen', params: { key } });
  }
  const problems = await checkTogether(db, catalog, documents.questionnaire ? [documents.questionnaire] : [], documents.methodology ? [documents.methodology] : []);
  if (problems.length) return invalid(problems);
  return db.transaction(async (tx) => {
    for (const item of items) {
      const key = keyOf(item.kind, item.document);
      const hash = documentHash(item.document);
      const row = await q.lockVersion(tx, item.kind, key);
      if (row && row.status !== 'draft') return refuse({ key: 'designer.frozen', params: { key } });
      if (row) await q.updateDraft(tx, item.kind, key, item.document as unknown as Record<string, unknown>, hash, now);
      else await q.insertVersion(tx, { kind: item.kind, key, document: item.document as unknown as Record<string, unknown>, hash, createdBy: actor.username, createdAt: now, updatedAt: now });
      await recordAudit(tx, { actor: actor.username, action: 'design.imported', subject: `${item.kind}:${key}`, details: { hash } }, now);
    }
    return ok(items.map((i) => ({ kind: i.kind, key: keyOf(i.kind, i.document) })));
  });
}

/** What the chair signs to approve a methodology: it and every questionnaire its blocks use, by hash. */
export interface ApprovalRecord {
  format: 'DDCI-APPROVAL/1';
  methodology: { version: string; hash: string };
  questionnaires: { key: string; hash: string }[];
  chair: string;
  approvedAt: string;
  signingPublic: string;
  chairKeyFingerprint: string;
}

/**
 * The chair approves a methodology draft (and the questionnaire drafts it uses) with a record signed by
 * the chair's key, like the publication record; from then on campaigns can pin it and nothing of it changes.
 */
export async function approveMethodology(db: Db, catalog: Catalog, chair: StaffPrincipal, passphrase: string, version: string, now = new Date()): Promise<SaveResult<ApprovalRecord>> {
  const row = await q.findVersion(db, 'methodology', version);
  if (!row) return refuse({ key: catalog.methodologies.has(version) ? 'designer.readOnly' : 'designer.notFound' });
  if (row.status !== 'draft') return refuse({ key: 'designer.frozen', params: { key: version } });
  const methodology = row.document as unknown as Methodology;
  const used = [...new Set(methodology.blocks.map((b) => b.questionnaire))];
  const drafts: VersionRow[] = [];
  const hashes: { key: string; hash: string }[] = [];
  for (const key of used) {
    const stored = await q.findVersion(db, 'questionnaire', key);
    if (stored?.status === 'draft') drafts.push(stored);
    const document = stored?.document ?? catalog.questionnaires.get(key);
    if (!document) return refuse({ key: 'design.noQuestionnaire', params: { key } });
    hashes.push({ key, hash: documentHash(document) });
  }
  const problems = await checkTogether(db, catalog, drafts.map((d) => d.document as unknown as Questionnaire), [methodology]);
  if (problems.length) return invalid(problems);
  const unsigned = { format: 'DDCI-APPROVAL/1' as const, methodology: { version, hash: documentHash(methodology) }, questionnaires: hashes, chair: chair.username, approvedAt: now.toISOString() };
  // The chair's key signs the record with its public half named in it, as the publication record is.
  const memberKey = await findMemberKeys(db, chair.id);
  if (!memberKey) return refuse({ key: 'unseal.notMember' });
  const record: ApprovalRecord = { ...unsigned, signingPublic: memberKey.signingPublic.toString('hex'), chairKeyFingerprint: memberKey.fingerprint };
  const signed = await signAsMember(db, chair, passphrase, Buffer.from(canonicalJson(record), 'utf8'));
  if (!signed.ok) return signed;
  const signature = signed.value.signature.toString('base64');
  await db.transaction(async (tx) => {
    for (const draft of drafts) await q.markApproved(tx, 'questionnaire', draft.key, { approvedBy: chair.username, approvedAt: now });
    await q.markApproved(tx, 'methodology', version, { approvedBy: chair.username, approvedAt: now, approval: record as unknown as Record<string, unknown>, signature });
    await recordAudit(tx, { actor: chair.username, action: 'design.approved', subject: `methodology:${version}`, details: { hash: record.methodology.hash, questionnaires: hashes, signature } }, now);
  });
  await installApprovedVersions(db, catalog);
  return ok(record);
}

/** A pinned methodology and the questionnaires its blocks use, by hash: what the transparency page shows. */
export function pinnedVersions(catalog: Catalog, version: string): { version: string; hash: string; questionnaires: { key: string; hash: string }[] } | undefined {
  const methodology = catalog.methodologies.get(version);
  if (!methodology) return undefined;
  const keys = [...new Set(methodology.blocks.map((b) => b.questionnaire))];
  return { version, hash: documentHash(methodology), questionnaires: keys.flatMap((key) => (catalog.questionnaires.has(key) ? [{ key, hash: documentHash(catalog.questionnaires.get(key)) }] : [])) };
}

export { campaignsPinning } from './queries.js';
