import { and, asc, eq, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { frameBusinesses, frameDealings, frameImportErrors, frameImports, frameStaging, sampleEntries, samplingPlans } from '../db/schema.js';
import type { RowError } from '../result.js';
import type { DrawnEntry } from './draw.js';
import type { FrameRow, SizeBand } from './frame-rows.js';

export type ImportRow = typeof frameImports.$inferSelect;
export type PlanRow = typeof samplingPlans.$inferSelect;

/** Starts an import; false when another import of the campaign is running (the partial unique index). */
export async function insertImport(db: Db, row: typeof frameImports.$inferInsert): Promise<boolean> {
  const inserted = await db.insert(frameImports).values(row).onConflictDoNothing().returning({ id: frameImports.id });
  return inserted.length === 1;
}

export async function findImport(db: Db, campaignId: string, importId: string): Promise<ImportRow | undefined> {
  const [row] = await db
    .select()
    .from(frameImports)
    .where(and(eq(frameImports.id, importId), eq(frameImports.campaignId, campaignId)));
  return row;
}

/** Whose imports: the administrator's frame files, one unit contact's lists, or any (for "one import at a time"). */
export type ImportScope = 'any' | 'frame' | { contact: string };

export async function latestImport(db: Db, campaignId: string, scope: ImportScope = 'frame'): Promise<ImportRow | undefined> {
  const [row] = await db
    .select()
    .from(frameImports)
    .where(
      and(
        eq(frameImports.campaignId, campaignId),
        scope === 'frame' ? isNull(frameImports.unitCodes) : scope === 'any' ? undefined : and(isNotNull(frameImports.unitCodes), eq(frameImports.createdBy, scope.contact)),
      ),
    )
    .orderBy(sql`${frameImports.createdAt} desc`)
    .limit(1);
  return row;
}

export async function updateImport(db: Db, importId: string, values: Partial<typeof frameImports.$inferInsert>): Promise<void> {
  await db.update(frameImports).set({ ...values, heartbeatAt: new Date() }).where(eq(frameImports.id, importId));
}

/** Running imports whose heartbeat stopped (their process died) can never finish: mark them failed. */
export async function failInterruptedImports(db: Db, silentForMs = 120_000): Promise<number> {
  const rows = await db
    .update(frameImports)
    .set({ status: 'failed', failure: 'interrupted', finishedAt: new Date() })
    .where(and(eq(frameImports.status, 'running'), sql`${frameImports.heartbeatAt} < ${new Date(Date.now() - silentForMs)}`))
    .returning({ id: frameImports.id });
  return rows.length;
}

/** One statement per batch: the columns travel as arrays and are unnested by the database. */
export async function stageRows(db: Db, importId: string, rows: FrameRow[]): Promise<void> {
  if (!rows.length) return;
  const col = <K extends keyof FrameRow>(k: K) => sql.param(rows.map((r) => r[k]));
  await db.execute(sql`
    insert into ${frameStaging} (import_id, row, tax_code, name, address, district, sector, size_band, email, phone, unit_code, dealings, source)
    select ${importId}, * from unnest(${col('row')}::int[], ${col('taxCode')}::text[], ${col('name')}::text[], ${col('address')}::text[],
      ${col('district')}::text[], ${col('sector')}::text[], ${col('sizeBand')}::text[]::size_band[], ${col('email')}::text[], ${col('phone')}::text[],
      ${col('unitCode')}::text[], ${col('dealings')}::int[], ${col('source')}::text[]::dealing_source[])`);
}

export async function recordRowErrors(db: Db, importId: string, errors: RowError[]): Promise<void> {
  if (!errors.length) return;
  await db.execute(sql`
    insert into ${frameImportErrors} (import_id, row, "column", reason_key, reason_params)
    select ${importId}, * from unnest(${sql.param(errors.map((e) => e.row))}::int[], ${sql.param(errors.map((e) => e.column))}::text[],
      ${sql.param(errors.map((e) => e.reason.key))}::text[], ${sql.param(errors.map((e) => JSON.stringify(e.reason.params ?? {})))}::text[]::jsonb[])`);
}

/** Errors in (row, column) order, a page at a time after the given one. */
export async function rowErrors(db: Db, importId: string, limit: number, after?: { row: number; column: string }) {
  return db
    .select()
    .from(frameImportErrors)
    .where(
      and(
        eq(frameImportErrors.importId, importId),
        after ? sql`(${frameImportErrors.row}, ${frameImportErrors.column}) > (${after.row}, ${after.column})` : undefined,
      ),
    )
    .orderBy(asc(frameImportErrors.row), asc(frameImportErrors.column))
    .limit(limit);
}

export interface MergeReport {
  rows: number;
  businesses: number;
  dealings: number;
  /** business–unit pairs that appeared on more than one row, and the extra rows. */
  mergedDealings: number;
  duplicateRows: number;
  /** businesses whose details differ between their rows (the administrator's last row wins). */
  conflicting: number;
}

/**
 * The rows of the lists that make the frame now (docs/design.md §5): the administrator's latest imported
 * file, and for each unit the latest imported list its unit contacts gave (only that unit's rows). `pri`
 * and `at` order them for "whose details win": the administrator's file first, then the newest list.
 */
const currentRows = (campaignId: string) => sql`
  current_lists as (
    (select id, null::text as unit_code, 0 as pri, created_at from ${frameImports}
     where campaign_id = ${campaignId} and status = 'imported' and unit_codes is null order by created_at desc limit 1)
    union all
    (select distinct on (u) id, u, 1, created_at from ${frameImports}, unnest(unit_codes) as u
     where campaign_id = ${campaignId} and status = 'imported' order by u, created_at desc)),
  rows as (
    select s.*, l.pri, l.created_at as at from ${frameStaging} s
    join current_lists l on s.import_id = l.id and (l.unit_code is null or s.unit_code = l.unit_code))`;

/**
 * Rebuilds the campaign's frame from its current lists, duplicates merged: one business per tax code
 * (details from the administrator's last row, else the newest list's), one dealing per business and unit.
 * Within one list the rows of a pair add up; across lists and sources, which describe the same dealings,
 * the largest count is kept, and the dealing records every source that named it.
 *
 * One statement and one sort: the rows are ordered once by business and "whose details win", and both
 * tables are filled from that pass (a dealing takes its business's size band from the same window).
 */
export async function mergeStaged(tx: Db, campaignId: string): Promise<MergeReport> {
  await tx.execute(sql`delete from ${frameDealings} where campaign_id = ${campaignId}`);
  await tx.execute(sql`delete from ${frameBusinesses} where campaign_id = ${campaignId}`);
  const result = (await tx.execute(sql`
    with ${currentRows(campaignId)},
    ranked as materialized (
      select tax_code, unit_code, import_id, source, dealings, name, address, district, sector, size_band, email, phone,
             row_number() over business = 1 as first,
             first_value(size_band) over business as business_band,
             -- min = max over a hash of the details: whether a business's rows disagree (cheaper than count(distinct))
             min(details) over business <> max(details) over business as conflicting
      from (select *, hashtext(concat_ws('|', name, address, district, sector, size_band, email, phone)) as details from rows) r
      window business as (partition by tax_code order by pri, at desc, row desc rows between unbounded preceding and unbounded following)),
    businesses as (
      insert into ${frameBusinesses} (campaign_id, tax_code, name, address, district, sector, size_band, email, phone)
      select ${campaignId}, tax_code, name, address, district, sector, size_band, email, phone from ranked where first
      returning 1),
    per_list as (
      select import_id, tax_code, unit_code, business_band, source, sum(dealings) as dealings, count(*) as n from ranked group by 1, 2, 3, 4, 5),
    pairs as (
      select tax_code, unit_code, business_band, max(dealings)::int as dealings, sum(n) as n,
             bool_or(source = 'procedure') as procedure, bool_or(source = 'unit_list') as unit_list
      from per_list group by tax_code, unit_code, business_band),
    dealings as (
      insert into ${frameDealings} (campaign_id, tax_code, unit_code, size_band, dealings, sources)
      select ${campaignId}, tax_code, unit_code, business_band, dealings, concat_ws(',', case when procedure then 'procedure' end, case when unit_list then 'unit_list' end)
      from pairs order by tax_code, unit_code returning 1)
    select (select count(*)::int from ranked) as rows, (select count(*)::int from businesses) as businesses,
           (select count(*)::int from ranked where first and conflicting) as conflicting,
           (select count(*)::int from dealings) as dealings, (select count(*)::int from pairs where n > 1) as "mergedDealings",
           (select coalesce(sum(n - 1), 0)::int from pairs where n > 1) as "duplicateRows"`)) as unknown as { rows: MergeReport[] };
  return result.rows[0]!;
}

/** After the merge has committed: staged rows of lists no longer current are dropped (outside it: a large
 * delete is slow), and the planner learns the new frame's size, so the paged and grouped reads that follow use the indexes. */
export async function afterMerge(db: Db, campaignId: string): Promise<void> {
  await db.execute(sql`
    with ${currentRows(campaignId)}
    delete from ${frameStaging} where import_id in (
      select id from ${frameImports} where campaign_id = ${campaignId} and status = 'imported' and id not in (select id from current_lists))`);
  await db.execute(sql`analyze frame_businesses, ${frameDealings}`);
}

export interface UnitSources {
  unitCode: string;
  total: number;
  /** Businesses only the procedures system named, only the unit's own list named, and both (overlap by tax code). */
  procedureOnly: number;
  listOnly: number;
  both: number;
}

/** Per unit, where its frame came from. */
export async function sourcesByUnit(db: Db, campaignId: string): Promise<UnitSources[]> {
  return (
    (await db.execute(sql`
      select unit_code as "unitCode", count(*)::int as total,
             (count(*) filter (where sources = 'procedure'))::int as "procedureOnly",
             (count(*) filter (where sources = 'unit_list'))::int as "listOnly",
             (count(*) filter (where sources = 'procedure,unit_list'))::int as both
      from ${frameDealings} where campaign_id = ${campaignId} group by 1 order by 1`)) as unknown as { rows: UnitSources[] }
  ).rows;
}

/** Per unit, the latest list its unit contacts uploaded (any status), with who and how many rows. */
export async function latestUnitLists(db: Db, campaignId: string) {
  return (
    (await db.execute(sql`
      select distinct on (u) u as "unitCode", id, file_name as "fileName", created_by as "createdBy", created_at as "createdAt",
             status, rows_valid as "rowsValid", rows_invalid as "rowsInvalid"
      from ${frameImports}, unnest(unit_codes) as u
      where campaign_id = ${campaignId}
      order by u, created_at desc`)) as unknown as {
      rows: { unitCode: string; id: string; fileName: string; createdBy: string; createdAt: Date; status: ImportRow['status']; rowsValid: number; rowsInvalid: number }[];
    }
  ).rows;
}

export async function countFrameBusinesses(db: Db, campaignId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(frameBusinesses).where(eq(frameBusinesses.campaignId, campaignId));
  return row?.n ?? 0;
}

export async function findPlan(db: Db, campaignId: string): Promise<PlanRow | undefined> {
  const [row] = await db.select().from(samplingPlans).where(eq(samplingPlans.campaignId, campaignId));
  return row;
}

/** Reads the plan and locks it to the end of the transaction (creating it if needed). */
export async function lockPlan(tx: Db, campaignId: string): Promise<PlanRow> {
  await tx.insert(samplingPlans).values({ campaignId }).onConflictDoNothing();
  const [row] = await tx.select().from(samplingPlans).where(eq(samplingPlans.campaignId, campaignId)).for('update');
  return row!;
}

export async function updatePlan(tx: Db, campaignId: string, values: Partial<typeof samplingPlans.$inferInsert>): Promise<void> {
  await tx.update(samplingPlans).set(values).where(eq(samplingPlans.campaignId, campaignId));
}

/** The sampling-relevant frame, page by page in (tax code, unit) order: what the frame hash covers. */
export async function framePage(db: Db, campaignId: string, after: { taxCode: string; unitCode: string } | null, limit: number) {
  return (
    (await db.execute(sql`
      select d.tax_code as "taxCode", d.unit_code as "unitCode", d.size_band as "sizeBand", d.dealings, d.sources
      from ${frameDealings} d
      where d.campaign_id = ${campaignId} ${after ? sql`and (d.tax_code, d.unit_code) > (${after.taxCode}, ${after.unitCode})` : sql``}
      order by d.tax_code, d.unit_code limit ${limit}`)) as unknown as {
      rows: { taxCode: string; unitCode: string; sizeBand: SizeBand; dealings: number; sources: string }[];
    }
  ).rows;
}

/** Frame size and spread of dealings per unit and size band: what the design needs. */
export async function strataStats(db: Db, campaignId: string) {
  return (
    (await db.execute(sql`
      select unit_code as "unitCode", size_band as "sizeBand", count(*)::int as size,
             coalesce(stddev_pop(dealings), 0)::float8 as spread
      from ${frameDealings} where campaign_id = ${campaignId} group by 1, 2 order by 1, 2`)) as unknown as {
      rows: { unitCode: string; sizeBand: SizeBand; size: number; spread: number }[];
    }
  ).rows;
}

/** Tax codes per unit and size band, for the draw (unordered: the draw sorts them itself). */
export async function strataMembers(db: Db, campaignId: string) {
  return (
    (await db.execute(sql`
      select unit_code as "unitCode", size_band as "sizeBand", array_agg(tax_code) as "taxCodes"
      from ${frameDealings} where campaign_id = ${campaignId} group by 1, 2`)) as unknown as {
      rows: { unitCode: string; sizeBand: SizeBand; taxCodes: string[] }[];
    }
  ).rows;
}

export async function insertEntries(tx: Db, campaignId: string, entries: DrawnEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 5000) {
    const batch = entries.slice(i, i + 5000);
    const col = <K extends keyof DrawnEntry>(k: K) => sql.param(batch.map((e) => e[k]));
    await tx.execute(sql`
      insert into ${sampleEntries} (campaign_id, unit_code, size_band, position, tax_code, role)
      select ${campaignId}, * from unnest(${col('unitCode')}::text[], ${col('sizeBand')}::text[]::size_band[], ${col('position')}::int[],
        ${col('taxCode')}::text[], ${col('role')}::text[]::draw_role[])`);
  }
}

export function sampleOf(db: Db, campaignId: string) {
  return db
    .select()
    .from(sampleEntries)
    .where(eq(sampleEntries.campaignId, campaignId))
    .orderBy(asc(sampleEntries.unitCode), asc(sampleEntries.sizeBand), asc(sampleEntries.position));
}

/** The next unused reserve of a stratum, in draw order, locked; and marks it used. */
export async function takeReserve(tx: Db, campaignId: string, unitCode: string, sizeBand: SizeBand) {
  const inStratum = and(eq(sampleEntries.campaignId, campaignId), eq(sampleEntries.unitCode, unitCode), eq(sampleEntries.sizeBand, sizeBand));
  const [next] = await tx
    .select()
    .from(sampleEntries)
    .where(and(inStratum, eq(sampleEntries.role, 'reserve'), sql`${sampleEntries.usedAt} is null`))
    .orderBy(asc(sampleEntries.position))
    .limit(1)
    .for('update');
  if (!next) return undefined;
  await tx
    .update(sampleEntries)
    .set({ usedAt: new Date() })
    .where(and(inStratum, eq(sampleEntries.position, next.position)));
  return next;
}

/** The stratum (size band) a business was sampled in for a unit, as a sample or a used reserve. */
export async function sampledStratum(db: Db, campaignId: string, unitCode: string, taxCode: string) {
  const [row] = await db
    .select({ sizeBand: sampleEntries.sizeBand })
    .from(sampleEntries)
    .where(
      and(
        eq(sampleEntries.campaignId, campaignId),
        eq(sampleEntries.unitCode, unitCode),
        eq(sampleEntries.taxCode, taxCode),
        or(eq(sampleEntries.role, 'sample'), sql`${sampleEntries.usedAt} is not null`),
      ),
    );
  return row?.sizeBand;
}
