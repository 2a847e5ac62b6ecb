import type { Lang } from './index.js';

/** Making an Intl formatter costs far more than using one (it was most of a form submission's own time): each is made once. */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function formatter<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let known = formatters.get(key) as T | undefined;
  if (!known) formatters.set(key, (known = make()));
  return known;
}
const TIME_ZONE = 'Asia/Ho_Chi_Minh';

/**
 * One formatter for figures in both languages: Vietnamese writes 61,23 and 50,55–64,30 (comma decimal,
 * dot thousands), English 61.23 and 50.55–64.30. A missing figure is an em dash. Pure.
 */
export function formatNumber(value: number | null | undefined, digits: number, lang: Lang): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return formatter(`number|${lang}|${digits}`, () => new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })).format(value);
}

export function formatInterval(interval: readonly [number, number] | null | undefined, digits: number, lang: Lang): string {
  return interval ? `${formatNumber(interval[0], digits, lang)}–${formatNumber(interval[1], digits, lang)}` : '';
}

/** A signed change: +1,23 / −0,50 (a real minus sign). */
export function formatChange(value: number, digits: number, lang: Lang): string {
  const magnitude = formatNumber(Math.abs(value), digits, lang);
  return Number(magnitude.replace(/[^0-9]/g, '')) === 0 ? magnitude : `${value > 0 ? '+' : '−'}${magnitude}`;
}

/** A calendar date in Việt Nam's time zone: 01/12/2026 in both languages (day first, as Vietnamese documents write it). */
export function formatDate(value: Date | string, lang: Lang): string {
  return formatter(`date|${lang}`, () => new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: TIME_ZONE })).format(new Date(value));
}

/** 01/12/2026 14:05, Vietnam time (the same in both languages: day first, 24-hour clock). */
export function formatDateTime(value: Date | string, lang: Lang): string {
  const time = formatter('time', () => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE })).format(new Date(value));
  return `${formatDate(value, lang)} ${time}`;
}

/** A share as a percentage: 18,3 % in Vietnamese (a no-break space: the sign never wraps away from its number), 18.3% in English. */
export function formatPercent(share: number | null | undefined, digits: number, lang: Lang): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  const number = formatNumber(share * 100, digits, lang);
  return lang === 'vi' ? `${number}${PERCENT_SPACE}%` : `${number}%`;
}

/** Between a number and its percent sign in Vietnamese: a no-break space. */
export const PERCENT_SPACE = '\u00a0';

/** The day (yyyy-mm-dd) an instant falls on in Vietnam (UTC+7, no summer time). */
export const vietnamDay = (at: Date) => formatter('day', () => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: TIME_ZONE })).format(at);
