import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';
import type { FreeTextGroup } from './microdata-input.js';
import { canonicalJson, headerOf, type AnyMicrodata, type Microdata, type MicrodataResponse, type ScoringResult } from '../scoring/index.js';

/**
 * What unsealing produces and publication makes public. Pure.
 *
 *   DDCI-RESULTS/2      the scores, with what they were computed from (methodology, bulletin hash, seed,
 *                       the disclosure rule and the strata it merged); /2 adds indicators' bootstrap SEs,
 *                       the pillars an incomplete unit lacks, and the rescaled bootstrap behind the intervals
 *   DDCI-PUBLICATION/1  the record the chair signs (Ed25519 over its canonical JSON): the hashes of the
 *                       results, the microdata, the bulletin, the frame, the seed commitment and the sample
 */
export const RESULTS_FORMAT = 'DDCI-RESULTS/2';
export const PUBLICATION_FORMAT = 'DDCI-PUBLICATION/1';

export interface ResultsDocument {
  format: typeof RESULTS_FORMAT;
  campaign: Microdata['campaign'];
  methodology: string;
  bulletinHash: string;
  seed: string;
  responses: number;
  /** Decrypted answers that failed validation and were left out (expected 0). */
  invalid: number;
  units: Microdata['units'];
  /** The disclosure rule applied to the size-band strata, and what it merged (as in the microdata). */
  disclosure: Microdata['disclosure'];
  result: ScoringResult;
}

export interface PublicationRecord {
  format: typeof PUBLICATION_FORMAT;
  campaign: string;
  resultsHash: string;
  microdataHash: string;
  bulletinHash: string;
  frameHash: string | null;
  seedCommitment: string | null;
  sampleHash: string | null;
  chair: string;
  chairKeyFingerprint: string;
  /** The chair's Ed25519 public key, hex. */
  signingPublic: string;
  publishedAt: string;
}

export const hashOf = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('hex');

export const recordBytes = (record: PublicationRecord) => Buffer.from(canonicalJson(record), 'utf8');

/** What unsealing seals for the committee: the results and the microdata they were computed from. */
export interface OpenedResults {
  results: ResultsDocument;
  microdata: Microdata;
  /** Free-text answers per unit and question, shuffled: for the committee only (absent before DDCI-MICRODATA/2). */
  freeText?: FreeTextGroup[];
}

/**
 * The plaintext sealed for the committee: their JSON, gzipped — the microdata of 100,000 responses is
 * ~46 MB of JSON and about a seventh of that gzipped at level 3 (the default level 6 makes it a fifth
 * smaller in three times as long: 16 s of a million responses' unsealing, against 5 s). Compressing before
 * encrypting reveals only the document's length, once: nobody can have it re-sealed with chosen changes to
 * probe it. The JSON is written into the compressor a unit (or a thousand responses) at a time, never held
 * whole (≈ 460 MB at a million responses).
 */
export async function packResults(opened: PackableResults): Promise<Buffer> {
  const packed: Buffer[] = [];
  await pipeline(
    Readable.from(openedJson(opened)),
    createGzip({ level: 3 }),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        packed.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(packed);
}

/** What packResults takes: OpenedResults, the microdata possibly given unit by unit (unsealing's). */
export type PackableResults = Omit<OpenedResults, 'microdata'> & { microdata: AnyMicrodata };

/** JSON.stringify(opened) as OpenedResults, in pieces: the microdata's responses a unit (or a thousand) at a time, the free texts a group at a time. */
function* openedJson({ microdata, freeText, ...others }: PackableResults): Generator<string> {
  const header: Record<string, unknown> = { ...headerOf(microdata) };
  delete header.responses; // a whole microdata's, wherever its key stands: `responses` goes last
  yield `{"microdata":${JSON.stringify({ ...header, responses: [] }).slice(0, -2)}`; // open: `…"responses":[`
  const json = (responses: readonly MicrodataResponse[]) => responses.map((r) => JSON.stringify(r)).join(',');
  const parts =
    'responsesOf' in microdata
      ? microdata.units.map((unit) => () => microdata.recordsJson?.(unit) ?? json(microdata.responsesOf(unit)))
      : chunksOf(microdata.responses).map((chunk) => () => json(chunk()));
  let first = true;
  for (const part of parts) {
    const records = part();
    if (!records) continue;
    yield (first ? '' : ',') + records;
    first = false;
  }
  yield ']}';
  for (const [key, value] of Object.entries(others)) if (value !== undefined) yield `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
  if (freeText) yield `,"freeText":[${freeText.map((group) => JSON.stringify(group)).join(',')}]`;
  yield '}';
}

const chunksOf = <T>(items: readonly T[]) => Array.from({ length: Math.ceil(items.length / 1000) }, (_, i) => () => items.slice(i * 1000, (i + 1) * 1000));

export const unpackResults = (packed: Buffer) => JSON.parse(gunzipSync(packed).toString('utf8')) as OpenedResults;
