import { BlockBootstrap } from './bootstrap.js';
import { normalQuantile, shareInterval, stratifiedMean } from './estimate.js';
import type { ReplicateStreams } from './random.js';
import { indicatorValue, quantile, scoreBlock, standardDeviation, tierOf } from './steps.js';
import type { Indicator } from '../questionnaires/index.js';
import type { BootstrapDraws, IndicatorScore, PillarScore, PlannedBlock, PreparedScoring, ReplicateDraw, ScoredResponse, ScoringInput, ScoringPlan, ScoringResult, UnitData, UnitFlag, UnitScore, UnitSummary } from './types.js';
export type * from './types.js';

/**
 * The DDCI scoring method of docs/design.md §7, pure: no I/O, no clock, randomness only from the injected source.
 * Each block of the methodology (any number of them) is scored and ranked separately. The same function
 * runs at unsealing and in `ddci score`, so anyone with the anonymised microdata can recompute every
 * published figure.
 */

/** A stratum whose frame count is missing or smaller than its respondents: the weights would be a guess. */
export class FrameCountError extends Error {
  constructor(
    readonly unit: string,
    readonly stratum: string,
    readonly population: number,
    readonly respondents: number,
  ) {
    super(`unit ${unit}, stratum ${stratum}: frame count ${population} for ${respondents} respondents`);
  }
}

/** The blocks that have units, with their pillars, indicators and units in code order; nothing read yet. */
export function planScoring(input: ScoringInput): ScoringPlan {
  const m = input.methodology;
  const known = new Set(m.blocks.map((b) => b.code));
  const stray = input.units.find((u) => !known.has(u.block));
  if (stray) throw new Error(`unit ${stray.code} belongs to block ${stray.block}, which methodology ${m.version} does not define`);
  const blocks = m.blocks.flatMap((block) => {
    const pillars = m.pillars.filter((p) => (block.weights[p.code] ?? 0) > 0);
    const indicators = m.indicators.filter((i) => pillars.some((p) => p.code === i.pillar));
    const units = input.units.filter((u) => u.block === block.code).map((u) => u.code).sort();
    return units.length ? [{ block, pillars, indicators, units }] : [];
  });
  return { methodology: m, ...(input.pooledBounds ? { pooledBounds: input.pooledBounds } : {}), blocks };
}

/**
 * Reads every unit once, in block and code order, keeping its point estimates; `each` is handed the unit's
 * values (to bootstrap) before they are dropped, so only one unit's values are held at a time.
 */
export function prepareScoring(input: ScoringInput, each?: (block: number, t: PlannedBlock, unit: UnitData) => void): PreparedScoring {
  const plan = planScoring(input);
  return withUnitsRead(
    plan,
    plan.blocks.map((t, b) =>
      t.units.map((code) => {
        const unit = unitData(input, t, code);
        each?.(b, t, unit);
        return summarise(unit, t.indicators.length);
      }),
    ),
  );
}

/** The plan with each block's units read (`units[b]`: block b's, in code order). */
export function withUnitsRead(plan: ScoringPlan, units: UnitSummary[][]): PreparedScoring {
  const minimum = plan.methodology.minAnswersPerUnit;
  return { ...plan, blocks: plan.blocks.map((t, b) => ({ ...t, units: units[b]!, rankable: units[b]!.map((u) => u.respondents >= minimum) })) };
}

/** Every unit read once with the bootstrap's replicates `from` … `to − 1` computed as it goes, on this thread. */
export function prepareWithReplicates(input: ScoringInput, streams: ReplicateStreams, from = 0, to = input.methodology.bootstrap.replicates): { prepared: PreparedScoring; draws: BootstrapDraws } {
  const boots: BlockBootstrap[] = [];
  const prepared = prepareScoring(input, (b, t, unit) => (boots[b] ??= new BlockBootstrap(streams, from, to, t.units.length, t.indicators.length)).add(unit));
  return { prepared, draws: Object.fromEntries(prepared.blocks.map((t, b) => [t.block.code, boots[b]!.draws(prepared, t)])) };
}

/** Scores every unit, the bootstrap on this thread; see `scorePrepared`. */
export function score(input: ScoringInput, streams: ReplicateStreams): ScoringResult {
  const { prepared, draws } = prepareWithReplicates(input, streams);
  return scorePrepared(prepared, draws);
}

/** Scores every unit from its point estimates and the bootstrap's replicates (computed here or on worker threads, parallel.ts). */
export function scorePrepared(prepared: PreparedScoring, replicated: BootstrapDraws): ScoringResult {
  const m = prepared.methodology;
  const level = m.bootstrap.confidence;
  const z = normalQuantile(level);
  const results: UnitScore[] = [];
  const bounds: ScoringResult['bounds'] = {};
  for (const { block, pillars, indicators, units, rankable } of prepared.blocks) {
    const estimates = units.map((u) => u.estimates);
    const point = scoreBlock(m, block, pillars, indicators, estimates.map((row) => row.map((e) => e?.estimate ?? null)), rankable, prepared.pooledBounds?.[block.code]);
    bounds[block.code] = point.bounds;
    const ranked = point.ranks.filter((r) => r !== null).length;
    const census = units.map((u) => u.strata.every((s) => s.size >= s.population));
    const collect = (pick: (d: ReplicateDraw) => number | null | undefined) => {
      const values: number[] = [];
      for (const d of replicated[block.code] ?? []) {
        const v = pick(d);
        if (v !== null && v !== undefined) values.push(v);
      }
      return values;
    };
    const interval = (values: number[]): [number, number] | null => {
      if (!values.length) return null;
      const sorted = values.sort((a, b) => a - b);
      return [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)];
    };

    units.forEach((u, j) => {
      const composite = point.composites[j] ?? null;
      const incompletePillars = pillars.filter((_, q) => point.pillars[j]![q] === null).map((p) => p.code);
      const flag: UnitFlag | null = !rankable[j] ? 'below-minimum' : composite === null ? 'incomplete' : null;
      const ranks = interval(collect((d) => d.ranks[j]));
      results.push({
        unit: u.code,
        block: block.code,
        respondents: u.respondents,
        flag,
        incompletePillars,
        indicators: indicators.map((indicator, k) => {
          const e = estimates[j]![k];
          return {
            code: indicator.code,
            value: e?.estimate ?? null,
            se: e?.se ?? null,
            ci: !e ? null : indicator.measure === 'share' ? shareInterval(e, level, m.shareInterval ?? 'logit', census[j]!) : [e.estimate - z * e.se, e.estimate + z * e.se],
            bootstrapSe: e ? standardDeviation(collect((d) => d.indicators[j]![k])) : null,
            valid: e?.valid ?? 0,
            score: point.indicatorScores[j]![k] ?? null,
          };
        }),
        pillars: pillars.map((p, q) => ({ code: p.code, score: point.pillars[j]![q] ?? null, ci: interval(collect((d) => d.pillars[j]![q])) })),
        composite,
        compositeCi: interval(collect((d) => d.composites[j])),
        rank: flag ? null : (point.ranks[j] ?? null),
        rankRange: flag || !ranks ? null : [Math.round(ranks[0]), Math.round(ranks[1])],
        tier: flag || composite === null ? null : tierOf(block.tiers, composite, point.ranks[j]!, ranked),
      });
    });
  }
  return { methodology: m.version, level, replicates: m.bootstrap.replicates, bounds, units: results };
}

/** A unit's point estimates, indicator by indicator (NaN where a respondent's value is missing). */
export function summarise(unit: UnitData, K: number): UnitSummary {
  const column = new Float64Array(unit.valid.length / K);
  const estimates = Array.from({ length: K }, (_, k) => {
    for (let i = 0, at = k; i < column.length; i++, at += K) column[i] = unit.valid[at] ? unit.values[at]! : Number.NaN;
    return stratifiedMean(unit.strata.map((s) => ({ population: s.population, values: column.subarray(s.start, s.start + s.size) })));
  });
  return { code: unit.code, strata: unit.strata, respondents: unit.respondents, estimates };
}

/** Where a unit's values are written: `cells` (respondents × indicators) zeroed values and validity flags. */
export type ValueStore = (cells: number) => { values: Float64Array; valid: Uint8Array };

const ownArrays: ValueStore = (cells) => ({ values: new Float64Array(cells), valid: new Uint8Array(cells) });

/**
 * One unit's values (see UnitData), its respondents grouped by stratum in the order they were given;
 * written where `store` says (by default, arrays of its own).
 */
export function unitData(input: ScoringInput, t: PlannedBlock, code: string, store: ValueStore = ownArrays): UnitData {
  const { responses: all } = input;
  const responses = typeof all === 'function' ? all(code) : all.filter((r) => r.unit === code);
  const labels = [...new Set([...input.strata.filter((s) => s.unit === code).map((s) => s.stratum), ...responses.map((r) => r.stratum)])].sort();
  const ordered: ScoredResponse[] = [];
  const strata = labels.map((label) => {
    const members = responses.filter((r) => r.stratum === label);
    const population = input.strata.find((s) => s.unit === code && s.stratum === label)?.population ?? 0;
    // Refuse rather than guess: a missing or too small frame count would silently make a census.
    if (members.length > 0 && !(population >= members.length)) throw new FrameCountError(code, label, population, members.length);
    const start = ordered.length;
    ordered.push(...members);
    return { population, start, size: members.length };
  });
  const K = t.indicators.length;
  const { values, valid } = store(ordered.length * K);
  ordered.forEach((r, i) => {
    t.indicators.forEach((indicator, k) => {
      const y = indicatorValue(indicator, r.answers[indicator.question]);
      if (y === y) [values[i * K + k], valid[i * K + k]] = [y, 1];
    });
  });
  return { code, strata: strata.filter((s) => s.size > 0), values, valid, respondents: ordered.length + (input.withheld?.[code] ?? 0) };
}
