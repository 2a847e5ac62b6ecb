import { readFileSync } from 'node:fs';
import type { Methodology } from '../questionnaires/index.js';
import { scoreMicrodata, type Microdata, type ScoringResult } from '../scoring/index.js';

/** `ddci score`: every figure of the results, recomputed from the published microdata. */
export function scoreMicrodataFile(microdataFile: string, methodology: Methodology): { microdata: Microdata; result: ScoringResult } {
  const microdata = JSON.parse(readFileSync(microdataFile, 'utf8')) as Microdata;
  const result = scoreMicrodata(microdata, methodology);
  return { microdata, result };
}

const fixed = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? '—' : value.toFixed(digits));

/** The two ranking tables as text. */
export function rankingTables({ microdata, result }: { microdata: Microdata; result: ScoringResult }, methodology: Methodology): string {
  const names = new Map(microdata.units.map((u) => [u.code, u.nameVi]));
  const lines: string[] = [];
  for (const kind of ['department', 'district'] as const) {
    const units = result.units
      .filter((u) => u.kind === kind)
      .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || (b.composite ?? -1) - (a.composite ?? -1) || a.unit.localeCompare(b.unit));
    if (!units.length) continue;
    lines.push(kind === 'department' ? 'Sở, ban, ngành / Departments' : 'Huyện, thị xã, thành phố / Districts');
    lines.push('rank  ranks    DDCI    95% interval      n  unit');
    for (const u of units) {
      const rank = u.rank === null ? (u.flag ?? '—') : String(u.rank);
      const range = u.rankRange ? `${u.rankRange[0]}–${u.rankRange[1]}` : '';
      const ci = u.compositeCi ? `${fixed(u.compositeCi[0])}–${fixed(u.compositeCi[1])}` : '';
      const tier = u.tier === null ? '' : ` (${methodology.tiers[u.tier]!.label.vi})`;
      lines.push(`${rank.padEnd(5)} ${range.padEnd(8)} ${fixed(u.composite).padStart(6)}  ${ci.padEnd(15)} ${String(u.respondents).padStart(4)}  ${u.unit} ${names.get(u.unit) ?? ''}${tier}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
