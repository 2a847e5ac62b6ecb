import { projectedCampaignRate, unitOutlook, type ResponseCurve } from './outlook.js';

/**
 * Fieldwork monitoring, pure: response counts per unit grouped by block, with totals, sorted as asked, and
 * each unit's outlook against the ranking minimum (outlook.ts: its final count projected along the response
 * curve, with an interval and the chance of ending under the minimum) — so that units heading below it are
 * named while reminders and reserve businesses can still help. Counts only: never which business answered.
 */
export interface MonitoredUnit {
  code: string;
  block: string;
  name: string;
}

export interface UnitProgress {
  code: string;
  name: string;
  invited: number;
  answered: number;
  rate: number;
  /** Answers expected at the close, and the 80 % interval of the projection. */
  projected: number;
  low: number;
  high: number;
  /** Chance of ending under the minimum, in percent. */
  riskPercent: number;
  status: 'reached' | 'onTrack' | 'atRisk';
}

/** Fewer answers than this (or than units) in the whole campaign: too early to read anything from their timing. */
const TOO_EARLY_ANSWERS = 20;

export type SortKey = 'name' | 'code' | 'rate' | 'answered';
export const SORT_KEYS: readonly SortKey[] = ['rate', 'answered', 'name', 'code'];

interface Totals {
  invited: number;
  answered: number;
  rate: number;
}

const totalsOf = (rows: { invited: number; answered: number }[]): Totals => {
  const invited = rows.reduce((n, r) => n + r.invited, 0);
  const answered = rows.reduce((n, r) => n + r.answered, 0);
  return { invited, answered, rate: invited ? answered / invited : 0 };
};

const orderings: Record<SortKey, (a: UnitProgress, b: UnitProgress) => number> = {
  // Weakest first: the units that need attention lead.
  rate: (a, b) => a.rate - b.rate || a.answered - b.answered || a.name.localeCompare(b.name, 'vi'),
  answered: (a, b) => a.answered - b.answered || a.name.localeCompare(b.name, 'vi'),
  name: (a, b) => a.name.localeCompare(b.name, 'vi'),
  code: (a, b) => a.code.localeCompare(b.code),
};

export function fieldworkProgress(
  units: readonly MonitoredUnit[],
  blocks: readonly { code: string; name: string }[],
  rates: readonly { unitCode: string; invited: number; answered: number }[],
  minimum: number,
  sort: SortKey = 'rate',
  timing: { elapsed: number; curve: ResponseCurve; plannedRate: number },
) {
  const byCode = new Map(rates.map((r) => [r.unitCode, r]));
  const overall = totalsOf(rates.map((r) => r));
  // Before the first answers have come in from most units, their timing says nothing yet: the projection is
  // the design's expected rate applied to each unit's invitations (a unit with too few still shows).
  const tooEarly = overall.answered < Math.max(TOO_EARLY_ANSWERS, units.length);
  const elapsed = tooEarly ? 0 : timing.elapsed;
  const finalRate = tooEarly ? timing.plannedRate : projectedCampaignRate(overall, elapsed, timing.curve, timing.plannedRate);
  const progress = (u: MonitoredUnit): UnitProgress => {
    const { invited = 0, answered = 0 } = byCode.get(u.code) ?? {};
    const outlook = unitOutlook({ invited, answered }, elapsed, finalRate, timing.curve, minimum);
    // At risk only when ending under the minimum is more likely than not.
    const status = answered >= minimum ? 'reached' : outlook.pBelow >= 0.5 ? 'atRisk' : 'onTrack';
    return { code: u.code, name: u.name, invited, answered, rate: invited ? answered / invited : 0, projected: Math.round(outlook.expected), low: outlook.low, high: outlook.high, riskPercent: Math.round(outlook.pBelow * 100), status };
  };
  const grouped = blocks
    .map((b) => {
      const rows = units.filter((u) => u.block === b.code).map(progress).sort(orderings[sort]);
      return { code: b.code, name: b.name, totals: totalsOf(rows), units: rows, atRisk: rows.filter((r) => r.status === 'atRisk').length };
    })
    .filter((b) => b.units.length > 0);
  return {
    totals: overall,
    minimum,
    sort,
    elapsedPercent: Math.round(timing.elapsed * 100),
    tooEarly,
    plannedRate: timing.plannedRate,
    blocks: grouped,
    atRisk: grouped.flatMap((b) => b.units.filter((u) => u.status === 'atRisk')),
  };
}
