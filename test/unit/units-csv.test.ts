import { MAX_UNIT_ROWS, parseUnitsCsv } from '../../server/campaigns/units-csv.js';

const header = 'code,block,name_vi,name_en';
const BLOCKS = ['provincial', 'central', 'commune'];

describe('units CSV', () => {
  test('a good file parses, whatever the column order, with a BOM and quoted commas', () => {
    const csv = '\uFEFFname_en,code,block,name_vi\n"Department of Culture, Sports and Tourism",SVHTTDL,provincial,"Sở Văn hóa, Thể thao và Du lịch"\nBac Son Commune,XBS,Commune,Xã Bắc Sơn\n';
    expect(parseUnitsCsv(csv, BLOCKS)).toEqual({
      ok: true,
      units: [
        { code: 'SVHTTDL', block: 'provincial', nameVi: 'Sở Văn hóa, Thể thao và Du lịch', nameEn: 'Department of Culture, Sports and Tourism' },
        { code: 'XBS', block: 'commune', nameVi: 'Xã Bắc Sơn', nameEn: 'Bac Son Commune' },
      ],
    });
  });

  test('every bad row is reported with its row, column and reason', () => {
    const csv = [
      header,
      'SXD,provincial,Sở Xây dựng,Department of Construction',
      'sxd-lower,provincial,Sở X,Dept X',
      'SXD,provincial,Trùng,Duplicate',
      'HBG,district,Huyện Bình Gia,Binh Gia',
      `XDL,commune,${'Đ'.repeat(201)},Dinh Lap`,
      'XCL,commune,,Cao Loc',
      'STP,provincial,Sở Tư pháp,Department of Justice',
    ].join('\n');
    const result = parseUnitsCsv(csv, BLOCKS, new Set(['STP']));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.row, e.column, e.reason.key])).toEqual([
      [3, 'code', 'field.unitCode'],
      [4, 'code', 'csv.duplicateInFile'],
      [5, 'block', 'units.unknownBlock'],
      [6, 'name_vi', 'field.tooLong'],
      [7, 'name_vi', 'field.required'],
      [8, 'code', 'units.duplicateCode'],
    ]);
    expect(result.errors[1]!.reason.params).toEqual({ code: 'SXD', row: 2 });
    expect(result.errors[2]!.reason.params).toEqual({ blocks: 'provincial, central, commune' });
  });

  test('missing columns, an empty file, malformed quoting and too many rows are named', () => {
    expect(parseUnitsCsv('code,name_vi\nA,B', BLOCKS)).toMatchObject({ ok: false, errors: [{ row: 1, reason: { key: 'csv.missingColumns', params: { columns: 'block, name_en' } } }] });
    expect(parseUnitsCsv(header + '\n', BLOCKS)).toMatchObject({ ok: false, errors: [{ reason: { key: 'csv.empty' } }] });
    expect(parseUnitsCsv(header + '\nA,"provincial,x,y', BLOCKS)).toMatchObject({ ok: false, errors: [{ reason: { key: 'csv.unreadable' } }] });
    const many = [header, ...Array.from({ length: MAX_UNIT_ROWS + 1 }, (_, i) => `U${i},commune,Xã ${i},Commune ${i}`)].join('\n');
    expect(parseUnitsCsv(many, BLOCKS)).toMatchObject({ ok: false, errors: [{ reason: { key: 'csv.tooManyRows' } }] });
  });
});
