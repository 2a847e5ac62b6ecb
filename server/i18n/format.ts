import type { Lang } from './index.js';

/**
 * One formatter for figures in both languages: Vietnamese writes 61,23 and 50,55–64,30 (comma decimal,
 * dot thousands), English 61.23 and 50.55–64.30. A missing figure is an em dash. Pure.
 */
export function formatNumber(value: number | null | undefined, digits: number, lang: Lang): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export function formatInterval(interval: readonly [number, number] | null | undefined, digits: number, lang: Lang): string {
  return interval ? `${formatNumber(interval[0], digits, lang)}–${formatNumber(interval[1], digits, lang)}` : '';
}

/** A signed change: +1,23 / −0,50 (a real minus sign). */
export function formatChange(value: number, digits: number, lang: Lang): string {
  const magnitude = formatNumber(Math.abs(value), digits, lang);
  return Number(magnitude.replace(/[^0-9]/g, '')) === 0 ? magnitude : `${value > 0 ? '+' : '−'}${magnitude}`;
}

/** A share as a percentage: 18,3 % in Vietnamese, 18.3% in English. */
export function formatPercent(share: number | null | undefined, digits: number, lang: Lang): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return lang === 'vi' ? `${formatNumber(share * 100, digits, lang)} %` : `${formatNumber(share * 100, digits, lang)}%`;
}
