/**
 * What a response envelope holds. `DDCI-ANSWERS/3` (today): the unit, questionnaire version and mode, the
 * respondent's stratum for that unit (its size band as drawn) and the validated answers — so the stored row
 * names none of them — padded to a multiple of PAD_BLOCK bytes, so that an envelope's length tells next to
 * nothing about its unit, band or answers. `DDCI-ANSWERS/2` (the band only, unit and questionnaire in the
 * row) and bare answers objects (before the band travelled) are still read. Pure.
 */
export const ANSWERS_FORMAT = 'DDCI-ANSWERS/3';
const FORMAT_2 = 'DDCI-ANSWERS/2';
/** Envelopes are padded to a multiple of this: every ordinary answer sheet fits the first block. */
export const PAD_BLOCK = 4096;

export interface AnswerPayload {
  /** Null in envelopes whose row names the unit (formats before /3). */
  unit: string | null;
  questionnaire: string | null;
  mode: string | null;
  stratum: string | null;
  answers: Record<string, unknown>;
}

export interface SealedAnswers {
  unit: string;
  questionnaire: string;
  mode: string;
  stratum: string;
  answers: Record<string, unknown>;
}

export function answerPayload(sheet: SealedAnswers): Buffer {
  // The pad comes first, so the first `"pad":""` is always this one.
  const json = JSON.stringify({ format: ANSWERS_FORMAT, pad: '', ...sheet });
  const length = Buffer.byteLength(json, 'utf8');
  const padded = Math.ceil(length / PAD_BLOCK) * PAD_BLOCK;
  return Buffer.from(json.replace('"pad":""', `"pad":"${' '.repeat(padded - length)}"`), 'utf8');
}

/** How every /3 payload begins: its pad (spaces only) follows. */
const PADDED_START = Buffer.from(`{"format":"${ANSWERS_FORMAT}","pad":"`);
const PADDED_START_TEXT = PADDED_START.toString('latin1');

export function readAnswerPayload(plaintext: Buffer): AnswerPayload {
  const parsed = JSON.parse(withoutPad(plaintext)) as Record<string, unknown>;
  if (parsed.format === ANSWERS_FORMAT) {
    const { unit, questionnaire, mode, stratum, answers } = parsed as unknown as SealedAnswers;
    return { unit, questionnaire, mode, stratum, answers };
  }
  const older = { unit: null, questionnaire: null, mode: null };
  if (parsed.format === FORMAT_2) return { ...older, stratum: String(parsed.stratum).trimEnd(), answers: parsed.answers as Record<string, unknown> };
  return { ...older, stratum: null, answers: parsed };
}

/**
 * The payload's JSON, a /3 sheet's pad left out (`"pad":""`): the pad is most of its 4 KB, and decoding and
 * parsing its spaces took 40 % of reading a sheet — a million of them at unsealing. The pad holds spaces only
 * (answerPayload), so its end is the first quote after it.
 */
function withoutPad(plaintext: Buffer): string {
  const start = PADDED_START.length;
  if (plaintext.length <= start || plaintext.compare(PADDED_START, 0, start, 0, start) !== 0) return plaintext.toString('utf8');
  return PADDED_START_TEXT + plaintext.toString('utf8', plaintext.indexOf('"', start));
}
