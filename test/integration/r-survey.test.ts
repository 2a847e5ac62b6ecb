import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { codebook, indicatorColumn, microdataCsv } from '../../server/publication/codebook.js';
import { loadCatalog, type Methodology } from '../../server/questionnaires/index.js';
import { buildMicrodata, scoreMicrodata, type Microdata } from '../../server/scoring/index.js';
import { BANDS, neymanMicrodata } from '../support/banded.js';
import { rDirectory, rscript as runR } from '../support/r.js';

/**
 * The published microdata read by R's survey package, as an analyst would: the codebook's own script
 * (read.csv + svydesign) gives the same estimates and SEs as results.json, and R's replicate designs give
 * bootstrap SEs that agree with ours. Needs R with r-cran-survey (Debian); npm test provisions them (scripts/provision-test-tools.sh).
 */
const catalog = loadCatalog();
const dir = rDirectory();
const REPLICATES = 2000;
const methodology: Methodology = { ...catalog.methodology, bootstrap: { ...catalog.methodology.bootstrap, replicates: REPLICATES } };

const rscript = (script: string) => runR(dir, script);

/** Writes the microdata CSV where the codebook's script reads it; returns the codebook. */
function publish(microdata: Microdata) {
  const book = codebook(microdata, methodology, catalog.questionnaires);
  writeFileSync(path.join(dir, book.file), microdataCsv(microdata, book, methodology));
  return book;
}

/** Every unit × indicator with an estimate: R's svyby(…, svymean) over `design`, as CSV rows. */
function rEstimates(preamble: string, design: string, columns: string[]): Map<string, { estimate: number; se: number }> {
  const out = rscript(`${preamble}
${design}
for (v in c(${columns.map((c) => `"${c}"`).join(', ')})) {
  answered <- unique(d$unit[!is.na(d[[v]])])
  r <- svyby(as.formula(paste0("~", v)), ~unit, subset(des, unit %in% answered), svymean, na.rm = TRUE)
  for (i in seq_len(nrow(r))) cat(v, r$unit[i], sprintf("%.17g", coef(r)[i]), sprintf("%.17g", SE(r)[i]), "\\n")
}`);
  const map = new Map<string, { estimate: number; se: number }>();
  for (const line of out.trim().split('\n')) {
    const [v, unit, estimate, se] = line.trim().split(/\s+/);
    map.set(`${v}/${unit}`, { estimate: Number(estimate), se: Number(se) });
  }
  return map;
}

const microdata = neymanMicrodata(catalog, 20261201);
const book = publish(microdata);
const result = scoreMicrodata(microdata, methodology);
/** Indicator columns with a value in every unit that answered them (R's svyby drops domains with none). */
const ours = result.units.flatMap((u) =>
  u.indicators.filter((i) => i.value !== null && i.valid >= 2).map((i) => ({ key: `${indicatorColumn(i.code)}/${u.unit}`, ...i })),
);
const columnOf = (key: string) => key.split('/')[0]!;
/** R's replicate designs take about a second per indicator: the bootstrap checks use every other one. */
const bootstrapColumns = [...new Set(ours.map((o) => columnOf(o.key)))].filter((_, i) => i % 2 === 0);
const bootstrapped = ours.filter((o) => bootstrapColumns.includes(columnOf(o.key)));

test('the design is multi-band and Neyman-allocated: larger bands are oversampled, small cells merged', () => {
  const strata = new Set(microdata.responses.map((r) => `${r.unit}/${r.stratum}`));
  expect(strata.size).toBeGreaterThanOrEqual(10);
  const rates = microdata.strata.map((s) => microdata.responses.filter((r) => r.unit === s.unit && r.stratum === s.stratum).length / s.population);
  expect(Math.max(...rates) / Math.min(...rates)).toBeGreaterThan(5);
  expect(microdata.disclosure.collapsed.length).toBeGreaterThan(0);
  expect(BANDS).toContain(microdata.responses[0]!.stratum.split('+')[0]);
});

test('the codebook’s svydesign call in R gives the estimates and SEs of every indicator of every unit to 1e-9', () => {
  const [library, lonely, read, design] = book.r.script.split('\n');
  const columns = [...new Set(ours.map((o) => columnOf(o.key)))];
  const r = rEstimates([library, lonely, read].join('\n'), design!, columns);
  expect(ours.length).toBeGreaterThan(100);
  for (const o of ours) {
    const fromR = r.get(o.key);
    expect({ key: o.key, found: Boolean(fromR) }).toEqual({ key: o.key, found: true });
    expect(Math.abs(fromR!.estimate - o.value!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(o.value!)));
    expect(Math.abs(fromR!.se - o.se!)).toBeLessThan(1e-9 * Math.max(1, o.se!));
  }
}, 120_000);

test('the codebook’s whole R script estimates exactly the unit × indicator pairs the results publish, each unit on its own block’s indicators', () => {
  const out = rscript(`${book.r.script}\nwrite.csv(estimates, "estimates.csv", row.names = FALSE)\ncat(sprintf("%s/%s %.17g %.17g\\n", estimates$indicator, estimates$unit, estimates$estimate, estimates$se), sep = "")`);
  const lines = out.trim().split('\n').filter((l) => /^I_\S+\/\S+ /.test(l));
  const fromR = new Map(lines.map((l) => { const [key, estimate, se] = l.split(' '); return [key!, { estimate: Number(estimate), se: Number(se) }]; }));
  const published = result.units.flatMap((u) => u.indicators.filter((i) => i.value !== null).map((i) => ({ key: `${indicatorColumn(i.code)}/${u.unit}`, ...i })));
  expect([...fromR.keys()].sort()).toEqual(published.map((p) => p.key).sort());
  for (const p of published) {
    const r = fromR.get(p.key)!;
    expect({ key: p.key, estimate: Math.abs(r.estimate - p.value!) < 1e-9, se: Math.abs(r.se - p.se!) < 1e-9 }).toEqual({ key: p.key, estimate: true, se: true });
  }
}, 120_000);

test('every share’s interval is R’s svyciprop(method = "logit") on the unit’s design to 1e-9, and none leaves [0, 1]', () => {
  const [library, lonely, read, design] = book.r.script.split('\n');
  const shares = new Set(methodology.indicators.filter((i) => i.measure === 'share').map((i) => indicatorColumn(i.code)));
  const columns = [...new Set(ours.map((o) => columnOf(o.key)))].filter((c) => shares.has(c));
  const out = rscript(`${[library, lonely, read, design].join('\n')}
for (v in c(${columns.map((c) => `"${c}"`).join(', ')})) {
  answered <- unique(d$unit[!is.na(d[[v]])])
  r <- svyby(as.formula(paste0("~", v)), ~unit, subset(des, unit %in% answered), svyciprop, method = "logit", vartype = "ci", na.rm = TRUE)
  for (i in seq_len(nrow(r))) cat(v, r$unit[i], sprintf("%.17g", r$ci_l[i]), sprintf("%.17g", r$ci_u[i]), "\\n")
}`);
  const fromR = new Map<string, [number, number]>(
    out
      .trim()
      .split('\n')
      .map((line) => {
        const [v, unit, low, high] = line.trim().split(/\s+/);
        return [`${v}/${unit}`, [Number(low), Number(high)] as [number, number]];
      }),
  );
  const interior = ours.filter((o) => shares.has(columnOf(o.key)) && o.value! > 0 && o.value! < 1);
  expect(interior.length).toBeGreaterThan(100);
  for (const o of interior) {
    const [low, high] = fromR.get(o.key)!;
    expect({ key: o.key, low: Math.abs(o.ci![0] - low) < 1e-9, high: Math.abs(o.ci![1] - high) < 1e-9 }).toEqual({ key: o.key, low: true, high: true });
  }
  for (const u of result.units) for (const i of u.indicators) if (i.ci && shares.has(indicatorColumn(i.code))) expect(i.ci[0] >= 0 && i.ci[1] <= 1 && i.ci[0] <= i.value! && i.value! <= i.ci[1]).toBe(true);
}, 120_000);

/**
 * Bootstrap SEs are random: each side's SE from B = 2,000 replicates is off its expectation by about
 * 1/√(2B) ≈ 1.6 % (one SD), so the ratio of the two by ≈ 2.2 %. We ask every ratio to be within 15 %
 * (≈ 7 SD, for ~80 comparisons, some in strata of 5–6 answers where the bootstrap is skewed) and their
 * mean within 2 % (the ratios of one unit share replicates, so the mean moves more than 2.2 %/√80) — a
 * wrong fpc or rescaling factor moves the mean by far more (√3 at f = 2/3).
 */
function compareBootstrap(mine: { key: string; bootstrapSe: number | null }[], theirs: Map<string, { se: number }>) {
  const ratios = mine.filter((m) => (theirs.get(m.key)?.se ?? 0) > 1e-6).map((m) => ({ key: m.key, ratio: m.bootstrapSe! / theirs.get(m.key)!.se }));
  expect(ratios.length).toBeGreaterThan(50);
  const mean = ratios.reduce((a, r) => a + r.ratio, 0) / ratios.length;
  expect(mean).toBeGreaterThan(0.98);
  expect(mean).toBeLessThan(1.02);
  for (const r of ratios) expect({ key: r.key, ok: r.ratio > 0.85 && r.ratio < 1.15 }).toEqual({ key: r.key, ok: true });
}

test('our rescaled bootstrap agrees with R’s subbootstrap (Rao–Wu) where the sampling fractions vanish', () => {
  // R's subbootstrap ignores the fpc. Scaling every frame count by 10^6 keeps every weight ratio (the
  // estimates do not move) and makes our λ = √(1 − f) equal to 1: the same bootstrap as R's.
  const large = buildMicrodata({
    ...microdata,
    strata: microdata.strata.map((s) => ({ ...s, population: s.population * 1e6 })),
    responses: microdata.responses.map(({ weight: _w, fpc: _f, ...r }) => r),
    minStratumRespondents: microdata.disclosure.minStratumRespondents,
    minAnswersPerUnit: methodology.minAnswersPerUnit,
    bandOrder: BANDS,
  });
  const largeBook = publish({ ...large, campaign: { ...large.campaign, id: 'large' } });
  const scored = scoreMicrodata(large, methodology).units.flatMap((u) => u.indicators.map((i) => ({ key: `${indicatorColumn(i.code)}/${u.unit}`, bootstrapSe: i.bootstrapSe })));
  const [library, lonely, read] = largeBook.r.script.split('\n');
  const r = rEstimates([library, lonely, read, 'set.seed(1)'].join('\n'), `des <- as.svrepdesign(svydesign(ids = ~1, strata = ~stratum_id, weights = ~weight, data = d), type = "subbootstrap", replicates = ${REPLICATES})`, bootstrapColumns);
  compareBootstrap(scored.filter((s) => bootstrapped.some((o) => o.key === s.key)), r);
}, 300_000);

test('with the finite-population correction it agrees with R’s rescaled bootstrap that has one (Preston’s mrbbootstrap)', () => {
  const [library, lonely, read, design] = book.r.script.split('\n');
  const r = rEstimates([library, lonely, read, 'set.seed(2)'].join('\n'), `${design}\ndes <- as.svrepdesign(des, type = "mrbbootstrap", replicates = ${REPLICATES})`, bootstrapColumns);
  compareBootstrap(bootstrapped, r);
  // And the fpc matters here: some strata are sampled at a third or more.
  expect(Math.max(...microdata.responses.map((x) => 1 / x.weight))).toBeGreaterThan(0.3);
}, 300_000);
