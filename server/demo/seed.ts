import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { createStaff, countStaff, type Role } from '../auth/index.js';
import { addUnit, setCommittee, setCommitteeMembers } from '../campaigns/index.js';
import { transition } from '../workflow/index.js';
import { createFollowUp, deleteUnit, listUnits, setUnitLinks } from '../campaigns/service.js';
import type { Db } from '../db/client.js';
import { invitations, invitationUnits } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { accessCodeFor, codeKeys, formatCode } from '../sampling/access-codes.js';
import { must, sampleDemoCampaign, SYSTEM } from './steps.js';
import { seedPublishedYear } from './last-year.js';

/**
 * A realistic demo in the two-tier structure in force since 1 July 2025: Lạng Sơn's departments and
 * agencies after the 2025 mergers, the central agencies located in the province, and its communes and
 * wards (a selection of the province's 65). Each list is one block of the shipped methodology.
 */
const PROVINCIAL: [string, string, string][] = [
  ['STC', 'Sở Tài chính', 'Department of Finance'],
  ['SNV', 'Sở Nội vụ', 'Department of Home Affairs'],
  ['SCT', 'Sở Công Thương', 'Department of Industry and Trade'],
  ['SXD', 'Sở Xây dựng', 'Department of Construction'],
  ['SNNMT', 'Sở Nông nghiệp và Môi trường', 'Department of Agriculture and Environment'],
  ['SKHCN', 'Sở Khoa học và Công nghệ', 'Department of Science and Technology'],
  ['SVHTTDL', 'Sở Văn hóa, Thể thao và Du lịch', 'Department of Culture, Sports and Tourism'],
  ['SYT', 'Sở Y tế', 'Department of Health'],
  ['SGDDT', 'Sở Giáo dục và Đào tạo', 'Department of Education and Training'],
  ['STP', 'Sở Tư pháp', 'Department of Justice'],
  ['SDTTG', 'Sở Dân tộc và Tôn giáo', 'Department of Ethnic Minorities and Religions'],
  ['SNGV', 'Sở Ngoại vụ', 'Department of Foreign Affairs'],
  ['TTRA', 'Thanh tra tỉnh', 'Provincial Inspectorate'],
  ['BQLKKT', 'Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn', 'Dong Dang – Lang Son Border-Gate Economic Zone Authority'],
];

const CENTRAL: [string, string, string][] = [
  ['THUE', 'Thuế tỉnh Lạng Sơn', 'Lang Son Provincial Tax Office'],
  ['HQ', 'Chi cục Hải quan khu vực tại Lạng Sơn', 'Regional Customs Branch in Lang Son'],
  ['CATINH', 'Công an tỉnh', 'Provincial Police'],
  ['BHXH', 'Bảo hiểm xã hội tỉnh', 'Provincial Social Insurance'],
  ['KBNN', 'Kho bạc Nhà nước khu vực tại Lạng Sơn', 'Regional State Treasury in Lang Son'],
  ['THADS', 'Thi hành án dân sự tỉnh', 'Provincial Civil Judgment Enforcement'],
];

const COMMUNES: [string, string, string][] = [
  ['P-TAMTHANH', 'Phường Tam Thanh', 'Tam Thanh Ward'],
  ['P-LUONGVANTRI', 'Phường Lương Văn Tri', 'Luong Van Tri Ward'],
  ['P-KYLUA', 'Phường Kỳ Lừa', 'Ky Lua Ward'],
  ['P-DONGKINH', 'Phường Đông Kinh', 'Dong Kinh Ward'],
  ...[
    ['DONGDANG', 'Đồng Đăng'], ['CAOLOC', 'Cao Lộc'], ['CONGSON', 'Công Sơn'], ['BASON', 'Ba Sơn'], ['THATKHE', 'Thất Khê'],
    ['TRANGDINH', 'Tràng Định'], ['QUOCKHANH', 'Quốc Khánh'], ['BINHGIA', 'Bình Gia'], ['HOATHAM', 'Hoa Thám'], ['BACSON', 'Bắc Sơn'],
    ['VULANG', 'Vũ Lăng'], ['HUNGVU', 'Hưng Vũ'], ['VANQUAN', 'Văn Quan'], ['DIEMHE', 'Điềm He'], ['NASAM', 'Na Sầm'],
    ['HOANGVANTHU', 'Hoàng Văn Thụ'], ['LOCBINH', 'Lộc Bình'], ['MAUSON', 'Mẫu Sơn'], ['NADUONG', 'Na Dương'], ['DINHLAP', 'Đình Lập'],
    ['THAIBINH', 'Thái Bình'], ['CHILANG', 'Chi Lăng'], ['DONGMO', 'Đồng Mỏ'], ['NHANLY', 'Nhân Lý'], ['HUULUNG', 'Hữu Lũng'],
    ['TUANSON', 'Tuấn Sơn'], ['VANNHAM', 'Vân Nham'], ['YENBINH', 'Yên Bình'], ['HUULIEN', 'Hữu Liên'], ['CAIKINH', 'Cai Kinh'],
    ['KHANHKHE', 'Khánh Khê'], ['TRILE', 'Tri Lễ'],
  ].map(([code, name]): [string, string, string] => [`X-${code}`, `Xã ${name}`, `${name} Commune`]),
];

/** The shipped methodology's block of each list. */
const BLOCKS: [string, [string, string, string][]][] = [
  ['provincial', PROVINCIAL],
  ['central', CENTRAL],
  ['commune', COMMUNES],
];
const UNITS = BLOCKS.flatMap(([, units]) => units);

/**
 * Last year's units, where they differ from this year's: the Department of Planning and Investment was
 * still rated on its own (it merged into the Department of Finance: STC continues both, and is not
 * compared), and customs had another code (renamed: HQ continues HQLS, and is compared).
 */
const LAST_YEAR: [string, [string, string, string][]][] = [
  ['provincial', [...PROVINCIAL, ['SKHDT', 'Sở Kế hoạch và Đầu tư', 'Department of Planning and Investment']]],
  ['central', CENTRAL.map(([code, vi, en]): [string, string, string] => (code === 'HQ' ? ['HQLS', 'Cục Hải quan tỉnh Lạng Sơn', 'Lang Son Provincial Customs Department'] : [code, vi, en]))],
  ['commune', COMMUNES],
];

const unitsCsv = (blocks: typeof BLOCKS) => ['code,block,name_vi,name_en', ...blocks.flatMap(([block, units]) => units.map(([code, vi, en]) => csvLine([code, block, vi, en])))].join('\n');

const ACCOUNTS: { username: string; displayName: string; role: Role; unitCodes?: string[] }[] = [
  { username: 'quantri', displayName: 'Nguyễn Văn An', role: 'admin' },
  { username: 'dieutravien', displayName: 'Trần Thị Bình', role: 'enumerator' },
  { username: 'chutich', displayName: 'Hoàng Văn Dũng', role: 'chair' },
  { username: 'thanhvien1', displayName: 'Lê Minh Châu', role: 'member' },
  { username: 'thanhvien2', displayName: 'Vũ Thị Hồng', role: 'member' },
  { username: 'thanhvien3', displayName: 'Đặng Quốc Huy', role: 'member' },
  { username: 'thanhvien4', displayName: 'Bùi Thị Lan', role: 'member' },
  { username: 'giamsat', displayName: 'Phạm Thu Hà', role: 'observer' },
  { username: 'daumoi', displayName: 'Ngô Thị Thu', role: 'unit_contact', unitCodes: ['P-TAMTHANH'] },
];

export interface SeededDemo {
  campaignId: string;
  /** The demo sampling frame the campaign's sample was drawn from. */
  frameFile: string;
  /** Every invitation's access code and units, for `ddci simulate` and for trying the survey. */
  codesFile: string;
  invitations: number;
  accounts: { username: string; role: Role; oneTimePassword: string }[];
}

export interface DemoOptions {
  dataDir: string;
  hmacSecret: string;
  logger: Logger;
}


const csvLine = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');

/**
 * Seeds, only into a database with no staff at all: accounts for every role, last year's campaign taken to
 * publication (see last-year.ts), and this year's campaign created from it ("new campaign from last year":
 * units and links edited for this year's structure) and taken through sampling the way an administrator
 * would — a 3-of-5 committee, a generated frame imported
 * and frozen, the design, a committed seed, the draw and the invitations. Writes the frame and the access
 * codes under `dataDir/demo`. It stops there on purpose: fieldwork starts with the key ceremony, which needs
 * each committee member's own key, made at their first login under a passphrase only they know.
 */
export async function seedDemoIfEmpty(db: Db, options: DemoOptions): Promise<SeededDemo | null> {
  if ((await countStaff(db)) > 0) return null;
  const accounts: SeededDemo['accounts'] = [];
  for (const account of ACCOUNTS) {
    const created = await createStaff(db, 'system', account);
    if (!created.ok) throw new Error(`demo seed: account ${account.username} exists`);
    accounts.push({ username: account.username, role: account.role, oneTimePassword: created.oneTimePassword });
  }
  // Last year, published: this year's campaign follows it (its units, links and committee set below).
  const lastYear = await seedPublishedYear(db, {
    ...options,
    province: 'Lạng Sơn',
    year: 2025,
    title: 'Khảo sát DDCI tỉnh Lạng Sơn năm 2025',
    unitsCsv: unitsCsv(LAST_YEAR),
    unitCodes: LAST_YEAR.flatMap(([, units]) => units.map(([code]) => code)),
  });
  const campaignId = must('campaign', await createFollowUp(db, 'system', lastYear, { year: 2026, title: 'Khảo sát DDCI tỉnh Lạng Sơn năm 2026' }));
  for (const unit of await listUnits(db, campaignId)) if (!UNITS.some(([code]) => code === unit.code)) must('unit', await deleteUnit(db, 'system', campaignId, unit.id));
  const [, hqVi, hqEn] = CENTRAL.find(([code]) => code === 'HQ')!;
  must('unit', await addUnit(db, 'system', campaignId, { code: 'HQ', block: 'central', nameVi: hqVi, nameEn: hqEn }));
  const links = [...UNITS.filter(([code]) => code !== 'HQ').map(([code]) => `${code},${code}`), 'STC,SKHDT', 'HQ,HQLS'];
  must('links', await setUnitLinks(db, 'system', campaignId, links.join('\n')));
  must('committee', await setCommittee(db, 'system', campaignId, { size: 5, threshold: 3 }));
  const committee = accounts.filter((a) => a.role === 'chair' || a.role === 'member');
  must('members', await setCommitteeMembers(db, 'system', campaignId, committee.map((a) => a.username)));
  must('sampling', await transition(db, SYSTEM, campaignId, 'sampling'));

  const dir = path.join(options.dataDir, 'demo');
  const frameFile = path.join(dir, 'khung-mau-demo.csv');
  const { keys, invited } = await sampleDemoCampaign(db, { ...options, campaignId, frameFile, rows: 9000, unitCodes: UNITS.map(([code]) => code), seed: 2026, maxPerUnit: 60, unitList: { contact: 'daumoi', unitCode: 'P-TAMTHANH', rows: 40 } });

  const codesFile = path.join(dir, 'ma-truy-cap-demo.csv');
  writeFileSync(codesFile, await accessCodesCsv(db, keys, campaignId), { mode: 0o600 });
  return { campaignId, frameFile, codesFile, invitations: invited, accounts };
}

/** code,units — one line per invitation (units separated by spaces), for `ddci simulate`. */
async function accessCodesCsv(db: Db, keys: ReturnType<typeof codeKeys>, campaignId: string): Promise<string> {
  const rows = await db
    .select({ id: invitations.id, unit: invitationUnits.unitCode })
    .from(invitations)
    .innerJoin(invitationUnits, eq(invitationUnits.invitationId, invitations.id))
    .where(eq(invitations.campaignId, campaignId))
    .orderBy(invitations.id, invitationUnits.unitCode);
  const units = new Map<string, string[]>();
  for (const row of rows) units.set(row.id, [...(units.get(row.id) ?? []), row.unit]);
  return ['code,units', ...[...units].map(([id, list]) => `${formatCode(accessCodeFor(keys, id))},${list.join(' ')}`)].join('\n') + '\n';
}

/** The one time these passwords are shown: on the console of the first start, never in a log. */
export function printDemoAccounts(seeded: SeededDemo, publicUrl: string): void {
  const lines = [
    '',
    '================ DDCI demo — tài khoản dùng thử / demo accounts ================',
    `Mở / open ${publicUrl}/login — mật khẩu dùng một lần / one-time passwords (shown once):`,
    ...seeded.accounts.map((a) => `  ${a.role.padEnd(12)} ${a.username.padEnd(13)} ${a.oneTimePassword}`),
    'Lost them? `npx ddci staff reset-password <username>` issues a new one.',
    'To open the survey: each committee member (chutich, thanhvien1–4) logs in and creates a personal key;',
    '  then quantri moves the campaign to fieldwork (the key ceremony). / Để mở khảo sát: 5 thành viên hội đồng',
    '  đăng nhập và tạo khóa cá nhân, rồi quantri chuyển đợt khảo sát sang giai đoạn thu thập.',
    `Access codes / mã truy cập (${seeded.invitations}): ${seeded.codesFile} — survey: ${publicUrl}/survey`,
    `Simulate answers / mô phỏng trả lời: npx ddci simulate --url ${publicUrl} --codes ${seeded.codesFile} --responses 200`,
    `Demo sampling frame / khung mẫu: ${seeded.frameFile}`,
    '================================================================================',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
