import { bootstrapReplicates } from './bootstrap.js';
import { normalQuantile, shareInterval, stratifiedMean, type StratumValues } from './estimate.js';
import type { ReplicateStreams } from './random.js';
import { indicatorValue, quantile, scoreBlock, standardDeviation, tierOf } from './steps.js';
import type { Indicator } from '../questionnaires/index.js';
import type { BootstrapDraws, IndicatorScore, ScoredResponse, PillarScore, PreparedBlock, PreparedScoring, ReplicateDraw, ScoringInput, ScoringResult, UnitData, UnitFlag, UnitScore } from './types.js';
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

export function prepareScoring(input: ScoringInput): PreparedScoring {
  const m = input.methodology;
  const known = new Set(m.blocks.map((b) => b.code));
  const stray = input.units.find((u) => !known.has(u.block));
  if (stray) throw new Error(`unit ${stray.code} belongs to block ${stray.block}, which methodology ${m.version} does not define`);
  const blocks = m.blocks.flatMap((block) => {
    const pillars = m.pillars.filter((p) => (block.weights[p.code] ?? 0) > 0);
    const indicators = m.indicators.filter((i) => pillars.some((p) => p.code === i.pillar));
    const units = unitData(input, block.code, indicators);
    return units.length ? [{ block, pillars, indicators, units, rankable: units.map((u) => u.respondents >= m.minAnswersPerUnit) }] : [];
  });
  return { methodology: m, ...(input.pooledBounds ? { pooledBounds: input.pooledBounds } : {}), blocks };
}

/** Scores every unit, the bootstrap on this thread; see `scorePrepared`. */
export function score(input: ScoringInput, streams: ReplicateStreams): ScoringResult {
  return scorePrepared(prepareScoring(input), streams);
}

/**
 * Scores every unit. `draws` are the bootstrap replicates when computed elsewhere (worker threads, see
 * parallel.ts); by default they are computed here from `streams`.
 */
export function scorePrepared(prepared: PreparedScoring, streams: ReplicateStreams, draws?: BootstrapDraws): ScoringResult {
  const m = prepared.methodology;
  const level = m.bootstrap.confidence;
  const z = normalQuantile(level);
  const replicated = draws ?? bootstrapReplicates(prepared, streams, 0, m.bootstrap.replicates);
  const results: UnitScore[] = [];
  const bounds: ScoringResult['bounds'] = {};
  for (const { block, pillars, indicators, units, rankable } of prepared.blocks) {
    const estimates = units.map((u) => indicators.map((_, k) => stratifiedMean(stratumValues(u, indicatorColumn(u, k, indicators.length)))));
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

/** One indicator's values over a unit's respondents, NaN where missing. */
function indicatorColumn(unit: UnitData, k: number, indicators: number): Float64Array {
  const column = new Float64Array(unit.valid.length / indicators);
  for (let i = 0, at = k; i < column.length; i++, at += indicators) column[i] = unit.valid[at] ? unit.values[at]! : Number.NaN;
  return column;
}

function stratumValues(unit: UnitData, values: Float64Array): StratumValues[] {
  return unit.strata.map((s) => ({ population: s.population, values: values.subarray(s.start, s.start + s.size) }));
}

function unitData(input: ScoringInput, block: string, indicators: Indicator[]): UnitData[] {
  const codes = input.units.filter((u) => u.block === block).map((u) => u.code).sort();
  const { responses: all } = input;
  return codes.map((code) => {
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
    // On shared memory: the bootstrap's worker threads read these values where they are, without a copy each.
    const K = indicators.length;
    const values = new Float64Array(new SharedArrayBuffer(ordered.length * K * Float64Array.BYTES_PER_ELEMENT));
    const valid = new Uint8Array(new SharedArrayBuffer(ordered.length * K));
    ordered.forEach((r, i) => {
      indicators.forEach((indicator, k) => {
        const y = indicatorValue(indicator, r.answers[indicator.question]);
        if (y === y) [values[i * K + k], valid[i * K + k]] = [y, 1];
      });
    });
    return { code, strata: strata.filter((s) => s.size > 0), values, valid, respondents: ordered.length + (input.withheld?.[code] ?? 0) };
  });
}

