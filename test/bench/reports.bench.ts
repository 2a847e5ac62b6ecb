/**
 * `npm run bench:reports`: the report model for 60 units (40 provincial, 20 communes) scored from simulated
 * answers to the shipped questionnaires — the province overview and one scorecard per unit — timed over
 * repeated runs; then the whole report (overview, 60 scorecards, appendix) rendered and printed to PDF by
 * Chromium; then one unit's profile to PDF, the first with the printing browser's launch and the next as the app
 * sends them while it runs. Targets (issues 11 and 23): overview < 300 ms, a scorecard < 50 ms, the whole PDF
 * < 10 s, a profile PDF < 1 s.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import express from 'express';
import { fromRoot } from '../../server/paths.js';
import { loadConfig } from '../../server/config.js';
import { configureViews } from '../../server/http/views.js';
import { PDFDocument } from 'pdf-lib';
import { printableHtml, printPdf, questionWording, reportDocument, reportPdf } from '../../server/reports/document.js';
import { closePrinter } from '../../server/reports/browser.js';
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
const pages = (await PDFDocument.load(pdf)).getPageCount();
console.log(`whole report PDF, ${UNITS} units: ${seconds.toFixed(1)} s, ${pages} pages, ${(pdf.length / 1024).toFixed(0)} KiB (target < 10 s)`);

// One unit's profile, as /campaigns/ID/results/units/CODE/profile.pdf prints it.
await closePrinter();
const wording = questionWording(catalog, methodology.version);
const profileTimes: number[] = [];
for (const unit of units.slice(0, 6)) {
  const start = performance.now();
  const card = { ...scorecard(results, methodology, 'vi', unit.code, wording)!, history: null };
  const profile = await printPdf(await printableHtml(app, 'templates/scorecard', { campaign, card, level: 95, title: card.name }, 'vi'), loadConfig().chromiumPath);
  profileTimes.push(performance.now() - start);
  if (unit === units[0]) writeFileSync(fromRoot('test-artifacts', 'reports', `bench-profile.pdf`), profile);
}
await closePrinter();
const [first, ...next] = profileTimes;
console.log(`a unit's profile PDF: ${(first! / 1000).toFixed(2)} s with the browser's launch, then ${(Math.max(...next) / 1000).toFixed(2)} s at most (median ${(next.sort((a, b) => a - b)[Math.floor(next.length / 2)]! / 1000).toFixed(2)} s) (target < 1 s)`);
