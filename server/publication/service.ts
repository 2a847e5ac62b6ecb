import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { nanoid } from 'nanoid';
import { recordAudit } from '../audit/index.js';
import type { StaffPrincipal } from '../auth/index.js';
import { findStaffByUsername } from '../auth/queries.js';
import { findCampaign, listUnitLinks, listUnits, type CampaignRow } from '../campaigns/queries.js';
import { transition } from '../workflow/index.js';
import type { Db } from '../db/client.js';
import type { Message } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { Catalog, Methodology } from '../questionnaires/index.js';
import { changedIndicatorsByBlock } from '../questionnaires/diff.js';
import { findBulletin } from '../responses/service.js';
import { ReceiptLedger } from '../responses/bulletin.js';
import { ok, refuse, type Result } from '../result.js';
import { SIZE_BANDS } from '../sampling/frame-rows.js';
import { findPlan, type StoredDesign } from '../sampling/plan.js';
import { readAnswerPayload } from '../responses/payload.js';
import { DEFAULT_MIN_STRATUM_RESPONDENTS, frameCountProblem, microdataByUnit, pastBounds, ResponseTable, scoreMicrodataInParallel, WHOLE_UNIT, type Microdata, type MicrodataSeries, type PreviousYear, type ScoringResult } from '../scoring/index.js';
import { openForMember, responseContext, sealedResponseContext, sealForCommittee, signAsMember, verifyEd25519, withCampaignDecryptor, type UnsealingRegistry } from '../sealing/index.js';
import { findMemberKeys } from '../sealing/queries.js';
import * as q from './queries.js';
import { FreeTextSink, sampledStrata, withoutFreeText } from './microdata-input.js';
import { hashOf, packResults, PUBLICATION_FORMAT, recordBytes, RESULTS_FORMAT, unpackResults, type OpenedResults, type PublicationRecord, type ResultsDocument } from './results.js';

export interface PublicationContext {
  db: Db;
  catalog: Catalog;
  registry: UnsealingRegistry;
  logger: Logger;
  /** Tells the committee the sealed results are ready (after the run has stored them). */
  notify?: (event: 'resultsReady', campaignId: string) => void;
}

/** Why a run stopped, as a message for the committee (never an answer, a key or a share). */
class RunFailure extends Error {
  constructor(
    readonly key: Message['key'],
    readonly params?: Record<string, string | number>,
  ) {
    super(key);
  }
}

/** Envelopes read, opened and counted in the progress bar at a time. */
const BATCH = 2000;
/** Batches read and opened ahead of the one being checked (≈ 17 MB each, envelopes and plaintexts). */
const AHEAD = 2;

/**
 * With k approvals held, starts unsealing in the background: every response opened in memory (on worker
 * threads), checked against the bulletin, validated, and its coded answers kept in columns (ResponseTable);
 * then scored; the results and the microdata sealed for the committee; the campaign moved to unsealed.
 * Progress is stored in `scoring_runs`; nothing decrypted is ever written.
 */
export async function startUnsealing(ctx: PublicationContext, actor: StaffPrincipal, campaignId: string): Promise<Result<{ runId: string; done: Promise<void> }>> {
  const { db } = ctx;
  const campaign = await findCampaign(db, campaignId);
  if (!campaign) return refuse({ key: 'campaigns.notFound' });
  if (campaign.state !== 'closed') return refuse({ key: 'results.notClosed' });
  const held = (await ctx.registry.approvers(campaignId)).length;
  if (held < (campaign.committeeThreshold ?? Infinity)) return refuse({ key: 'transition.needsQuorum', params: { k: campaign.committeeThreshold ?? 0 } });
  const runId = nanoid(12);
  await q.failRunningRuns(db, q.RUN_SILENCE_MS, campaignId);
  if (!(await q.insertRun(db, { id: runId, campaignId, createdBy: actor.username }))) return refuse({ key: 'results.busy' });
  await db.transaction((tx) => recordAudit(tx, { actor: actor.username, action: 'results.unsealing_started', campaignId, details: { run: runId, approvals: held } }));
  // The heartbeat tells every instance this run is alive, through the long steps that report no progress.
  const heartbeat = setInterval(() => void q.updateRun(db, runId, {}).catch((err: unknown) => ctx.logger.warn({ err, run: runId }, 'unsealing heartbeat not written')), q.RUN_SILENCE_MS / 4);
  heartbeat.unref();
  const done = unsealAndScore(ctx, actor, campaignId, runId, held)
    .finally(() => clearInterval(heartbeat))
    .then(() => ctx.notify?.('resultsReady', campaignId))
    .catch(async (error: unknown) => {
      const key = error instanceof RunFailure ? error.key : 'results.failed';
      const params = error instanceof RunFailure ? (error.params ?? null) : null;
      if (!(error instanceof RunFailure)) ctx.logger.error({ err: error, campaignId, run: runId }, 'unsealing failed');
      await q.updateRun(db, runId, { status: 'failed', failure: key, failureParams: params, finishedAt: new Date() });
      await db.transaction((tx) => recordAudit(tx, { actor: actor.username, action: 'results.unsealing_failed', campaignId, details: { run: runId, reason: key, ...params } }));
    });
  return ok({ runId, done });
}

/** What reading the envelopes gathered, every one of them matched to the bulletin. */
interface Opened {
  bulletinHash: string;
  answered: ResponseTable;
  freeText: FreeTextSink;
  read: number;
  invalid: number;
}

/**
 * Reads the bulletin and every stored envelope, 2,000 at a time: each opened (on worker threads), matched
 * to one of the bulletin's receipts, validated, its coded answers kept in columns and its free text set
 * apart; then none of the receipts may be left, and the units inside the envelopes must add up to the
 * bulletin's counts. Only what scoring needs outlives it (not the receipts, nor a plaintext).
 */
async function openAndCheck(ctx: PublicationContext, campaignId: string, runId: string): Promise<Opened> {
  const { db, catalog } = ctx;
  const bulletin = await findBulletin(db, campaignId);
  if (!bulletin) throw new RunFailure('bulletin.none');
  await q.updateRun(db, runId, { total: bulletin.responses });
  const receipts = new ReceiptLedger(bulletin.content.receipts);
  const answered = new ResponseTable();
  const perUnit = new Map<string, number>();
  const freeText = new FreeTextSink();
  let read = 0;
  let invalid = 0;
  await withCampaignDecryptor(db, ctx.registry, campaignId, async (decryptor) => {
    // While one batch is checked and validated here, the next ones are read and opened on the worker threads.
    const batches = q.storedResponses(db, campaignId, BATCH);
    const nextOpened = async () => {
      const { value: rows } = await batches.next();
      if (!rows) return null;
      // Since DDCI-ANSWERS/3 the unit, questionnaire and mode are inside the envelope; older rows name them.
      const contexts = rows.map((row) => (row.unitCode !== null && row.questionnaire !== null ? responseContext(campaignId, row.unitCode, row.questionnaire) : sealedResponseContext(campaignId)));
      return { rows, plaintexts: await decryptor.openAll(rows.map((row, i) => ({ envelope: row.envelope, context: contexts[i]! }))) };
    };
    const ahead = () => {
      const opened = nextOpened();
      opened.catch(() => undefined); // a failure surfaces when awaited; if an earlier batch fails, nobody waits for it
      return opened;
    };
    const queue = Array.from({ length: AHEAD }, ahead);
    for (let batch = await queue.shift(); batch; batch = await queue.shift()) {
      queue.push(ahead());
      try {
        batch.rows.forEach((row, i) => {
          if (!receipts.take(createHash('sha256').update(row.envelope).digest())) throw new RunFailure('results.bulletinMismatch');
          const sheet = readAnswerPayload(batch.plaintexts[i]!);
          const unit = sheet.unit ?? row.unitCode;
          const questionnaire = sheet.questionnaire ?? row.questionnaire;
          const mode = sheet.mode ?? row.mode;
          if (!unit || !questionnaire || !mode) throw new RunFailure('results.bulletinMismatch');
          perUnit.set(unit, (perUnit.get(unit) ?? 0) + 1);
          if (catalog.answerValidator(questionnaire)(sheet.answers)) {
            const coded = withoutFreeText(catalog, questionnaire, unit, sheet.answers, freeText);
            answered.add({ unit, stratum: sheet.stratum ?? WHOLE_UNIT, questionnaire, mode, answers: coded });
          } else invalid++;
        });
      } finally {
        for (const plaintext of batch.plaintexts) plaintext.fill(0);
      }
      read += batch.rows.length;
      await q.updateRun(db, runId, { done: read });
    }
  });
  if (!receipts.complete) throw new RunFailure('results.bulletinMismatch');
  const counts = Object.entries(bulletin.content.counts);
  if (counts.length !== perUnit.size || counts.some(([unit, n]) => perUnit.get(unit) !== n)) throw new RunFailure('results.bulletinMismatch');
  return { bulletinHash: bulletin.hash, answered, freeText, read, invalid };
}

/** `approvals`: the approvals held when the run started (the decryptor drops the shares once it returns). */
async function unsealAndScore(ctx: PublicationContext, actor: StaffPrincipal, campaignId: string, runId: string, approvals: number): Promise<void> {
  const { db, catalog } = ctx;
  const campaign = (await findCampaign(db, campaignId))!;
  const methodology = catalog.methodologies.get(campaign.methodologyVersion);
  if (!methodology) throw new RunFailure('results.methodologyMissing');
  // What the reading gathered is handed on, not kept here: the answers are gone before the sealing copies the document.
  const { packed, resultsHash, read, invalid } = await scoreAndPack(ctx, campaign, methodology, await openAndCheck(ctx, campaignId, runId));
  const document = await sealForCommittee(db, campaignId, packed);
  const moved = await transition(db, actor, campaignId, 'unsealed', {
    facts: { unsealApprovals: approvals },
    within: async (tx) => {
      await q.insertSealedResults(tx, { campaignId, document, resultsHash });
      await q.updateRun(tx, runId, { status: 'done', done: read, finishedAt: new Date() });
      await recordAudit(tx, { actor: actor.username, action: 'results.sealed', campaignId, details: { run: runId, resultsHash, responses: read, invalid } });
    },
  });
  if (!moved.ok) throw new RunFailure(moved.error.key);
}

/** Scores what the reading gathered and packs the results, microdata and free texts for the committee (packResults). */
async function scoreAndPack(
  ctx: PublicationContext,
  campaign: CampaignRow,
  methodology: Methodology,
  { bulletinHash, answered, freeText, read, invalid }: Opened,
): Promise<{ packed: Buffer; resultsHash: string; read: number; invalid: number }> {
  const { db } = ctx;
  const units = (await listUnits(db, campaign.id)).map((u) => ({ code: u.code, block: u.block, nameVi: u.nameVi, nameEn: u.nameEn }));
  const series = await seriesOf(ctx, campaign, methodology);
  const design = (await findPlan(db, campaign.id))?.design as StoredDesign | null | undefined;
  const sampled = sampledStrata(units, design?.plans ?? [], await q.frameCounts(db, campaign.id), answered.counts());
  answered.restratify(sampled.stratumOf);
  // Refuse rather than guess: a stratum without a frame count would silently become a census.
  const problem = frameCountProblem(sampled.strata, answered.counts());
  if (problem) throw new RunFailure('results.frameCountMissing', problem);
  const microdata = microdataByUnit(
    {
      campaign: { id: campaign.id, province: campaign.province, year: campaign.year, title: campaign.title },
      methodology: campaign.methodologyVersion,
      seed: bulletinHash,
      units,
      strata: sampled.strata,
      minStratumRespondents: methodology.minStratumRespondents ?? DEFAULT_MIN_STRATUM_RESPONDENTS,
      minAnswersPerUnit: methodology.minAnswersPerUnit,
      bandOrder: SIZE_BANDS,
      ...(series ? { series: series.microdata } : {}),
    },
    answered,
  );
  const result = await scoreMicrodataInParallel(microdata, methodology, series?.previous);
  const results: ResultsDocument = {
    format: RESULTS_FORMAT,
    campaign: microdata.header.campaign,
    methodology: microdata.header.methodology,
    bulletinHash,
    seed: microdata.header.seed,
    responses: read,
    invalid,
    units,
    disclosure: microdata.header.disclosure,
    result,
  };
  return { packed: await packResults({ results, microdata, freeText: freeText.shuffled() }), resultsHash: hashOf(results), read, invalid };
}

/**
 * The campaign's place in its series, when last year's campaign is published: which units continue which,
 * last year's microdata (for the change from last year) and, for pooled bounds, the bounds over the last
 * `pooledYears` − 1 published campaigns of the series.
 */
async function seriesOf(ctx: PublicationContext, campaign: { previousCampaignId: string | null; id: string }, methodology: Methodology): Promise<{ microdata: MicrodataSeries; previous: PreviousYear } | null> {
  if (!campaign.previousCampaignId) return null;
  const last = await publishedResults(ctx.db, campaign.previousCampaignId);
  const lastMethodology = last && ctx.catalog.methodologies.get(last.microdata.methodology);
  if (!last || !lastMethodology) return null;
  const past: ScoringResult[] = [];
  if (methodology.normalisation.bounds === 'pooled') {
    let published: Published | null = last;
    while (published && past.length < (methodology.normalisation.pooledYears ?? 1) - 1) {
      past.push(published.results.result);
      const earlier: string | null | undefined = (await findCampaign(ctx.db, published.record.campaign))?.previousCampaignId;
      published = earlier ? await publishedResults(ctx.db, earlier) : null;
    }
  }
  return {
    microdata: {
      previousCampaign: last.record.campaign,
      links: await listUnitLinks(ctx.db, campaign.id),
      ...(past.length ? { pastBounds: pastBounds(past) } : {}),
      ...changedIndicatorsByBlock(ctx.catalog, lastMethodology, methodology),
    },
    previous: { microdata: last.microdata, methodology: lastMethodology },
  };
}

/** A committee member reads the sealed results with the passphrase; who read them, and when, is audited. */
export async function readSealedResults(db: Db, campaignId: string, staff: StaffPrincipal, passphrase: string): Promise<Result<OpenedResults>> {
  const sealed = await q.findSealedResults(db, campaignId);
  if (!sealed) return refuse({ key: 'results.none' });
  const opened = await openForMember(db, sealed.document, staff, passphrase);
  if (!opened.ok) return opened;
  await db.transaction((tx) => recordAudit(tx, { actor: staff.username, action: 'results.viewed', campaignId, subject: staff.username, details: { resultsHash: sealed.resultsHash } }));
  return ok(unpackResults(opened.value));
}

/** The chair publishes: the results and microdata become public with a record signed by the chair's key. */
export async function publish(db: Db, campaignId: string, chair: StaffPrincipal, passphrase: string, now = new Date()): Promise<Result<PublicationRecord>> {
  const sealed = await q.findSealedResults(db, campaignId);
  if (!sealed) return refuse({ key: 'results.none' });
  const opened = await openForMember(db, sealed.document, chair, passphrase);
  if (!opened.ok) return opened;
  const { results, microdata } = unpackResults(opened.value);
  if (hashOf(results) !== sealed.resultsHash) return refuse({ key: 'results.hashMismatch' });
  const sampling = await q.samplingHashes(db, campaignId);
  const memberKey = await findMemberKeys(db, chair.id);
  if (!memberKey) return refuse({ key: 'unseal.notMember' });
  const record: PublicationRecord = {
    format: PUBLICATION_FORMAT,
    campaign: campaignId,
    resultsHash: sealed.resultsHash,
    microdataHash: hashOf(microdata),
    bulletinHash: results.bulletinHash,
    frameHash: sampling.frameHash,
    seedCommitment: sampling.seedCommitment,
    sampleHash: sampling.sampleHash,
    chair: chair.username,
    chairKeyFingerprint: memberKey.fingerprint,
    signingPublic: memberKey.signingPublic.toString('hex'),
    publishedAt: now.toISOString(),
  };
  const signed = await signAsMember(db, chair, passphrase, recordBytes(record));
  if (!signed.ok) return signed;
  const signature = signed.value.signature.toString('base64');
  const moved = await transition(db, chair, campaignId, 'published', {
    within: async (tx) => {
      await q.insertPublication(tx, { campaignId, results: results as unknown as Record<string, unknown>, microdata: microdata as unknown as Record<string, unknown>, record: record as unknown as Record<string, unknown>, signature });
      await recordAudit(tx, { actor: chair.username, action: 'results.published', campaignId, details: { resultsHash: record.resultsHash, signature } }, now);
    },
  });
  return moved.ok ? ok(record) : moved;
}

export interface Published {
  results: ResultsDocument;
  microdata: Microdata;
  record: PublicationRecord;
  signature: string;
}

/** The public results, once published; null before (no page reveals anything sooner). */
export async function publishedResults(db: Db, campaignId: string): Promise<Published | null> {
  const row = await q.findPublication(db, campaignId);
  if (!row) return null;
  return { ...figuresOf(row), microdata: row.microdata as unknown as Microdata };
}

/** The same without the microdata, for readers of the figures only (a series of years, last year's scores). */
export async function publishedFigures(db: Db, campaignId: string): Promise<Omit<Published, 'microdata'> | null> {
  const row = await q.findPublishedFigures(db, campaignId);
  return row ? figuresOf(row) : null;
}

const figuresOf = (row: NonNullable<Awaited<ReturnType<typeof q.findPublishedFigures>>>) => ({
  results: row.results as unknown as ResultsDocument,
  record: row.record as unknown as PublicationRecord,
  signature: row.signature,
});

/**
 * `ddci publication verify`: the signature, every hash, that the key is the chair's, and that the
 * microdata reproduce the published figures. Returns ✓/✗ lines.
 */
export async function verifyPublication(db: Db, catalog: Catalog, campaignId: string): Promise<{ ok: boolean; lines: string[] }> {
  const published = await publishedResults(db, campaignId);
  if (!published) return { ok: false, lines: ['✗ the campaign has no publication'] };
  const { results, microdata, record, signature } = published;
  const lines: string[] = [];
  let allOk = true;
  const check = (good: boolean, what: string) => {
    allOk &&= good;
    lines.push(`${good ? '✓' : '✗'} ${what}`);
  };
  check(verifyEd25519(Buffer.from(record.signingPublic, 'hex'), recordBytes(record), Buffer.from(signature, 'base64')), `signature by ${record.chair} (key ${record.chairKeyFingerprint})`);
  const chair = await findStaffByUsername(db, record.chair);
  const chairKey = chair && (await findMemberKeys(db, chair.id));
  check(Boolean(chairKey && chairKey.signingPublic.toString('hex') === record.signingPublic && chair?.role === 'chair'), 'the signing key is the chair’s personal key');
  check(hashOf(results) === record.resultsHash, `results hash ${record.resultsHash}`);
  check(hashOf(microdata) === record.microdataHash, `microdata hash ${record.microdataHash}`);
  check((await findBulletin(db, campaignId))?.hash === record.bulletinHash, `bulletin hash ${record.bulletinHash}`);
  const sampling = await q.samplingHashes(db, campaignId);
  check(sampling.frameHash === record.frameHash && sampling.seedCommitment === record.seedCommitment && sampling.sampleHash === record.sampleHash, 'frame hash, seed commitment and sample hash');
  const methodology = catalog.methodologies.get(microdata.methodology);
  check(Boolean(methodology), `methodology ${microdata.methodology} is installed`);
  const previous = microdata.series && (await publishedResults(db, microdata.series.previousCampaign));
  const previousMethodology = previous && catalog.methodologies.get(previous.microdata.methodology);
  if (microdata.series) check(Boolean(previousMethodology), `last year's campaign ${microdata.series.previousCampaign} is published`);
  const recomputed = methodology ? await scoreMicrodataInParallel(microdata, methodology, previousMethodology ? { microdata: previous.microdata, methodology: previousMethodology } : undefined) : null;
  check(isDeepStrictEqual(JSON.parse(JSON.stringify(recomputed)), JSON.parse(JSON.stringify(results.result))), 'the microdata reproduce every published figure');
  return { ok: allOk, lines };
}

export { latestRun, failRunningRuns } from './queries.js';
