import { answerPayload, PAD_BLOCK, readAnswerPayload } from '../../server/responses/payload.js';
import { codebook, microdataCsv } from '../../server/publication/codebook.js';
import { FreeTextSink, sampledStrata, shuffledByUnit, withoutFreeText, type FreeText } from '../../server/publication/microdata-input.js';
import { loadCatalog } from '../../server/questionnaires/index.js';
import { buildMicrodata, collapseStrata, frameCountProblem, respondentCounts, scoreMicrodata, type Microdata } from '../../server/scoring/index.js';

const BANDS = ['micro', 'small', 'medium', 'large', 'unknown'];
const catalog = loadCatalog();
const countsOf = (unit: string, counts: Record<string, number>) => respondentCounts(Object.entries(counts).flatMap(([stratum, n]) => Array.from({ length: n }, () => ({ unit, stratum }))));

describe('disclosure control: small size-band cells are collapsed within their unit', () => {
  const strata = [
    { unit: 'U', stratum: 'micro', population: 500 },
    { unit: 'U', stratum: 'small', population: 200 },
    { unit: 'U', stratum: 'medium', population: 60 },
    { unit: 'U', stratum: 'large', population: 10 },
    { unit: 'U', stratum: 'unknown', population: 0 },
  ];

  test('a cell under k merges with its neighbour that has fewer answers; frame counts add up; empty bands drop', () => {
    const { strata: merged, labelOf, collapsed } = collapseStrata(strata, countsOf('U', { micro: 30, small: 12, medium: 6, large: 2 }), 5, BANDS);
    expect(merged).toEqual([
      { unit: 'U', stratum: 'micro', population: 500 },
      { unit: 'U', stratum: 'small', population: 200 },
      { unit: 'U', stratum: 'medium+large', population: 70 },
    ]);
    expect(labelOf('U', 'large')).toBe('medium+large');
    expect(labelOf('U', 'micro')).toBe('micro');
    expect(collapsed).toEqual([{ unit: 'U', strata: ['medium', 'large'], into: 'medium+large' }]);
  });

  test('a band drawn but never answered is merged too, so its frame count is still covered', () => {
    const { strata: merged } = collapseStrata(strata, countsOf('U', { micro: 30, small: 0, medium: 9, large: 7 }), 5, BANDS);
    expect(merged.map((s) => s.stratum)).toEqual(['micro', 'small+medium', 'large']);
    expect(merged[1]!.population).toBe(260);
  });

  test('it repeats until every cell reaches k, or the unit is one cell', () => {
    const few = collapseStrata(strata, countsOf('U', { micro: 2, small: 1, medium: 1, large: 1 }), 5, BANDS);
    expect(few.strata).toEqual([{ unit: 'U', stratum: 'micro+small+medium+large', population: 770 }]);
    const enough = collapseStrata(strata, countsOf('U', { micro: 5, small: 5, medium: 5, large: 5 }), 5, BANDS);
    expect(enough.collapsed).toEqual([]);
  });

  test('a stratum with answers and no (or too small a) frame count is named', () => {
    expect(frameCountProblem(strata, countsOf('U', { micro: 3, unknown: 1 }))).toEqual({ unit: 'U', stratum: 'unknown' });
    expect(frameCountProblem(strata, countsOf('U', { large: 11 }))).toEqual({ unit: 'U', stratum: 'large' });
    expect(frameCountProblem(strata, countsOf('U', { micro: 3, large: 10 }))).toBeNull();
  });
});

describe('the strata unsealing scores with', () => {
  const plans = [
    { unitCode: 'A', frameSize: 300, planned: 0, census: false, expectedAnswers: 0, expectedMargin: 0, strata: [{ sizeBand: 'micro' as const, size: 200, sample: 0, reserve: 0 }, { sizeBand: 'small' as const, size: 100, sample: 0, reserve: 0 }] },
    { unitCode: 'B', frameSize: 80, planned: 0, census: false, expectedAnswers: 0, expectedMargin: 0, strata: [{ sizeBand: 'unknown' as const, size: 80, sample: 0, reserve: 0 }] },
  ];
  const counted = (...cells: [string, string][]) => respondentCounts(cells.map(([unit, stratum]) => ({ unit, stratum })));

  test('the design’s bands with their frame counts; a unit with an answer stored before bands were recorded is one stratum', () => {
    const mixed = sampledStrata([{ code: 'A' }, { code: 'B' }], plans, [], counted(['A', 'micro'], ['A', 'all'], ['B', 'unknown']));
    expect(mixed.strata).toEqual([
      { unit: 'A', stratum: 'all', population: 300 },
      { unit: 'B', stratum: 'unknown', population: 80 },
    ]);
    expect([mixed.stratumOf('A', 'micro'), mixed.stratumOf('A', 'all'), mixed.stratumOf('B', 'unknown')]).toEqual(['all', 'all', 'unknown']);
    const banded = sampledStrata([{ code: 'A' }], plans, [], counted(['A', 'micro'], ['A', 'small']));
    expect(banded.stratumOf('A', 'small')).toBe('small');
    expect(banded.strata.map((s) => [s.stratum, s.population])).toEqual([['micro', 200], ['small', 100]]);
  });

  test('a unit the design does not know takes its frame count from the frame', () => {
    const { strata, stratumOf } = sampledStrata([{ code: 'C' }], plans, [{ unitCode: 'C', population: 40 }], counted(['C', 'small']));
    expect(strata).toEqual([{ unit: 'C', stratum: 'all', population: 40 }]);
    expect(stratumOf('C', 'small')).toBe('all');
  });
});

describe('free text stays with the committee', () => {
  test('text answers are taken out of the coded answers and shuffled per unit and question', () => {
    const sink = new FreeTextSink();
    const form = catalog.questionnaires.get('department-2026.1')!;
    const textCode = form.sections.flatMap((s) => s.questions).find((q) => q.type === 'text')!.code;
    const coded = withoutFreeText(catalog, 'department-2026.1', 'SXD', { A1: '4', [textCode]: '  Công ty chúng tôi chờ 3 tháng  ' }, sink);
    expect(coded).toEqual({ A1: '4' });
    expect(sink.shuffled()).toEqual([{ unit: 'SXD', question: textCode, texts: ['Công ty chúng tôi chờ 3 tháng'] }]);
    const many = Array.from({ length: 40 }, (_, i) => ({ unit: 'U', question: 'Z1', text: `t${i}` }));
    const [group] = shuffledByUnit(many);
    expect([...group!.texts].sort()).toEqual(many.map((m) => m.text).sort());
    expect(group!.texts).not.toEqual(many.map((m) => m.text)); // 1 chance in 40! to stay in order
  });
});

describe('the envelope’s payload', () => {
  test('unit, questionnaire, mode, stratum and answers round-trip, padded to a whole block; older envelopes still read', () => {
    const answers = { A1: '4', B2: 12, Z1: 'một ý kiến "pad":"" dài' };
    const sheet = { unit: 'SXD', questionnaire: 'department-2026.1', mode: 'online', stratum: 'medium', answers };
    expect(readAnswerPayload(answerPayload(sheet))).toEqual(sheet);
    // Neither the band, the unit, the mode nor the answers change the length of an ordinary sheet.
    const lengths = new Set(
      ['micro', 'small', 'large', 'unknown', 'all'].flatMap((stratum) =>
        [{ A1: '1' }, answers, { A1: 'DK', B2: 365, Z1: 'x'.repeat(1500) }].map((a) => answerPayload({ ...sheet, unit: `X${stratum}`, mode: 'phone', stratum, answers: a }).length),
      ),
    );
    expect([...lengths]).toEqual([PAD_BLOCK]);
    expect(answerPayload({ ...sheet, answers: { Z1: 'y'.repeat(5000) } }).length).toBe(2 * PAD_BLOCK);
    // A sheet that fills its block exactly has an empty pad; a question may even be called "pad".
    const bare = JSON.stringify({ format: 'DDCI-ANSWERS/3', pad: '', ...sheet, answers: { pad: 'x', Z1: '' } }).length;
    const full = { ...sheet, answers: { pad: 'x', Z1: 'z'.repeat(PAD_BLOCK - bare) } };
    expect(answerPayload(full).toString('utf8')).toContain('"pad":"","unit"');
    expect(readAnswerPayload(answerPayload(full))).toEqual(full);
    const older = { unit: null, questionnaire: null, mode: null };
    expect(readAnswerPayload(Buffer.from(JSON.stringify({ format: 'DDCI-ANSWERS/2', stratum: 'medium'.padEnd(16), answers })))).toEqual({ ...older, stratum: 'medium', answers });
    expect(readAnswerPayload(Buffer.from(JSON.stringify(answers)))).toEqual({ ...older, stratum: null, answers });
  });
});

describe('microdata that documents itself', () => {
  function sample(): Microdata {
    const units = [{ code: 'SXD', block: 'provincial', nameVi: 'Sở Xây dựng', nameEn: 'Department of Construction' }];
    const answers = (i: number) => ({ A1: String(1 + (i % 5)), A2: i % 4 === 0 ? 'DK' : String(1 + (i % 5)), S2: ['1', '3'] });
    return buildMicrodata({
      campaign: { id: 'c1', province: 'Lạng Sơn', year: 2026, title: 'DDCI' },
      methodology: catalog.methodology.version,
      seed: 's',
      units,
      strata: [
        { unit: 'SXD', stratum: 'small', population: 120 },
        { unit: 'SXD', stratum: 'large', population: 9 },
      ],
      responses: Array.from({ length: 14 }, (_, i) => ({ unit: 'SXD', stratum: i < 11 ? 'small' : 'large', questionnaire: 'department-2026.1', mode: 'online', answers: answers(i) })),
      minStratumRespondents: 3,
      minAnswersPerUnit: catalog.methodology.minAnswersPerUnit,
      bandOrder: BANDS,
    });
  }

  test('every record carries its stratum, weight N_h/n_h and fpc N_h', () => {
    const m = sample();
    const small = m.responses.filter((r) => r.stratum === 'small');
    expect(small).toHaveLength(11);
    for (const r of small) expect([r.weight, r.fpc]).toEqual([120 / 11, 120]);
    for (const r of m.responses.filter((x) => x.stratum === 'large')) expect([r.weight, r.fpc]).toEqual([3, 9]);
  });

  test('ddci score refuses microdata whose weights were edited', () => {
    const m = sample();
    m.responses[0]!.weight *= 2;
    expect(() => scoreMicrodata(m, catalog.methodology)).toThrow(/weight .* do not match the frame count/);
  });

  test('a unit under the minimum is withheld: counted, with none of its answers or strata, and every figure of it empty', () => {
    const m = sample();
    const few = buildMicrodata({
      ...m,
      units: [...m.units, { code: 'STC', block: 'provincial', nameVi: 'Sở Tài chính', nameEn: 'Department of Finance' }],
      strata: [...m.strata, { unit: 'STC', stratum: 'all', population: 40 }],
      responses: [...m.responses, ...m.responses.slice(0, 3).map((r) => ({ ...r, unit: 'STC', stratum: 'all' }))].map(({ weight: _w, fpc: _f, ...r }) => r),
      minStratumRespondents: 3,
      minAnswersPerUnit: catalog.methodology.minAnswersPerUnit,
      bandOrder: BANDS,
    });
    expect(few.disclosure.withheld).toEqual([{ unit: 'STC', respondents: 3 }]);
    expect([...few.responses, ...few.strata].some((r) => r.unit === 'STC')).toBe(false);
    const stc = scoreMicrodata(few, catalog.methodology).units.find((u) => u.unit === 'STC')!;
    expect(stc).toMatchObject({ respondents: 3, flag: 'below-minimum', composite: null, compositeCi: null, rank: null });
    expect(stc.indicators.every((i) => i.value === null && i.ci === null && i.bootstrapSe === null)).toBe(true);
    // The other unit's figures are those of the microdata without STC at all.
    expect(scoreMicrodata(few, catalog.methodology).units.find((u) => u.unit === 'SXD')).toEqual(scoreMicrodata(m, catalog.methodology).units.find((u) => u.unit === 'SXD'));
    // A file that claims to withhold a unit the minimum would rank, or that still holds its answers, is refused.
    expect(() => scoreMicrodata({ ...few, disclosure: { ...few.disclosure, withheld: [{ unit: 'STC', respondents: 10 }] } }, catalog.methodology)).toThrow(/withheld with 10 respondents/);
    expect(() => scoreMicrodata({ ...few, disclosure: { ...few.disclosure, withheld: [{ unit: 'SXD', respondents: 3 }] } }, catalog.methodology)).toThrow(/unit SXD: withheld/);
    // Earlier (/2) files are still read, so their publications keep reproducing.
    expect(scoreMicrodata({ ...m, format: 'DDCI-MICRODATA/2' }, catalog.methodology)).toEqual(scoreMicrodata(m, catalog.methodology));
  });

  test('the CSV holds the codebook’s columns: design, coded answers (DK kept as a code), indicators (missing empty)', () => {
    const m = sample();
    const book = codebook(m, catalog.methodology, catalog.questionnaires);
    const csv = microdataCsv(m, book, catalog.methodology);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = csv.slice(1).trimEnd().split('\r\n');
    const columns = header!.split(',');
    expect(columns.slice(0, 8)).toEqual(['unit', 'stratum', 'stratum_id', 'weight', 'fpc', 'questionnaire', 'mode', 'block']);
    expect(columns).toEqual(book.variables.map((v) => v.name));
    expect(book.variables.some((v) => v.questionType === 'text')).toBe(false);
    const at = (row: string, name: string) => row.split(',')[columns.indexOf(name)];
    const indicatorA2 = book.variables.find((v) => v.role === 'indicator' && v.question === 'A2')!.name;
    expect(at(rows[0]!, 'stratum_id')).toBe('SXD/large');
    expect(at(rows[0]!, 'block')).toBe('provincial');
    expect(rows.some((r) => at(r, 'A2') === 'DK' && at(r, indicatorA2) === '')).toBe(true);
    expect(rows.filter((r) => ['4', '5'].includes(at(r, 'A2')!)).every((r) => at(r, indicatorA2) === '1')).toBe(true);
    expect(rows.filter((r) => ['1', '2', '3'].includes(at(r, 'A2')!)).every((r) => at(r, indicatorA2) === '0')).toBe(true);
    expect(csv).toContain('"1;3"');
    expect(book.r.script).toContain('svydesign(ids = ~1, strata = ~stratum_id, weights = ~weight, fpc = ~fpc, data = d)');
    expect(book.variables.find((v) => v.name === 'A1')!.valueLabels!['5']).toEqual({ vi: 'Rất đồng ý', en: 'Strongly agree' });
  });
});
