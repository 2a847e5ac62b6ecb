import { questionnaireKey } from './catalog.js';
import type { Methodology, Questionnaire, Text, TierScheme } from './types.js';
import { inLang } from './workbook-columns.js';
import { knownColumn, type Origin, type Reader, type SheetRow } from './workbook-sheets.js';

/** The `pillars`, `blocks`, `tiers` and `indicators` sheets, with the settings row, as a methodology (docs/designer.md §3). */

export function readMethodology(r: Reader, settings: SheetRow, questionnaire: Questionnaire | undefined): Methodology | undefined {
  const s = (column: string) => settings.cells.get(column);
  const at = (column: string): Origin => ({ sheet: 'settings', row: settings.row, column });
  const num = (column: string) => r.number(at(column), s(column));
  const sheet = (name: string) => {
    const found = r.sheets.get(name);
    if (!found) r.report({ sheet: name }, 'workbook.noSheet', { sheet: name });
    return found ?? { name, columns: [], rows: [] };
  };
  const pillarsSheet = sheet('pillars');
  const blocksSheet = sheet('blocks');
  const tiersSheet = sheet('tiers');
  const indicatorsSheet = sheet('indicators');
  r.refuseUnknown(pillarsSheet, knownColumn(['name', 'label']));
  r.refuseUnknown(blocksSheet, knownColumn(['name', 'label', 'questionnaire', 'tiers', 'weight']));
  r.refuseUnknown(tiersSheet, knownColumn(['block', 'min', 'up_to', 'label']));
  r.refuseUnknown(indicatorsSheet, knownColumn(['name', 'question', 'pillar', 'measure', 'favourable', 'direction', 'lower', 'upper', 'comparable_reason']));
  for (const [key, column] of [['/version', 'methodology_version'], ['/minAnswersPerUnit', 'min_answers_per_unit'], ['/pillarMinIndicatorShare', 'pillar_min_indicator_share'], ['/minStratumRespondents', 'min_stratum_respondents'], ['/normalisation', 'bounds'], ['/normalisation/bounds', 'bounds'], ['/normalisation/pooledYears', 'pooled_years'], ['/normalisation/scale', 'scale_min'], ['/composite', 'composite_scale'], ['/bootstrap', 'bootstrap_replicates'], ['/bootstrap/replicates', 'bootstrap_replicates'], ['/bootstrap/confidence', 'bootstrap_confidence'], ['/shareInterval', 'share_interval']] as const) {
    r.origins.set(key, at(column));
  }

  const pillars = pillarsSheet.rows.map((row, p) => {
    r.origins.set(`/pillars/${p}`, { sheet: 'pillars', row: row.row, column: 'name' });
    const code = row.cells.get('name');
    if (!code) r.report({ sheet: 'pillars', row: row.row, column: 'name' }, 'workbook.missing');
    else if (!/^P[0-9]{1,2}$/.test(code)) r.report({ sheet: 'pillars', row: row.row, column: 'name' }, 'workbook.pillarCode', { name: code });
    return { code: code ?? '', name: r.text('pillars', row, 'label', true)! };
  });
  const weightColumns = blocksSheet.columns.filter((c) => c.startsWith('weight::'));
  for (const column of weightColumns) {
    const code = column.slice('weight::'.length);
    if (!pillars.some((p) => p.code === code)) r.report({ sheet: 'blocks', row: 1, column }, 'workbook.weightNoPillar', { code });
  }
  const blocks = blocksSheet.rows.map((row, b) => {
    const where = (column: string): Origin => ({ sheet: 'blocks', row: row.row, column });
    const code = row.cells.get('name') ?? '';
    if (!code) r.report(where('name'), 'workbook.missing');
    else if (!/^[a-z][a-z0-9-]{1,31}$/.test(code)) r.report(where('name'), 'workbook.blockCode', { name: code });
    r.origins.set(`/blocks/${b}`, where('name'));
    r.origins.set(`/blocks/${b}/questionnaire`, where('questionnaire'));
    r.origins.set(`/blocks/${b}/weights`, where(weightColumns[0] ?? 'weight::'));
    const named = row.cells.get('questionnaire');
    const questionnaireOf = named ?? (questionnaire ? questionnaireKey(questionnaire) : '');
    if (!questionnaireOf) r.report(where('questionnaire'), 'workbook.missing');
    const weights: Record<string, number> = {};
    for (const column of weightColumns) {
      const value = r.number(where(column), row.cells.get(column));
      if (value !== undefined) weights[column.slice('weight::'.length)] = value;
      if (value !== undefined) r.origins.set(`/blocks/${b}/weights/${column.slice('weight::'.length)}`, where(column));
    }
    const scheme = row.cells.get('tiers') ?? '';
    if (scheme !== 'fixed' && scheme !== 'relative') r.report(where('tiers'), 'workbook.tierScheme', { value: scheme });
    const bands = tiersSheet.rows.filter((t) => t.cells.get('block') === code).map((t, k) => {
      r.origins.set(`/blocks/${b}/tiers/bands/${k}`, { sheet: 'tiers', row: t.row, column: scheme === 'relative' ? 'up_to' : 'min' });
      r.origins.set(`/blocks/${b}/tiers/bands/${k}/${scheme === 'relative' ? 'upTo' : 'min'}`, { sheet: 'tiers', row: t.row, column: scheme === 'relative' ? 'up_to' : 'min' });
      const label = r.text('tiers', t, 'label', true)!;
      const column = scheme === 'relative' ? 'up_to' : 'min';
      const other = scheme === 'relative' ? 'min' : 'up_to';
      if (t.cells.has(other)) r.report({ sheet: 'tiers', row: t.row, column: other }, 'workbook.tierColumn', { scheme, column });
      const value = r.number({ sheet: 'tiers', row: t.row, column }, t.cells.get(column));
      if (value === undefined) r.report({ sheet: 'tiers', row: t.row, column }, 'workbook.missing');
      return scheme === 'relative' ? { upTo: value ?? 0, label } : { min: value ?? 0, label };
    });
    r.origins.set(`/blocks/${b}/tiers`, where('tiers'));
    if (bands.length < 2) r.report(where('tiers'), 'workbook.tierBands', { block: code });
    return { code, name: r.text('blocks', row, 'label', true)!, questionnaire: questionnaireOf, weights, tiers: { scheme, bands } as TierScheme };
  });
  for (const t of tiersSheet.rows) {
    if (!blocks.some((b) => b.code === t.cells.get('block'))) r.report({ sheet: 'tiers', row: t.row, column: 'block' }, 'workbook.noBlock', { code: t.cells.get('block') ?? '' });
  }
  const fixedBounds: Record<string, [number, number]> = {};
  const indicators = indicatorsSheet.rows.map((row, i) => {
    const where = (column: string): Origin => ({ sheet: 'indicators', row: row.row, column });
    for (const field of ['code', 'question', 'pillar', 'measure', 'favourable', 'direction']) r.origins.set(`/indicators/${i}/${field}`, where(field === 'code' ? 'name' : field));
    r.origins.set(`/indicators/${i}`, where('name'));
    const c = (column: string) => row.cells.get(column);
    for (const column of ['name', 'question', 'pillar', 'measure', 'direction']) if (!c(column)) r.report(where(column), 'workbook.missing');
    if (c('name') && !/^I-[A-Z][0-9]{1,2}(\.[0-9]{1,2})?$/.test(c('name')!)) r.report(where('name'), 'workbook.indicatorCode', { name: c('name')! });
    if (c('measure') && !['share', 'mean'].includes(c('measure')!)) r.report(where('measure'), 'workbook.oneOf', { value: c('measure')!, allowed: 'share, mean' });
    if (c('direction') && !['higher', 'lower'].includes(c('direction')!)) r.report(where('direction'), 'workbook.oneOf', { value: c('direction')!, allowed: 'higher, lower' });
    const lower = r.number(where('lower'), c('lower'));
    const upper = r.number(where('upper'), c('upper'));
    if ((lower === undefined) !== (upper === undefined)) r.report(where(lower === undefined ? 'lower' : 'upper'), 'workbook.boundsPair');
    if (lower !== undefined && upper !== undefined) {
      fixedBounds[c('name') ?? ''] = [lower, upper];
      r.origins.set(`/normalisation/fixedBounds/${c('name')}`, where('lower'));
    }
    const reason = r.text('indicators', row, 'comparable_reason', false);
    return {
      code: c('name') ?? '',
      question: c('question') ?? '',
      pillar: c('pillar') ?? '',
      measure: c('measure') as 'share' | 'mean',
      ...(c('favourable') ? { favourable: c('favourable')!.split(/[\s,;]+/).filter(Boolean) } : {}),
      direction: c('direction') as 'higher' | 'lower',
      ...(reason ? { comparable: { reason } } : {}),
    };
  });
  const description = { vi: s(inLang('composite_description', 'vi')), en: s(inLang('composite_description', 'en')) };
  const optional = <T>(value: T | undefined, key: string) => (value === undefined ? {} : { [key]: value });
  const version = s('methodology_version') ?? '';
  if (!version) r.report(at('methodology_version'), 'workbook.missing');
  return {
    version,
    minAnswersPerUnit: num('min_answers_per_unit') as number,
    ...optional(num('pillar_min_indicator_share'), 'pillarMinIndicatorShare'),
    ...optional(num('min_stratum_respondents'), 'minStratumRespondents'),
    normalisation: {
      method: (s('normalisation') ?? 'min-max') as 'min-max',
      scale: [num('scale_min') ?? 1, num('scale_max') ?? 10],
      allEqualScore: num('all_equal_score') as number,
      bounds: s('bounds') as Methodology['normalisation']['bounds'],
      ...(Object.keys(fixedBounds).length ? { fixedBounds } : {}),
      ...optional(num('pooled_years'), 'pooledYears'),
    },
    composite: { scale: num('composite_scale') as number, ...(description.vi || description.en ? { description: description as Text } : {}) },
    bootstrap: { replicates: num('bootstrap_replicates') as number, confidence: num('bootstrap_confidence') as number },
    ...optional(s('share_interval'), 'shareInterval'),
    pillars,
    blocks,
    indicators,
  } as Methodology;
}

