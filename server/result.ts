import type { Message } from './i18n/index.js';

/** What a use case returns when the user can be told why it did not happen. */
export type Result<T = undefined> = { ok: true; value: T } | { ok: false; error: Message };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refuse = (error: Message): { ok: false; error: Message } => ({ ok: false, error });
