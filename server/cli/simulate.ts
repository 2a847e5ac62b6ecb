import { readFileSync } from 'node:fs';
import { randomAnswers, readSurveyForm, seededRandom, spoilAnswers, type FormFields } from '../responses/simulate.js';
import type { Random } from '../scoring/random.js';

/**
 * `ddci simulate`: answers survey forms over HTTP exactly as respondents' browsers would — code entry,
 * the unit list, each form with its nonce and CSRF token — with random valid answers and, now and then, an
 * invalid attempt first (which must come back 422 and store nothing). For demos and load tests.
 */
export interface SimulateOptions {
  url: string;
  codesFile: string;
  responses: number;
  concurrency: number;
  invalidShare: number;
  seed: number;
}

export interface SimulateReport {
  stored: number;
  invalidRefused: number;
  /** Units of the codes file not offered: answered before (the list has no link, or the whole code is used up), or the campaign not open. */
  notOffered: number;
  unexpected: { status: number; path: string }[];
  seconds: number;
  /** Set when the campaign is not taking answers: not open yet, or closed (then nothing more is tried). */
  campaignClosed?: 'notOpen' | 'closed';
}

/** One respondent's browser: cookies, and the CSRF token of the last page. */
class Session {
  private cookies = new Map<string, string>();
  token = '';

  constructor(private readonly base: string) {}

  async request(path: string, body?: FormFields): Promise<{ status: number; text: string; location: string | null }> {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    let payload: string | undefined;
    if (body) {
      const form = new URLSearchParams();
      for (const [name, value] of Object.entries({ _csrf: this.token, ...body })) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
      payload = form.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(new URL(path, this.base), { method: body ? 'POST' : 'GET', headers, body: payload, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const text = await res.text();
    const token = /name="csrf-token" content="([^"]+)"/.exec(text)?.[1];
    if (token) this.token = token;
    return { status: res.status, text, location: res.headers.get('location') };
  }
}

export function readCodes(file: string): { code: string; units: string[] }[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim())
    .map((line) => {
      const [code, units] = line.split(',');
      return { code: code!.trim(), units: (units ?? '').trim().split(/\s+/).filter(Boolean) };
    });
}

export async function simulate(options: SimulateOptions, progress: (done: number) => void = () => undefined): Promise<SimulateReport> {
  const random: Random = seededRandom(options.seed);
  const queue = readCodes(options.codesFile).sort(() => random() - 0.5);
  const report: SimulateReport = { stored: 0, invalidRefused: 0, notOffered: 0, unexpected: [], seconds: 0 };
  const started = performance.now();
  let claimed = 0;
  const expectStatus = (status: number, wanted: number, path: string) => {
    if (status !== wanted) report.unexpected.push({ status, path });
    return status === wanted;
  };

  async function respondent(entry: { code: string; units: string[] }) {
    const session = new Session(options.url);
    await session.request('/survey');
    const entered = await session.request('/survey', { code: entry.code });
    // A code whose units are all answered is refused exactly as a wrong one is (400).
    if (entered.status === 400) {
      report.notOffered += entry.units.length;
      return;
    }
    if (!expectStatus(entered.status, 303, '/survey')) return;
    // As a respondent would: answer the units the list offers (a unit answered before, in an earlier run
    // or on paper, has no link any more).
    const list = await session.request('/survey/units');
    if (!expectStatus(list.status, 200, '/survey/units')) return;
    const closed = /data-closed="survey\.(notOpen|closed)"/.exec(list.text)?.[1] as SimulateReport['campaignClosed'];
    if (closed) {
      report.campaignClosed = closed;
      report.notOffered += entry.units.length;
      return;
    }
    const offered = new Set([...list.text.matchAll(/href="\/survey\/units\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!)));
    report.notOffered += entry.units.filter((unit) => !offered.has(unit)).length;
    for (const unit of entry.units.filter((u) => offered.has(u))) {
      if (claimed >= options.responses) return;
      claimed++;
      const path = `/survey/units/${encodeURIComponent(unit)}`;
      const page = await session.request(path);
      if (!expectStatus(page.status, 200, path)) continue;
      const { nonce, schema } = readSurveyForm(page.text);
      const answers = randomAnswers(schema, random);
      if (random() < options.invalidShare) {
        const invalid = await session.request(path, { _nonce: nonce, ...spoilAnswers(schema, answers, random).fields });
        if (expectStatus(invalid.status, 422, path)) report.invalidRefused++;
      }
      const sent = await session.request(path, { _nonce: nonce, ...answers });
      if (expectStatus(sent.status, 303, path)) {
        report.stored++;
        progress(report.stored);
      }
    }
  }

  const workers = Array.from({ length: Math.max(1, options.concurrency) }, async () => {
    for (let entry = queue.shift(); entry && claimed < options.responses && !report.campaignClosed; entry = queue.shift()) await respondent(entry);
  });
  await Promise.all(workers);
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
