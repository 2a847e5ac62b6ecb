import type { Message } from './i18n/index.js';

/** What a use case returns when the user can be told why it did not happen. */
export type Result<T = undefined> = { ok: true; value: T } | { ok: false; error: Message };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refuse = (error: Message): { ok: false; error: Message } => ({ ok: false, error });

/** A bad row of an uploaded file, reported to the user: 1-based line (header = 1), column, reason. */
export interface RowError {
  row: number;
  column: string;
  reason: Message;
}
