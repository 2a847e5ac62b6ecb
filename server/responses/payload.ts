/**
 * What a response envelope holds (`DDCI-ANSWERS/2`): the validated answers and the respondent's stratum
 * for that unit (its size band as drawn), so the band reaches scoring without ever being stored in clear.
 * The band is padded to a fixed width: the ciphertext's length must not tell one band from another.
 * Envelopes stored before the band travelled hold the bare answers object (`stratum` null). Pure.
 */
export const ANSWERS_FORMAT = 'DDCI-ANSWERS/2';
const STRATUM_WIDTH = 16;

export interface AnswerPayload {
  stratum: string | null;
  answers: Record<string, unknown>;
}

export function answerPayload(stratum: string, answers: Record<string, unknown>): Buffer {
  if (stratum.length > STRATUM_WIDTH || stratum !== stratum.trim()) throw new RangeError(`stratum label ${JSON.stringify(stratum)} does not fit the envelope`);
  return Buffer.from(JSON.stringify({ format: ANSWERS_FORMAT, stratum: stratum.padEnd(STRATUM_WIDTH), answers }), 'utf8');
}

export function readAnswerPayload(plaintext: Buffer): AnswerPayload {
  const parsed = JSON.parse(plaintext.toString('utf8')) as Record<string, unknown>;
  if (parsed.format === ANSWERS_FORMAT) return { stratum: String(parsed.stratum).trimEnd(), answers: parsed.answers as Record<string, unknown> };
  return { stratum: null, answers: parsed };
}
