import ExcelJS from 'exceljs';

/**
 * A different province's survey and index, written by hand as a survey team would in Excel: one block of
 * departments, four pillars, tiers relative to the ranking, a multiple-choice question and a display rule.
 * Sheets are arrays of rows (the first row is the header), so that a test can break one cell at a time.
 */
type Rows = (string | number | null)[][];
export interface Sheets {
  survey: Rows;
  choices: Rows;
  settings: Rows;
  pillars: Rows;
  blocks: Rows;
  tiers: Rows;
  indicators: Rows;
}

const VI = 'Tiếng Việt (vi)';
const EN = 'English (en)';

export function provinceSheets(): Sheets {
  return {
    survey: [
      ['type', 'name', `label::${VI}`, `label::${EN}`, `hint::${VI}`, `hint::${EN}`, 'required', 'relevant', 'constraint', 'dont_know', `unit::${VI}`, `unit::${EN}`],
      ['note', 'intro', 'Phiếu khảo sát chỉ số năng lực cạnh tranh cấp sở, ngành tỉnh Đồng Tháp.', 'Dong Thap department competitiveness survey.', null, null, null, null, null, null, null, null],
      ['begin_group', 'A', 'Minh bạch', 'Transparency', null, null, null, null, null, null, null, null],
      ['select_one likert5', 'A1', 'Thủ tục hành chính của sở được niêm yết đầy đủ.', 'The department posts its procedures in full.', null, null, 'yes', null, null, 'yes', null, null],
      ['select_one yesno', 'A2', 'Doanh nghiệp tìm được văn bản cần thiết trên cổng thông tin của sở.', 'Your business found the documents it needed on the department’s portal.', null, null, 'yes', null, null, 'yes', null, null],
      ['select_multiple kenh', 'A3', 'Doanh nghiệp nhận thông tin của sở qua những kênh nào?', 'Through which channels does your business get the department’s information?', 'Chọn tất cả các kênh phù hợp.', 'Choose every channel that applies.', 'no', null, null, null, null, null],
      ['end_group', 'A', null, null, null, null, null, null, null, null, null, null],
      ['begin_group', 'B', 'Thời gian', 'Time', null, null, null, null, null, null, null, null],
      ['decimal', 'B1', 'Hồ sơ gần nhất mất bao nhiêu ngày làm việc?', 'How many working days did your latest file take?', null, null, 'yes', null, '. >= 0 and . <= 90', 'yes', 'ngày', 'days'],
      ['select_one yesno', 'B2', 'Hồ sơ có bị trả lại để bổ sung không?', 'Was the file sent back for more papers?', null, null, 'yes', null, null, 'no', null, null],
      ['select_one solan', 'B3', 'Hồ sơ bị trả lại mấy lần?', 'How many times was it sent back?', null, null, 'yes', "${B2} = 'yes'", null, 'no', null, null],
      ['end_group', 'B', null, null, null, null, null, null, null, null, null, null],
      ['begin_group', 'C', 'Chi phí không chính thức', 'Informal costs', null, null, null, null, null, null, null, null],
      ['select_one yesno', 'C1', 'Doanh nghiệp có phải trả chi phí không chính thức không?', 'Did your business have to pay an informal charge?', null, null, 'yes', null, null, 'yes', null, null],
      ['select_one likert5', 'C2', 'Cán bộ của sở không gây nhũng nhiễu.', 'The department’s staff did not harass.', null, null, 'yes', null, null, 'yes', null, null],
      ['end_group', 'C', null, null, null, null, null, null, null, null, null, null],
      ['begin_group', 'D', 'Hỗ trợ doanh nghiệp', 'Business support', null, null, null, null, null, null, null, null],
      ['select_one likert5', 'D1', 'Sở chủ động đối thoại với doanh nghiệp.', 'The department holds dialogues with businesses.', null, null, 'yes', null, null, 'yes', null, null],
      ['select_one likert5', 'D2', 'Kiến nghị của doanh nghiệp được trả lời đúng hạn.', 'Your business’s petitions were answered on time.', null, null, 'yes', null, null, 'yes', null, null],
      ['text', 'D3', 'Góp ý khác cho sở.', 'Any other comment for the department.', null, null, 'no', null, 'string-length(.) <= 500', null, null, null],
      ['end_group', 'D', null, null, null, null, null, null, null, null, null, null],
    ],
    choices: [
      ['list_name', 'name', `label::${VI}`, `label::${EN}`],
      ['kenh', 'web', 'Cổng thông tin điện tử', 'Web portal'],
      ['kenh', 'zalo', 'Zalo, mạng xã hội', 'Zalo, social media'],
      ['kenh', 'hoinghi', 'Hội nghị, đối thoại', 'Conferences, dialogues'],
      ['solan', '1', 'Một lần', 'Once'],
      ['solan', '2', 'Hai lần', 'Twice'],
      ['solan', '3', 'Ba lần trở lên', 'Three times or more'],
    ],
    settings: [
      ['form_id', 'version', `form_title::${VI}`, `form_title::${EN}`, 'methodology_version', 'min_answers_per_unit', 'scale_min', 'scale_max', 'all_equal_score', 'bounds', 'composite_scale', 'bootstrap_replicates', 'bootstrap_confidence'],
      ['dongthap-so', '2031.1', 'Phiếu DDCI Đồng Tháp — sở, ngành', 'Dong Thap DDCI — departments', '2031.1', 5, 1, 10, 5.5, 'fixed', 10, 200, 0.95],
    ],
    pillars: [
      ['name', `label::${VI}`, `label::${EN}`],
      ['P1', 'Minh bạch', 'Transparency'],
      ['P2', 'Thời gian', 'Time'],
      ['P3', 'Chi phí không chính thức', 'Informal costs'],
      ['P4', 'Hỗ trợ doanh nghiệp', 'Business support'],
    ],
    blocks: [
      ['name', `label::${VI}`, `label::${EN}`, 'questionnaire', 'tiers', 'weight::P1', 'weight::P2', 'weight::P3', 'weight::P4'],
      ['so-nganh', 'Sở, ban, ngành', 'Departments', null, 'relative', 0.3, 0.25, 0.25, 0.2],
    ],
    tiers: [
      ['block', 'min', 'up_to', `label::${VI}`, `label::${EN}`],
      ['so-nganh', null, 0.2, 'Xuất sắc', 'Excellent'],
      ['so-nganh', null, 0.6, 'Tốt', 'Good'],
      ['so-nganh', null, 1, 'Cần cải thiện', 'Needs improvement'],
    ],
    indicators: [
      ['name', 'question', 'pillar', 'measure', 'favourable', 'direction', 'lower', 'upper'],
      ['I-A1', 'A1', 'P1', 'share', '4 5', 'higher', 0, 1],
      ['I-A2', 'A2', 'P1', 'share', 'yes', 'higher', 0, 1],
      ['I-B1', 'B1', 'P2', 'mean', null, 'lower', 0, 90],
      ['I-B2', 'B2', 'P2', 'share', 'no', 'higher', 0, 1],
      ['I-C1', 'C1', 'P3', 'share', 'no', 'higher', 0, 1],
      ['I-C2', 'C2', 'P3', 'share', '4 5', 'higher', 0, 1],
      ['I-D1', 'D1', 'P4', 'share', '4 5', 'higher', 0, 1],
      ['I-D2', 'D2', 'P4', 'share', '4 5', 'higher', 0, 1],
    ],
  };
}

export async function workbookOf(sheets: Partial<Sheets>): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets) as [string, Rows][]) {
    const sheet = book.addWorksheet(name);
    for (const row of rows) sheet.addRow(row);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
