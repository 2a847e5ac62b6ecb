import { sql } from 'drizzle-orm';
import { csvCell } from '../csv.js';
import type { Db } from '../db/client.js';
import { frameDealings } from '../db/schema.js';

interface ExportRow { taxCode: string; name: string; address: string; district: string; sector: string; sizeBand: string; email: string; phone: string; unitCode: string; dealings: number; sources: string }

const HEADER = 'tax_code,name,address,district,sector,size_band,email,phone,unit_code,dealings,source';

/**
 * The merged frame as one file in the import format (docs/design.md §5): a row per dealing and source,
 * each with the merged count. Imported alone it rebuilds the same frame — rows of one pair from different
 * sources keep the larger count, which is that count — so `ddci sample verify` can re-draw a sample
 * whose frame several lists made. Written page by page in (tax code, unit) order.
 */
export async function* mergedFrameCsv(db: Db, campaignId: string, pageSize = 20_000): AsyncGenerator<string> {
  yield '\uFEFF' + HEADER + '\r\n';
  let after: { taxCode: string; unitCode: string } | null = null;
  for (;;) {
    const page: ExportRow[] = (
      (await db.execute(sql`
        select d.tax_code as "taxCode", b.name, b.address, b.district, b.sector, b.size_band as "sizeBand", b.email, b.phone,
               d.unit_code as "unitCode", d.dealings, d.sources
        from ${frameDealings} d join frame_businesses b on b.campaign_id = d.campaign_id and b.tax_code = d.tax_code
        where d.campaign_id = ${campaignId} ${after ? sql`and (d.tax_code, d.unit_code) > (${after.taxCode}, ${after.unitCode})` : sql``}
        order by d.tax_code, d.unit_code limit ${pageSize}`)) as unknown as { rows: ExportRow[] }
    ).rows;
    if (!page.length) return;
    let chunk = '';
    for (const r of page) {
      const details = [r.taxCode, r.name, r.address, r.district, r.sector, r.sizeBand === 'unknown' ? '' : r.sizeBand, r.email, r.phone, r.unitCode, r.dealings];
      for (const source of r.sources.split(',')) chunk += [...details, source].map((c) => csvCell(c)).join(',') + '\r\n';
    }
    yield chunk;
    const last = page[page.length - 1]!;
    after = { taxCode: last.taxCode, unitCode: last.unitCode };
  }
}
