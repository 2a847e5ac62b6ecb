import type { Methodology, Question, Questionnaire, Text } from '../questionnaires/index.js';
import { DONT_KNOW, type Indicator } from '../questionnaires/index.js';
import { csvFile } from '../csv.js';
import { indicatorValue, type Microdata } from '../scoring/index.js';
import type { ResultsDocument } from './results.js';

/**
 * The microdata as a flat table (CSV) and its codebook (`DDCI-CODEBOOK/1`), pure. One row per response:
 * its unit, stratum (`stratum_id` is unique across units, as svydesign needs), weight and fpc, every coded
 * answer, and every indicator variable the scores are built from (0/1 or the number; empty = missing).
 * The codebook names each column, its question text in Vietnamese and English, its type, value labels and
 * missing codes, and gives the R `svydesign(...)` call that reproduces the published estimates and SEs.
 */
export const CODEBOOK_FORMAT = 'DDCI-CODEBOOK/1';

export interface CodebookVariable {
  name: string;
  label: Text;
  type: 'string' | 'number' | 'integer';
  /** What the column holds: the design, a coded answer, or an indicator derived from one. */
  role: 'design' | 'answer' | 'indicator';
  question?: string;
  questionType?: Question['type'];
  questionnaires?: string[];
  indicator?: string;
  pillar?: string;
  valueLabels?: Record<string, Text>;
  missing?: Record<string, Text>;
  derivation?: Text;
}

export interface Codebook {
  format: typeof CODEBOOK_FORMAT;
  microdata: { format: string; campaign: Microdata['campaign']; methodology: string; responses: number };
  file: string;
  variables: CodebookVariable[];
  disclosure: Microdata['disclosure'];
  rules: Text[];
  r: { packages: string[]; script: string; design: string; estimate: string };
}

/** An R-friendly column name for an indicator code: I-B2.1 → I_B2_1. */
export const indicatorColumn = (code: string) => code.replace(/[^A-Za-z0-9]/g, '_');

/** The coded questions of the microdata's questionnaires (free text never leaves the sealed results). */
function codedQuestions(microdata: Microdata, questionnaires: ReadonlyMap<string, Questionnaire>) {
  const used = [...new Set(microdata.responses.map((r) => r.questionnaire))].sort();
  const byCode = new Map<string, { question: Question; questionnaires: string[]; scales: Questionnaire['scales'] }>();
  for (const key of used) {
    const form = questionnaires.get(key);
    if (!form) throw new Error(`questionnaire ${key} is not installed`);
    for (const question of form.sections.flatMap((s) => s.questions)) {
      if (question.type === 'text') continue;
      const known = byCode.get(question.code);
      if (known) known.questionnaires.push(key);
      else byCode.set(question.code, { question, questionnaires: [key], scales: form.scales });
    }
  }
  return [...byCode.values()];
}

const text = (vi: string, en: string): Text => ({ vi, en });

function valueLabels(question: Question, scales: Questionnaire['scales']): Record<string, Text> | undefined {
  if (question.type === 'likert5') return scales.likert5;
  if (question.type === 'yesno') return scales.yesno;
  if (question.options) return Object.fromEntries(question.options.map((o) => [o.code, o.label]));
  return undefined;
}

function derivation(indicator: Indicator): Text {
  if (indicator.measure === 'mean') return text(`Giá trị của câu ${indicator.question}; “${DONT_KNOW}” hoặc không trả lời → thiếu.`, `The value of ${indicator.question}; “${DONT_KNOW}” or no answer → missing.`);
  const codes = (indicator.favourable ?? []).join(', ');
  return text(`1 nếu câu ${indicator.question} là một trong {${codes}}, 0 nếu là câu trả lời khác; “${DONT_KNOW}” hoặc không trả lời → thiếu.`, `1 when ${indicator.question} is one of {${codes}}, 0 for any other answer; “${DONT_KNOW}” or no answer → missing.`);
}

export function codebook(microdata: Microdata, methodology: Methodology, questionnaires: ReadonlyMap<string, Questionnaire>): Codebook {
  const file = `microdata-${microdata.campaign.id}.csv`;
  const design: CodebookVariable[] = [
    { name: 'unit', role: 'design', type: 'string', label: text('Mã đơn vị được đánh giá', 'Code of the unit rated'), valueLabels: Object.fromEntries(microdata.units.map((u) => [u.code, text(u.nameVi, u.nameEn)])) },
    { name: 'stratum', role: 'design', type: 'string', label: text('Tầng trong đơn vị: quy mô doanh nghiệp (sau khi gộp tầng nhỏ)', 'Stratum within the unit: business size band (after small cells were merged)') },
    { name: 'stratum_id', role: 'design', type: 'string', label: text('Tầng của thiết kế: đơn vị/tầng', 'Design stratum: unit/stratum') },
    { name: 'weight', role: 'design', type: 'number', label: text('Trọng số thiết kế N_h / n_h', 'Design weight N_h / n_h') },
    { name: 'fpc', role: 'design', type: 'integer', label: text('Số doanh nghiệp của tầng trong khung mẫu (N_h)', 'Businesses of the stratum in the frame (N_h)') },
    { name: 'questionnaire', role: 'design', type: 'string', label: text('Phiếu hỏi và phiên bản', 'Questionnaire and version') },
    { name: 'mode', role: 'design', type: 'string', label: text('Hình thức trả lời', 'Mode of answering'), valueLabels: { online: text('Trực tuyến', 'Online'), phone: text('Điện thoại', 'Phone'), paper: text('Phiếu giấy', 'Paper'), in_person: text('Trực tiếp', 'In person') } },
    { name: 'block', role: 'design', type: 'string', label: text('Khối của đơn vị: đơn vị được đánh giá theo các chỉ tiêu của khối mình', 'Block of the unit: a unit is rated on its own block’s indicators'), valueLabels: Object.fromEntries(methodology.blocks.map((b) => [b.code, b.name])) },
  ];
  const answers: CodebookVariable[] = codedQuestions(microdata, questionnaires).map(({ question, questionnaires: forms, scales }) => ({
    name: question.code,
    role: 'answer',
    type: question.type === 'number' ? 'number' : 'string',
    label: question.text,
    question: question.code,
    questionType: question.type,
    questionnaires: forms,
    ...(valueLabels(question, scales) ? { valueLabels: valueLabels(question, scales)! } : {}),
    missing: { '': text('Không trả lời', 'No answer'), ...(question.dontKnow ? { [DONT_KNOW]: scales.dontKnow } : {}) },
    ...(question.type === 'multiple' ? { derivation: text('Các mã đã chọn, cách nhau bởi “;”.', 'The codes chosen, separated by “;”.') } : {}),
  }));
  const indicators: CodebookVariable[] = methodology.indicators.map((indicator) => ({
    name: indicatorColumn(indicator.code),
    role: 'indicator',
    type: 'number',
    // Labelled as the indicator it is, not as its question: “Chỉ tiêu I-A1: <the question's wording>”.
    label: ((q) => text(`Chỉ tiêu ${indicator.code}: ${q?.vi ?? indicator.question}`, `Indicator ${indicator.code}: ${q?.en ?? indicator.question}`))(answers.find((a) => a.question === indicator.question)?.label),
    indicator: indicator.code,
    pillar: indicator.pillar,
    question: indicator.question,
    missing: { '': text('Thiếu: không biết / không áp dụng / không trả lời', 'Missing: don’t know / not applicable / no answer') },
    derivation: derivation(indicator),
  }));
  const read = `d <- read.csv("${file}", na.strings = "", fileEncoding = "UTF-8-BOM", colClasses = c(unit = "character", stratum = "character", stratum_id = "character", block = "character"))`;
  const designCall = 'des <- svydesign(ids = ~1, strata = ~stratum_id, weights = ~weight, fpc = ~fpc, data = d)';
  const estimate = blockEstimates(microdata, methodology);
  return {
    format: CODEBOOK_FORMAT,
    microdata: { format: microdata.format, campaign: microdata.campaign, methodology: microdata.methodology, responses: microdata.responses.length },
    file,
    variables: [...design, ...answers, ...indicators],
    disclosure: microdata.disclosure,
    rules: [
      text('Thiết kế: mẫu ngẫu nhiên đơn giản phân tầng, không hoàn lại; mỗi đơn vị × quy mô doanh nghiệp là một tầng.', 'Design: stratified simple random sampling without replacement; each unit × business size band is a stratum.'),
      text('Trọng số = số doanh nghiệp của tầng trong khung mẫu ÷ số phiếu trả lời của tầng.', 'Weight = businesses of the stratum in the frame ÷ responses of the stratum.'),
      text(`“${DONT_KNOW}” (không biết / không áp dụng) và câu bỏ trống là giá trị thiếu, không bao giờ là 0; người trả lời vẫn ở trong thiết kế (ước lượng theo miền).`, `“${DONT_KNOW}” (don’t know / not applicable) and unanswered questions are missing, never zero; the respondent stays in the design (domain estimation).`),
      text('Tầng chỉ có một phiếu không đóng góp phương sai (`survey.lonely.psu = "certainty"`).', 'A stratum with a single response adds no variance (`survey.lonely.psu = "certainty"`).'),
      text(`Tầng quy mô có ít hơn ${microdata.disclosure.minStratumRespondents} phiếu được gộp với tầng liền kề của cùng đơn vị, cộng số doanh nghiệp trong khung mẫu.`, `A size-band stratum with fewer than ${microdata.disclosure.minStratumRespondents} responses is merged with its neighbouring band of the same unit, adding their frame counts.`),
      text('Câu trả lời tự do không có trong dữ liệu công bố: chỉ Hội đồng đọc.', 'Free-text answers are not in the published data: only the committee reads them.'),
      text('Đơn vị có ít phiếu hơn mức tối thiểu không có câu trả lời nào trong dữ liệu công bố, chỉ có số phiếu (`disclosure.withheld`): không công bố số liệu của đơn vị đó.', 'Units with fewer answers than the minimum have none of their answers in the published data, only their count (`disclosure.withheld`): none of their figures is published.'),
      text('Mỗi đơn vị chỉ được đánh giá theo các chỉ tiêu của khối mình (cột block); chỉ tiêu của khối khác để trống vì không được hỏi.', 'Each unit is rated on its own block’s indicators only (column block); other blocks’ indicators are empty because they were not asked.'),
    ],
    r: {
      packages: ['survey'],
      design: designCall,
      estimate,
      script: ['library(survey)', 'options(survey.lonely.psu = "certainty")', read, designCall, estimate].join('\n'),
    },
  };
}

/**
 * The R lines that estimate every indicator of every unit the results publish one for: per block, its own
 * indicators (those of the pillars it weights), over the units that have an answer to it — another block's
 * indicators were never asked of a unit's respondents, so R would give them 0 with SE 0 where the results
 * have no figure.
 */
function blockEstimates(microdata: Microdata, methodology: Methodology): string {
  const present = new Set(microdata.units.map((u) => u.block));
  const lists = methodology.blocks
    .filter((b) => present.has(b.code))
    .map((b) => {
      const columns = methodology.indicators.filter((i) => (b.weights[i.pillar] ?? 0) > 0).map((i) => `"${indicatorColumn(i.code)}"`);
      return `  ${b.code} = c(${columns.join(', ')})`;
    });
  return [
    '# Each block on its own indicators; a unit none of whose respondents answered an indicator has no estimate of it (as in the results).',
    `blocks <- list(\n${lists.join(',\n')}\n)`,
    'estimates <- do.call(rbind, lapply(names(blocks), function(b) do.call(rbind, lapply(blocks[[b]], function(v) {',
    '  answered <- unique(d$unit[d$block == b & !is.na(d[[v]])])',
    '  if (!length(answered)) return(NULL)',
    '  r <- svyby(as.formula(paste0("~", v)), ~unit, subset(des, unit %in% answered), svymean, na.rm = TRUE)',
    '  data.frame(block = b, indicator = v, unit = r$unit, estimate = coef(r), se = SE(r))',
    '}))))',
    'print(estimates, digits = 15, row.names = FALSE)',
  ].join('\n');
}

export type MicrodataCell = string | number | null;

/**
 * The microdata analysts download as tables: units under the minimum number of answers left out (no figure
 * of theirs is published, and a handful of records would say too much). Their absence changes no other
 * unit's estimate: such units neither stretch the normalisation bounds nor share a stratum.
 */
export function analysableMicrodata(microdata: Microdata, results: Pick<ResultsDocument, 'result'>): Microdata {
  const withheld = new Set(results.result.units.filter((u) => u.flag === 'below-minimum').map((u) => u.unit));
  if (!withheld.size) return microdata;
  return {
    ...microdata,
    units: microdata.units.filter((u) => !withheld.has(u.code)),
    strata: microdata.strata.filter((s) => !withheld.has(s.unit)),
    responses: microdata.responses.filter((r) => !withheld.has(r.unit)),
    disclosure: { ...microdata.disclosure, collapsed: microdata.disclosure.collapsed.filter((c) => !withheld.has(c.unit)) },
  };
}

/** The microdata as rows of the codebook's columns, in its order: coded answers as given (multiple: "1;3"). */
export function microdataRows(microdata: Microdata, book: Codebook, methodology: Methodology): MicrodataCell[][] {
  const indicators = new Map(methodology.indicators.map((i) => [i.code, i]));
  const blockOf = new Map(microdata.units.map((u) => [u.code, u.block]));
  return microdata.responses.map((r) =>
    book.variables.map((c): MicrodataCell => {
      switch (c.role) {
        case 'design':
          if (c.name === 'stratum_id') return `${r.unit}/${r.stratum}`;
          if (c.name === 'block') return blockOf.get(r.unit) ?? null;
          return (r as unknown as Record<string, string | number>)[c.name]!;
        case 'answer': {
          const a = r.answers[c.name];
          if (a === undefined || a === null || a === '') return null;
          return Array.isArray(a) ? a.join(';') : (a as string | number);
        }
        default: {
          const indicator = indicators.get(c.indicator!)!;
          const y = indicatorValue(indicator, r.answers[indicator.question]);
          return Number.isNaN(y) ? null : y;
        }
      }
    }),
  );
}

/** The microdata as CSV (UTF-8 with BOM, CRLF), the columns the codebook describes, in its order. */
export const microdataCsv = (microdata: Microdata, book: Codebook, methodology: Methodology): string =>
  csvFile([book.variables.map((c) => c.name), ...microdataRows(microdata, book, methodology)]);
