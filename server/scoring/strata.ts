/**
 * Disclosure control on the strata before microdata leaves the sealed document (docs/design.md §7), pure.
 *
 * Each unit is stratified by size band. A band cell with fewer than k respondents would let anyone who
 * knows the frame narrow those answers down to a handful of businesses, and a cell with none leaves its
 * frame count uncovered. Within each unit, while a cell has fewer than k respondents and the unit has
 * more than one cell, the cell with the fewest respondents (the first in band order on a tie) is merged
 * with its neighbour in band order that has fewer respondents (the next one on a tie); the merged cell's
 * frame count is the sum of both, its label their labels joined by "+". Cells with no frame count and no
 * respondents are dropped. The same rule runs for every campaign, so the merged strata are reproducible.
 */

/** k of the disclosure rule when the methodology does not set it. */
export const DEFAULT_MIN_STRATUM_RESPONDENTS = 5;

export interface StratumCount {
  unit: string;
  stratum: string;
  population: number;
}

export interface Collapsed {
  unit: string;
  /** The labels merged, in band order. */
  strata: string[];
  into: string;
}

export interface CollapsedStrata {
  strata: StratumCount[];
  /** Per unit, each original label's merged label. */
  labelOf: (unit: string, stratum: string) => string;
  collapsed: Collapsed[];
}

export const stratumKey = (unit: string, stratum: string) => `${unit}\u0000${stratum}`;

/** The unit and stratum a stratumKey names. */
export const splitStratumKey = (key: string) => key.split('\u0000') as [unit: string, stratum: string];

/** Respondents per unit × stratum, by stratumKey. */
export function respondentCounts(responses: readonly { unit: string; stratum: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of responses) counts.set(stratumKey(r.unit, r.stratum), (counts.get(stratumKey(r.unit, r.stratum)) ?? 0) + 1);
  return counts;
}

/** The first stratum with respondents (`counts`: respondentCounts) whose frame count is missing or smaller than them, if any. */
export function frameCountProblem(strata: readonly StratumCount[], counts: ReadonlyMap<string, number>): { unit: string; stratum: string } | null {
  const population = new Map(strata.map((s) => [stratumKey(s.unit, s.stratum), s.population]));
  for (const key of [...counts.keys()].sort()) {
    if (!((population.get(key) ?? 0) >= counts.get(key)!)) {
      const [unit, stratum] = splitStratumKey(key);
      return { unit, stratum };
    }
  }
  return null;
}

/** `counts`: respondents per unit × stratum (respondentCounts). */
export function collapseStrata(strata: readonly StratumCount[], counts: ReadonlyMap<string, number>, minRespondents: number, bandOrder: readonly string[]): CollapsedStrata {
  const rank = (label: string) => (bandOrder.includes(label) ? bandOrder.indexOf(label) : bandOrder.length);
  const units = [...new Set(strata.map((s) => s.unit))].sort();
  const result: StratumCount[] = [];
  const labels = new Map<string, string>();
  const collapsed: Collapsed[] = [];
  for (const unit of units) {
    let cells = strata
      .filter((s) => s.unit === unit)
      .map((s) => ({ labels: [s.stratum], population: s.population, respondents: counts.get(stratumKey(unit, s.stratum)) ?? 0 }))
      .filter((c) => c.population > 0 || c.respondents > 0)
      .sort((a, b) => rank(a.labels[0]!) - rank(b.labels[0]!) || a.labels[0]!.localeCompare(b.labels[0]!));
    while (cells.length > 1 && cells.some((c) => c.respondents < minRespondents)) {
      let i = 0;
      cells.forEach((c, j) => {
        if (c.respondents < cells[i]!.respondents) i = j;
      });
      const previous = cells[i - 1];
      const next = cells[i + 1];
      const j = !next || (previous && previous.respondents < next.respondents) ? i - 1 : i + 1;
      const [a, b] = [Math.min(i, j), Math.max(i, j)];
      const merged = { labels: [...cells[a]!.labels, ...cells[b]!.labels], population: cells[a]!.population + cells[b]!.population, respondents: cells[a]!.respondents + cells[b]!.respondents };
      cells = [...cells.slice(0, a), merged, ...cells.slice(b + 1)];
    }
    for (const cell of cells) {
      const label = cell.labels.join('+');
      result.push({ unit, stratum: label, population: cell.population });
      for (const original of cell.labels) labels.set(stratumKey(unit, original), label);
      if (cell.labels.length > 1) collapsed.push({ unit, strata: cell.labels, into: label });
    }
  }
  return { strata: result, labelOf: (unit, stratum) => labels.get(stratumKey(unit, stratum)) ?? stratum, collapsed };
}
