/**
 * Fieldwork monitoring, pure: response counts per unit grouped by block, with totals, sorted as asked, and
 * a projection against the ranking minimum — at the campaign's response rate so far, how many answers each
 * unit would reach from the invitations it has — so that units heading below the minimum are named while
 * reminders and reserve businesses can still help. Counts only: never which business answered.
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
  /** Answers expected at the campaign's rate so far (never fewer than already received). */
  projected: number;
  status: 'reached' | 'onTrack' | 'atRisk';
}

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
) {
  const byCode = new Map(rates.map((r) => [r.unitCode, r]));
  const overall = totalsOf(rates.map((r) => r));
  const progress = (u: MonitoredUnit): UnitProgress => {
    const { invited = 0, answered = 0 } = byCode.get(u.code) ?? {};
    const projected = Math.max(answered, Math.round(invited * overall.rate));
    const status = answered >= minimum ? 'reached' : projected >= minimum ? 'onTrack' : 'atRisk';
    return { code: u.code, name: u.name, invited, answered, rate: invited ? answered / invited : 0, projected, status };
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
    blocks: grouped,
    atRisk: grouped.flatMap((b) => b.units.filter((u) => u.status === 'atRisk')),
  };
}
