import type { Express } from 'express';
import { engine } from 'express-handlebars';
import Handlebars, { type HelperOptions } from 'handlebars';
import { isMessageKey, translate, type Lang, type Message, type MessageParams } from '../i18n/index.js';
import { formatDate, formatDateTime, formatNumber } from '../i18n/format.js';
import { fromRoot } from '../paths.js';

/**
 * JSON that is safe inside an HTML <script> element: no `<` (so no `</script>` or `<!--` can end or bend
 * the element), `>` and `&` as escapes too, and the line separators JavaScript once refused. Every page
 * that embeds data goes through this one function (the `json` helper).
 */
export function embeddedJson(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function langOf(options: HelperOptions): Lang {
  return (options.data?.root?.lang as Lang | undefined) ?? 'vi';
}

function vietnamDatePart(value: Date, part: 'day' | 'month' | 'year'): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(new Date(value));
  return Number(parts.find((p) => p.type === part)!.value);
}

const helpers = {
  /** {{t "key" name=value}} */
  t(key: string, options: HelperOptions): string {
    return isMessageKey(key) ? translate(langOf(options), key, options.hash) : key;
  },
  /** {{tp "role." role}}: a key built from a prefix and a value. */
  tp(prefix: string, value: string, options: HelperOptions): string {
    const key = prefix + value;
    return isMessageKey(key) ? translate(langOf(options), key, options.hash) : value;
  },
  /** {{msg message}} for a { key, params } message. */
  msg(message: Message | undefined, options: HelperOptions): string {
    return message ? translate(langOf(options), message.key, message.params) : '';
  },
  /** {{tm key params}} for a message stored as a key and its parameters. */
  tm(key: string, params: MessageParams | null, options: HelperOptions): string {
    return isMessageKey(key) ? translate(langOf(options), key, params ?? {}) : key;
  },
  eq: (a: unknown, b: unknown) => a === b,
  /** {{and a b}}: both truthy (Handlebars passes its options object last, hence the slice). */
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  not: (a: unknown) => !a,
  /** {{codeSpans text}}: plain text whose `backticked` parts are identifiers, shown as <code> (the rest escaped). */
  codeSpans: (text: string) => new Handlebars.SafeString(Handlebars.escapeExpression(String(text ?? '')).replace(/&#x60;(.+?)&#x60;/g, '<code>$1</code>')), // the escaper writes ` as &#x60;
  concat: (...args: unknown[]) => args.slice(0, -1).join(''),
  array: (...args: unknown[]) => args.slice(0, -1),
  /** Vietnam time, day first, as forms and letters write it. */
  datetime: (value: Date | string, options: HelperOptions) => formatDateTime(value, langOf(options)),
  /** {{date value}}: 01/12/2026, Vietnam time. */
  date: (value: Date | string, options: HelperOptions) => formatDate(value, langOf(options)),
  /** {{{json value}}}: JSON to embed in a page's <script type="application/json">; see embeddedJson. */
  json: (value: unknown) => embeddedJson(value),
  /** The report's chart data by block (see report-charts.js). */
  chartData: (report: { code: string; chart: unknown }[]) => Object.fromEntries((report ?? []).map((b) => [b.code, b.chart])),
  /** The length of a 1–10 score's bar on a 0–100 scale (0 when there is no score). */
  barWidth: (score: number | null) => (typeof score === 'number' ? Math.max(0, Math.min(100, ((score - 1) / 9) * 100)).toFixed(1) : '0'),
  /** A bar chart tall enough for its bars: 28 px a unit. */
  chartHeight: (n: number) => 60 + 28 * Number(n),
  /** 0.08 → 8 (a fraction shown as a percentage in a form field). */
  percent100: (value: number) => Math.round(Number(value) * 1000) / 10,
  /** 0.0712 → "7,1%" / "7.1%". */
  pct(value: number, options: HelperOptions): string {
    return new Intl.NumberFormat(langOf(options) === 'vi' ? 'vi-VN' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(Number(value));
  },
  fixed: (value: number, digits: number) => Number(value).toFixed(typeof digits === 'number' ? digits : 0),
  /** {{num value 1}}: a number in the reader's format (“3,5” / “3.5”). */
  num: (value: number, digits: number, options: HelperOptions) => formatNumber(Number(value), digits, langOf(options)),
  /** {{localized name}}: a { vi, en } text in the reader’s language. */
  localized: (value: { vi: string; en: string } | undefined, options: HelperOptions) => value?.[langOf(options)] ?? '',
  inc: (value: number) => Number(value) + 1,
  sum: (...args: unknown[]) => args.slice(0, -1).reduce((a: number, b) => a + Number(b), 0),
  minus: (a: number, b: number) => Number(a) - Number(b),
  upper: (value: string) => String(value).toLocaleUpperCase('vi-VN'),
  /** Parts of a date in Vietnam's time zone, for the letters' "ngày … tháng … năm …". */
  // Decree 30/2020: days below 10 and the months 1 and 2 take a leading zero (“ngày 05 tháng 02”, “tháng 3”).
  vnDay: (value: Date) => String(vietnamDatePart(value, 'day')).padStart(2, '0'),
  vnMonth: (value: Date) => {
    const month = vietnamDatePart(value, 'month');
    return month <= 2 ? `0${month}` : String(month);
  },
  vnYear: (value: Date) => vietnamDatePart(value, 'year'),
};

export function configureViews(app: Express): void {
  app.engine(
    'hbs',
    engine({
      extname: '.hbs',
      defaultLayout: 'main',
      layoutsDir: fromRoot('views', 'layouts'),
      // The app's partials, and the report templates' (reports/: templates, print styles, chart scripts).
      partialsDir: [fromRoot('views', 'partials'), fromRoot('reports', 'partials')],
      helpers,
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', [fromRoot('views'), fromRoot('reports')]);
  // Templates compiled once per process, whatever NODE_ENV says (Express caches only in production, and
  // `npm start` runs as development): compiling a page's templates again costs more than the page itself.
  // `npm run dev` restarts on a template's change instead (tsx watch --include).
  app.enable('view cache');
}
