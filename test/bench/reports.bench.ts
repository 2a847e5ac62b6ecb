/**
 * `npm run bench:reports`: the report model for 60 units (40 provincial, 20 communes) scored from simulated
 * answers to the shipped questionnaires — the province overview and one scorecard per unit — timed over
 * repeated runs; then the whole report (overview, 60 scorecards, appendix) rendered and printed to PDF by
 * Chromium. Targets (issue 11): overview < 300 ms, a scorecard < 50 ms, the whole PDF < 10 s.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import express from 'express';
import { fromRoot } from '../../server/paths.js';
import { loadConfig } from '../../server/config.js';
import { configureViews } from '../../server/http/views.js';
import { reportDocument, reportPdf } from '../../server/reports/document.js';
import { answersFromForm } from '../../server/responses/answers.js';
import { randomAnswers, seededRandom, type AnswerSchema } from '../../server/responses/simulate.js';
import { answerSchema, shippedCatalog } from '../../server/questionnaires/index.js';
import { overview, scorecard } from '../../server/reports/model.js';
import { buildMicrodata, scoreMicrodata } from '../../server/scoring/index.js';

const catalog = shippedCatalog();
const methodology = { ...catalog.methodology, bootstrap: { ...catalog.methodology.bootstrap, replicates: 200 } };
const random = seededRandom(60);
/** 60 by default; BENCH_UNITS for the suite's small run (two thirds provincial, the rest communes). */
const UNITS = Number(process.env.BENCH_UNITS ?? 60);
const units = Array.from({ length: UNITS }, (_, i) => ({ code: `U${String(i).padStart(2, '0')}`, block: i < Math.round((UNITS * 2) / 3) ? 'provincial' : 'commune', nameVi: `Đơn vị ${i}`, nameEn: `Unit ${i}` }));
const responses = units.flatMap((u) => {
  const key = methodology.blocks.find((b) => b.code === u.block)!.questionnaire;
  const form = catalog.questionnaires.get(key)!;
  const schema = answerSchema(form) as unknown as AnswerSchema;
  return Array.from({ length: 30 }, () => ({ unit: u.code, stratum: 'all', questionnaire: key, mode: 'online', answers: answersFromForm(form, randomAnswers(schema, random)) }));
});
const microdata = buildMicrodata({ campaign: { id: 'bench', province: 'p', year: 2026, title: 't' }, methodology: methodology.version, seed: 's', units, strata: units.map((u) => ({ unit: u.code, stratum: 'all', population: 300 })), responses, minStratumRespondents: 5, minAnswersPerUnit: methodology.minAnswersPerUnit, bandOrder: [] });
const results = { units, result: scoreMicrodata(microdata, methodology) };

const time = (runs: number, work: () => void) => {
  work();
  const start = performance.now();
  for (let i = 0; i < runs; i++) work();
  return (performance.now() - start) / runs;
};
const perOverview = time(50, () => overview(results, methodology, 'vi'));
const perScorecard = time(20, () => units.forEach((u) => scorecard(results, methodology, 'vi', u.code))) / units.length;
console.log(`report model, ${UNITS} units: overview ${perOverview.toFixed(2)} ms (target < 300 ms), a scorecard ${perScorecard.toFixed(2)} ms (target < 50 ms)`);

// The whole report to PDF, as the download button does it (the app's views, Chromium through playwright-core).
const app = express();
configureViews(app);
const campaign = { id: 'bench', province: 'Lạng Sơn', year: 2026, title: 'DDCI 2026', reportIssuer: null, reportTitle: null };
const record = { publishedAt: new Date().toISOString() } as Parameters<typeof reportDocument>[1]['record'];
const facts = { units: units.map((u) => ({ code: u.code, frame: 300, sample: 40, invited: 40, answered: 30 })) };
mkdirSync(fromRoot('test-artifacts', 'reports'), { recursive: true });
const started = performance.now();
const document = reportDocument(campaign, { results: results as Parameters<typeof reportDocument>[1]['results'], record }, methodology, 'vi', facts);
const pdf = await reportPdf(app, document, 'vi', loadConfig().chromiumPath);
writeFileSync(fromRoot('test-artifacts', 'reports', `bench-${UNITS}-units.pdf`), pdf);
const seconds = (performance.now() - started) / 1000;
const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
console.log(`whole report PDF, ${UNITS} units: ${seconds.toFixed(1)} s, ${pages} pages, ${(pdf.length / 1024).toFixed(0)} KiB (target < 10 s)`);
