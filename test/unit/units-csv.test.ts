import { MAX_UNIT_ROWS, parseUnitsCsv } from '../../server/campaigns/units-csv.js';

const header = 'code,kind,name_vi,name_en';

describe('units CSV', () => {
  test('a good file parses, whatever the column order, with a BOM and quoted commas', () => {
    const csv = '\uFEFFname_en,code,kind,name_vi\n"Department of Culture, Sports and Tourism",SVHTTDL,department,"Sở Văn hóa, Thể thao và Du lịch"\nBac Son District,HBS,District,Huyện Bắc Sơn\n';
    expect(parseUnitsCsv(csv)).toEqual({
      ok: true,
      units: [
        { code: 'SVHTTDL', kind: 'department', nameVi: 'Sở Văn hóa, Thể thao và Du lịch', nameEn: 'Department of Culture, Sports and Tourism' },
        { code: 'HBS', kind: 'district', nameVi: 'Huyện Bắc Sơn', nameEn: 'Bac Son District' },
      ],
    });
  });

  test('every bad row is reported with its row, column and reason', () => {
    const csv = [
      header,
      'SXD,department,Sở Xây dựng,Department of Construction',
      'sxd-lower,department,Sở X,Dept X',
      'SXD,department,Trùng,Duplicate',
      'HBG,province,Huyện Bình Gia,Binh Gia',
      `HDL,district,${'Đ'.repeat(201)},Dinh Lap`,
      'HCL,district,,Cao Loc',
      'STP,department,Sở Tư pháp,Department of Justice',
    ].join('\n');
    const result = parseUnitsCsv(csv, new Set(['STP']));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.row, e.column, e.reason.key])).toEqual([
      [3, 'code', 'field.unitCode'],
      [4, 'code', 'csv.duplicateInFile'],
      [5, 'kind', 'field.enum'],
      [6, 'name_vi', 'field.tooLong'],
      [7, 'name_vi', 'field.required'],
      [8, 'code', 'units.duplicateCode'],
    ]);
    expect(result.errors[1]!.reason.params).toEqual({ code: 'SXD', row: 2 });
  });

  test('missing columns, an empty file, malformed quoting and too many rows are named', () => {
    expect(parseUnitsCsv('code,name_vi\nA,B')).toMatchObject({ ok: false, errors: [{ row: 1, reason: { key: 'csv.missingColumns', params: { columns: 'kind, name_en' } } }] });
    expect(parseUnitsCsv(header + '\n')).toMatchObject({ ok: false, errors: [{ reason: { key: 'csv.empty' } }] });
    expect(parseUnitsCsv(header + '\nA,"department,x,y')).toMatchObject({ ok: false, errors: [{ reason: { key: 'csv.unreadable' } }] });
    const many = [header, ...Array.from({ length: MAX_UNIT_ROWS + 1 }, (_, i) => `U${i},district,Huyện ${i},District ${i}`)].join('\n');
    expect(parseUnitsCsv(many)).toMatchObject({ ok: false, errors: [{ reason: { key: 'csv.tooManyRows' } }] });
  });
});
