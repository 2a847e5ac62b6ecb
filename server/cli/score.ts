import { readFileSync } from 'node:fs';
import type { Methodology } from '../questionnaires/index.js';
import { unitLines } from '../reports/model.js';
import { scoreMicrodata, type Microdata, type ScoringResult } from '../scoring/index.js';

/**
 * `ddci score`: every figure of the results, recomputed from the published microdata with its methodology;
 * given last year's published microdata too, the change from last year.
 */
export function scoreMicrodataFile(microdataFile: string, methodologyOf: (version: string) => Methodology, previousFile?: string): { microdata: Microdata; methodology: Methodology; result: ScoringResult } {
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Microdata;
  const microdata = read(microdataFile);
  const methodology = methodologyOf(microdata.methodology);
  const previous = previousFile ? read(previousFile) : undefined;
  return { microdata, methodology, result: scoreMicrodata(microdata, methodology, previous && { microdata: previous, methodology: methodologyOf(previous.methodology) }) };
}

/** The ranking table of each block as text (the same rows as the results page). */
export function rankingTables({ microdata, result }: { microdata: Microdata; result: ScoringResult }, methodology: Methodology): string {
  const lines: string[] = [];
  for (const block of methodology.blocks) {
    const rows = unitLines({ units: microdata.units, result }, methodology, 'vi', block.code);
    if (!rows.length) continue;
    lines.push(`${block.name.vi} / ${block.name.en}`);
    lines.push('rank  ranks    DDCI    95% interval      n  unit');
    for (const row of rows) {
      const rank = row.rank === null ? (row.flag ?? '—') : String(row.rank);
      const tier = row.tierText ? ` (${row.tierText})` : '';
      lines.push(`${rank.padEnd(5)} ${row.rankRange.padEnd(8)} ${row.compositeText.padStart(6)}  ${row.interval.padEnd(15)} ${String(row.respondents).padStart(4)}  ${row.unit} ${row.name}${tier}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
