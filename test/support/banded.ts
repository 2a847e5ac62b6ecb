import { answersFromForm } from '../../server/responses/answers.js';
import { randomAnswers, seededRandom, type AnswerSchema } from '../../server/responses/simulate.js';
import { answerSchema, type Catalog } from '../../server/questionnaires/index.js';
import { allocate } from '../../server/sampling/design.js';
import { buildMicrodata, type Microdata, type StratumCount } from '../../server/scoring/index.js';

export const BANDS = ['micro', 'small', 'medium', 'large', 'unknown'] as const;

/**
 * Microdata of a Neyman-allocated, size-band-stratified campaign, answered at random from the real
 * questionnaires: per unit, band frame counts, a Neyman allocation of `perUnit` (n_h ∝ N_h·S_h), and every
 * sampled business answering. Larger businesses answer more favourably, so band weights matter.
 */
export function neymanMicrodata(catalog: Catalog, seed: number, perUnit = 60): Microdata {
  const random = seededRandom(seed);
  const units = [
    { code: 'SXD', block: 'provincial', bands: [700, 220, 60, 18] },
    { code: 'STC', block: 'provincial', bands: [400, 300, 90, 30] },
    { code: 'SCT', block: 'central', bands: [1200, 150, 40, 9] },
    { code: 'XCL', block: 'commune', bands: [500, 120, 25, 6] },
  ];
  const spreads = [1, 2.5, 6, 14]; // dealings vary more among larger businesses: Neyman oversamples them
  const strata: StratumCount[] = [];
  const responses: Parameters<typeof buildMicrodata>[0]['responses'] = [];
  for (const unit of units) {
    const key = catalog.methodology.blocks.find((b) => b.code === unit.block)!.questionnaire;
    const form = catalog.questionnaires.get(key)!;
    const schema = answerSchema(form) as unknown as AnswerSchema;
    const likert = new Set(form.sections.flatMap((s) => s.questions).filter((q) => q.type === 'likert5').map((q) => q.code));
    const sizes = allocate(perUnit, unit.bands.map((size, b) => ({ size, spread: spreads[b]! })), 'neyman');
    unit.bands.forEach((size, b) => {
      strata.push({ unit: unit.code, stratum: BANDS[b]!, population: size });
      for (let i = 0; i < sizes[b]!; i++) {
        const fields = randomAnswers(schema, random);
        // Tilt likert answers up with the band: favourable shares differ by band.
        for (const [code, value] of Object.entries(fields)) if (likert.has(code) && /^[1-5]$/.test(String(value)) && random() < 0.15 * b) fields[code] = String(Math.min(5, Number(value) + 2));
        responses.push({ unit: unit.code, stratum: BANDS[b]!, questionnaire: key, mode: 'online', answers: answersFromForm(form, fields) });
      }
    });
  }
  return buildMicrodata({
    campaign: { id: `neyman${seed}`, province: 'Lạng Sơn', year: 2026, title: 'DDCI 2026' },
    methodology: catalog.methodology.version,
    seed: `seed-${seed}`,
    units: units.map((u) => ({ code: u.code, block: u.block, nameVi: `Đơn vị ${u.code}`, nameEn: `Unit ${u.code}` })),
    strata,
    responses,
    minStratumRespondents: 5,
    minAnswersPerUnit: catalog.methodology.minAnswersPerUnit,
    bandOrder: BANDS,
  });
}
