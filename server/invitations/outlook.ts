/**
 * How many answers each unit will have when fieldwork closes, and how sure that is — pure (docs/design.md §5).
 *
 * Answers arrive along a **response curve**: F(t), the share of a campaign's final answers received by the
 * elapsed share t of fieldwork (0 at the start, 1 at the close). Last year's campaign gives its curve; without
 * one, a curve with half the answers in the first quarter of fieldwork and four in five by its middle
 * (F(t) = 1 − (1 − t)^2.5), as answers come soon after the letters and again after the reminders.
 *
 * A unit's final response rate θ is uncertain: a Beta prior centred on the campaign's projected final rate
 * (its answers so far over its invitations × F(t), starting from the design's expected response rate) with the weight of `PRIOR_STRENGTH` invitations, updated with the unit's own
 * answers so far (answered ~ Binomial(invited, θ·F(t))), on a grid of θ. A business not answered yet answers by the
 * close with probability θ(1 − F)/(1 − θF). The final count is the answers so far plus that binomial over
 * the businesses still out, mixed over θ's posterior; a unit is **at risk** when it ends under the ranking
 * minimum with probability at least one half, and the page says that probability.
 */

export interface ResponseCurve {
  /** Share of the final answers received by elapsed share `t` of fieldwork. */
  at(t: number): number;
}

export const DEFAULT_CURVE: ResponseCurve = { at: (t) => 1 - (1 - clamp01(t)) ** 2.5 };

/** The prior's weight, in invitations: how much a unit's own few early answers move it off the campaign's rate. */
export const PRIOR_STRENGTH = 10;

/** The weight, in invitations, of the sampling design's expected response rate in the campaign's projected final rate. */
export const PLAN_STRENGTH = 50;

/**
 * The campaign's final response rate projected from its answers so far, starting from the rate the sample
 * was designed for (so that the first days, with few answers anywhere, raise no alarm).
 */
export function projectedCampaignRate(totals: { invited: number; answered: number }, t: number, curve: ResponseCurve, plannedRate: number): number {
  const F = curve.at(t);
  return clamp01((totals.answered + PLAN_STRENGTH * plannedRate * F) / (totals.invited * F + PLAN_STRENGTH * F || 1));
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * The cumulative curve of a past campaign from its answers per day (days as `yyyy-mm-dd`), over its whole
 * fieldwork from `start` to `end`: piecewise linear between the ends of days.
 */
export function curveFromDays(days: readonly { day: string; answers: number }[], start: string, end: string): ResponseCurve | null {
  const total = days.reduce((n, d) => n + d.answers, 0);
  const span = dayNumber(end) - dayNumber(start) + 1;
  if (!total || span < 2) return null;
  const cumulative = new Array<number>(span + 1).fill(0);
  for (const d of days) {
    const i = Math.min(span - 1, Math.max(0, dayNumber(d.day) - dayNumber(start)));
    cumulative[i + 1]! += d.answers;
  }
  for (let i = 1; i <= span; i++) cumulative[i]! += cumulative[i - 1]!;
  return {
    at: (t) => {
      const x = clamp01(t) * span;
      const i = Math.min(span - 1, Math.floor(x));
      return (cumulative[i]! + (cumulative[i + 1]! - cumulative[i]!) * (x - i)) / total;
    },
  };
}

export const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

export interface UnitOutlook {
  /** Expected answers at the close. */
  expected: number;
  /** 80 % of the projected final counts lie in [low, high]. */
  low: number;
  high: number;
  /** Probability of ending under the minimum. */
  pBelow: number;
}

/** The distribution of a unit's final count (index = answers), mixed over a grid of θ from its Beta posterior. */
function finalCountDistribution(invited: number, answered: number, elapsed: number, rate: number): number[] {
  const F = Math.max(1e-6, Math.min(1, elapsed));
  const out = invited - answered;
  const dist = new Array<number>(invited + 1).fill(0);
  if (out <= 0 || F >= 1) {
    dist[answered] = 1;
    return dist;
  }
  const [a, b] = [PRIOR_STRENGTH * rate, PRIOR_STRENGTH * (1 - rate)];
  const GRID = 200;
  // Posterior on a grid: the Beta prior times the chance of the answers so far, answered ~ Bin(invited, θF).
  const logWeights = Array.from({ length: GRID }, (_, g) => {
    const theta = (g + 0.5) / GRID;
    return (a - 1) * Math.log(theta) + (b - 1) * Math.log(1 - theta) + answered * Math.log(theta * F) + (invited - answered) * Math.log(1 - theta * F);
  });
  const top = Math.max(...logWeights);
  let weightTotal = 0;
  for (let g = 0; g < GRID; g++) {
    const theta = (g + 0.5) / GRID;
    const w = Math.exp(logWeights[g]! - top);
    weightTotal += w;
    const q = Math.min(1, (theta * (1 - F)) / (1 - theta * F));
    // Binomial(out, q) term by term: p(k + 1) = p(k) · (out − k)/(k + 1) · q/(1 − q).
    let p = (1 - q) ** out;
    for (let k = 0; k <= out; k++) {
      dist[answered + k]! += w * p;
      p *= ((out - k) / (k + 1)) * (q / (1 - q));
    }
  }
  return dist.map((p) => p / weightTotal);
}

/** A unit's outlook at elapsed share `t` of fieldwork, given the campaign's projected final rate and the curve. */
export function unitOutlook(u: { invited: number; answered: number }, t: number, rate: number, curve: ResponseCurve, minimum: number): UnitOutlook {
  const F = curve.at(t);
  const dist = finalCountDistribution(u.invited, u.answered, F, Math.min(0.99, Math.max(0.01, rate)));
  let cumulative = 0;
  let low = u.answered;
  let high = u.invited;
  let lowSet = false;
  for (let n = 0; n < dist.length; n++) {
    cumulative += dist[n]!;
    if (!lowSet && cumulative >= 0.1) {
      low = n;
      lowSet = true;
    }
    if (cumulative >= 0.9) {
      high = n;
      break;
    }
  }
  const expected = dist.reduce((s, p, n) => s + p * n, 0);
  const pBelow = dist.slice(0, Math.max(0, minimum)).reduce((s, p) => s + p, 0);
  return { expected, low, high, pBelow };
}
