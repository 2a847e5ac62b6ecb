import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/**
 * Design-based estimation for a stratified simple random sample (no clustering), as R's `survey` package
 * computes it for `svydesign(ids = ~1, strata = ~stratum, weights = ~w, fpc = ~N)` and `svymean(~y,
 * na.rm = TRUE)`. Pure.
 *
 * Notation, per stratum h: N_h the frame count, n_h the respondents (all of them, answered or not),
 * w_h = N_h / n_h each respondent's design weight, y_hi the value (NaN when missing: "don't know" or no
 * answer), d_hi = 1 when y_hi is present.
 *
 *   estimate   Ŷ = Σ_h Σ_i w_h d_hi y_hi / Σ_h Σ_i w_h d_hi                   (a ratio: the weighted mean)
 *   influence  z_hi = w_h d_hi (y_hi − Ŷ) / Σ_h Σ_i w_h d_hi                 (Taylor linearisation)
 *   variance   V = Σ_h (1 − n_h/N_h) · n_h/(n_h − 1) · Σ_i (z_hi − z̄_h)²      (strata with n_h ≥ 2)
 *   SE = √V, and the interval Ŷ ± z_{(1+level)/2} · SE (normal, as `confint` on an svymean) for a mean;
 *   a share's interval stays inside [0, 1] (`shareInterval`, as R's `svyciprop`).
 *
 * Missing values keep their respondent in n_h with z_hi = 0: the domain estimator `survey` uses after
 * `na.rm = TRUE` (a subset keeps the design). A stratum with one respondent adds no variance (R's
 * default `survey.lonely.psu = "fail"` would stop instead; we report the estimate and say so in the docs).
 */
export interface StratumValues {
  /** Frame count N_h. */
  population: number;
  /** One value per respondent in the stratum, NaN when missing. */
  values: ArrayLike<number>;
}

export interface Estimate {
  estimate: number;
  se: number;
  /** Respondents with a value. */
  valid: number;
  /** Respondents, missing values included (R's `nrow` of the unit's design). */
  respondents: number;
  /** Degrees of freedom of the design, respondents − strata (R's `degf` of the unit's design). */
  df: number;
}

export function stratifiedMean(strata: readonly StratumValues[]): Estimate | null {
  let weighted = 0;
  let weightSum = 0;
  let valid = 0;
  let respondents = 0;
  let df = 0;
  for (const { population, values } of strata) {
    const n = values.length;
    if (n === 0) continue;
    respondents += n;
    df += n - 1;
    const w = population / n;
    for (let i = 0; i < n; i++) {
      const y = values[i]!;
      if (Number.isNaN(y)) continue;
      weighted += w * y;
      weightSum += w;
      valid++;
    }
  }
  if (valid === 0) return null;
  const estimate = weighted / weightSum;
  let variance = 0;
  for (const { population, values } of strata) {
    const n = values.length;
    if (n < 2) continue;
    const w = population / n;
    let zSum = 0;
    let zSquares = 0;
    for (let i = 0; i < n; i++) {
      const y = values[i]!;
      const z = Number.isNaN(y) ? 0 : (w * (y - estimate)) / weightSum;
      zSum += z;
      zSquares += z * z;
    }
    const centred = zSquares - (zSum * zSum) / n; // Σ (z − z̄)²
    const fpc = population > 0 ? Math.max(0, 1 - n / population) : 1;
    variance += fpc * (n / (n - 1)) * centred;
  }
  return { estimate, se: Math.sqrt(Math.max(0, variance)), valid, respondents, df };
}

/**
 * The interval of a share (a weighted proportion), inside [0, 1], as R's `svyciprop` computes it on the
 * unit's design (docs/estimation.md §3):
 *   logit  expit(logit p ± t_df · SE / (p(1 − p))), t with df = `degf` (the Wald interval of
 *          svyglm(y ~ 1, family = quasibinomial), whose linearised SE is exactly that);
 *   beta   Korn–Graubard: Clopper–Pearson with the effective sample size
 *          n* = p(1 − p)/SE² · (t_{n−1} / t_df)².
 * At p = 0 or 1 R has no interval (NaN, or logit's numerical dust); we give Clopper–Pearson on the valid
 * answers, [0, 1 − (α/2)^(1/n)] or [(α/2)^(1/n), 1], which is [p, p] when the SE is 0 because every stratum is
 * a census. Null when the design has no degrees of freedom (R: NaN).
 */
export function shareInterval(e: Estimate, level: number, method: 'logit' | 'beta', census: boolean): [number, number] | null {
  const p = e.estimate;
  const alpha = 1 - level;
  if (p <= 0 || p >= 1) {
    if (census) return [p, p];
    const edge = (alpha / 2) ** (1 / e.valid);
    return p <= 0 ? [0, 1 - edge] : [edge, 1];
  }
  if (e.df <= 0) return null;
  if (e.se === 0) return [p, p];
  const t = tQuantile(1 - alpha / 2, e.df);
  if (method === 'logit') {
    const centre = Math.log(p / (1 - p));
    const half = (t * e.se) / (p * (1 - p));
    return [1 / (1 + Math.exp(-(centre - half))), 1 / (1 + Math.exp(-(centre + half)))];
  }
  const effective = ((p * (1 - p)) / (e.se * e.se)) * (tQuantile(1 - alpha / 2, e.respondents - 1) / t) ** 2;
  return [betaQuantile(alpha / 2, effective * p, effective * (1 - p) + 1), betaQuantile(1 - alpha / 2, effective * p + 1, effective * (1 - p))];
}

/** Two-sided standard normal quantile z_{(1+level)/2} (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(level: number): number {
  const p = (1 + level) / 2;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const high = 1 - 0.02425;
  if (p > high) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
