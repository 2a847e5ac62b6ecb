import { en, vi, type MessageKey } from './messages.js';

export type { MessageKey };
export const LANGUAGES = ['vi', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export type MessageParams = Record<string, string | number>;

const dictionaries: Record<Lang, Record<MessageKey, string>> = { vi, en };

export function isLang(value: unknown): value is Lang {
  return value === 'vi' || value === 'en';
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && value in vi;
}

/** Looks a message up and fills `{name}` placeholders; a parameter that is itself a message key (such as
 * `state.draft`) is translated too. */
export function translate(lang: Lang, key: MessageKey, params: MessageParams = {}): string {
  return dictionaries[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return isMessageKey(value) ? dictionaries[lang][value] : String(value);
  });
}

/** A message still to be rendered in the reader's language. */
export interface Message {
  key: MessageKey;
  params?: MessageParams;
}
