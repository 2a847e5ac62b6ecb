import { quantile } from './steps.js';
import type { Bounds, BootstrapDraws, PreparedScoring, ScoringResult, UnitChange, UnitLink } from './types.js';
export type { NotComparable, UnitChange, UnitLink } from './types.js';

/**
 * DDCI as a yearly series (docs/design.md §7, step 6), pure: change from last year for the units that continue exactly
 * one unit of last year's campaign, and indicator bounds pooled over past years.
 */

/** Each unit's composite in every bootstrap replicate (null where a replicate left it without one). */
export function replicateComposites(prepared: PreparedScoring, draws: BootstrapDraws): Map<string, (number | null)[]> {
  const out = new Map<string, (number | null)[]>();
  for (const { block, units } of prepared.blocks) {
    units.forEach((u, j) => out.set(u.code, (draws[block.code] ?? []).map((d) => d.composites[j] ?? null)));
  }
  return out;
}

export interface YearScores {
  result: ScoringResult;
  composites: Map<string, (number | null)[]>;
}

/**
 * Change from last year. A unit compares only when it continues exactly one unit of last year, which no
 * other unit continues (a split or a merge compares with nothing), in the same block, and both years rank
 * it, and its block's indicators measure what they measured (`changedIndicators` names those that do not). The
 * change's interval takes replicate r of this year against replicate r of last year: the two samples are
 * independent, so each pair is one draw of the difference.
 */
export function changesFromLastYear(current: YearScores, previous: YearScores, links: readonly UnitLink[], changedIndicators: Record<string, string[]> = {}): UnitChange[] {
  const level = current.result.level;
  const before = new Map(previous.result.units.map((u) => [u.unit, u]));
  const continuedBy = new Map<string, string[]>();
  for (const l of links) continuedBy.set(l.previous, [...(continuedBy.get(l.previous) ?? []), l.code]);
  return current.result.units.map((now): UnitChange => {
    const previousCodes = links.filter((l) => l.code === now.unit).map((l) => l.previous).sort();
    const base = { unit: now.unit, previous: previousCodes };
    if (previousCodes.length === 0) return { ...base, notComparable: 'new' };
    if (previousCodes.length > 1) return { ...base, notComparable: 'merged' };
    const code = previousCodes[0]!;
    if ((continuedBy.get(code) ?? []).length > 1) return { ...base, notComparable: 'split' };
    const then = before.get(code);
    if (then && then.block !== now.block) return { ...base, notComparable: 'other-block' };
    if (changedIndicators[now.block]?.length) return { ...base, notComparable: 'indicators-changed' };
    if (!then || then.rank === null || then.composite === null || now.rank === null || now.composite === null) return { ...base, notComparable: 'not-ranked' };
    const ours = current.composites.get(now.unit) ?? [];
    const theirs = previous.composites.get(code) ?? [];
    const differences: number[] = [];
    for (let r = 0; r < Math.min(ours.length, theirs.length); r++) {
      const a = ours[r];
      const b = theirs[r];
      if (a !== null && a !== undefined && b !== null && b !== undefined) differences.push(a - b);
    }
    differences.sort((x, y) => x - y);
    const ci: [number, number] = differences.length ? [quantile(differences, (1 - level) / 2), quantile(differences, (1 + level) / 2)] : [Number.NaN, Number.NaN];
    return {
      ...base,
      composite: { previous: then.composite, change: now.composite - then.composite, ci, beyondUncertainty: ci[0] > 0 || ci[1] < 0 },
      rank: { previous: then.rank, rise: then.rank - now.rank },
      ...(then.tier !== null && now.tier !== null ? { tier: { previous: then.tier, changed: then.tier !== now.tier } } : {}),
    };
  });
}

/** Per block, each indicator's min and max over the ranked units of past years' results (for pooled bounds). */
export function pastBounds(results: readonly ScoringResult[]): Record<string, Bounds> {
  const out: Record<string, Bounds> = {};
  for (const result of results) {
    for (const unit of result.units) {
      if (unit.flag === 'below-minimum') continue; // as observed bounds: units with enough answers
      const bounds = (out[unit.block] ??= {});
      for (const i of unit.indicators) {
        if (i.value === null) continue;
        const [min, max] = bounds[i.code] ?? [Infinity, -Infinity];
        bounds[i.code] = [Math.min(min, i.value), Math.max(max, i.value)];
      }
    }
  }
  return out;
}
