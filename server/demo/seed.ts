import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { createStaff, countStaff, type Role, type StaffPrincipal } from '../auth/index.js';
import { createCampaign, setCommittee, setCommitteeMembers, transition } from '../campaigns/index.js';
import { importUnits } from '../campaigns/service.js';
import type { Db } from '../db/client.js';
import { invitations, invitationUnits } from '../db/schema.js';
import { generateInvitations } from '../invitations/service.js';
import type { Logger } from '../logger.js';
import { accessCodeFor, codeKeys, formatCode } from '../sampling/access-codes.js';
import { DEFAULT_DESIGN } from '../sampling/design.js';
import { freezeFrame, startFrameImport } from '../sampling/frame-import.js';
import { commitSeed, drawCampaignSample, saveDesign } from '../sampling/plan.js';
import type { Result } from '../result.js';
import { writeFrameCsv } from './frame.js';

/** A realistic demo: Lạng Sơn's departments and districts (as before the 2025 reorganisation). */
const DEPARTMENTS: [string, string, string][] = [
  ['SKHDT', 'Sở Kế hoạch và Đầu tư', 'Department of Planning and Investment'],
  ['STC', 'Sở Tài chính', 'Department of Finance'],
  ['SCT', 'Sở Công Thương', 'Department of Industry and Trade'],
  ['SXD', 'Sở Xây dựng', 'Department of Construction'],
  ['STNMT', 'Sở Tài nguyên và Môi trường', 'Department of Natural Resources and Environment'],
  ['SGTVT', 'Sở Giao thông vận tải', 'Department of Transport'],
  ['SNNPTNT', 'Sở Nông nghiệp và Phát triển nông thôn', 'Department of Agriculture and Rural Development'],
  ['SLDTBXH', 'Sở Lao động – Thương binh và Xã hội', 'Department of Labour, Invalids and Social Affairs'],
  ['SYT', 'Sở Y tế', 'Department of Health'],
  ['SGDDT', 'Sở Giáo dục và Đào tạo', 'Department of Education and Training'],
  ['SKHCN', 'Sở Khoa học và Công nghệ', 'Department of Science and Technology'],
  ['STTTT', 'Sở Thông tin và Truyền thông', 'Department of Information and Communications'],
  ['SVHTTDL', 'Sở Văn hóa, Thể thao và Du lịch', 'Department of Culture, Sports and Tourism'],
  ['STP', 'Sở Tư pháp', 'Department of Justice'],
  ['SNV', 'Sở Nội vụ', 'Department of Home Affairs'],
  ['SNGV', 'Sở Ngoại vụ', 'Department of Foreign Affairs'],
  ['BQLKKT', 'Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn', 'Dong Dang – Lang Son Border-Gate Economic Zone Authority'],
  ['CTHUE', 'Cục Thuế tỉnh', 'Provincial Tax Department'],
  ['CHQ', 'Cục Hải quan tỉnh', 'Provincial Customs Department'],
  ['CATINH', 'Công an tỉnh', 'Provincial Police'],
  ['BHXH', 'Bảo hiểm xã hội tỉnh', 'Provincial Social Insurance'],
];

const DISTRICTS: [string, string, string][] = [
  ['TPLS', 'Thành phố Lạng Sơn', 'Lang Son City'],
  ['HTD', 'Huyện Tràng Định', 'Trang Dinh District'],
  ['HVL', 'Huyện Văn Lãng', 'Van Lang District'],
  ['HBG', 'Huyện Bình Gia', 'Binh Gia District'],
  ['HBS', 'Huyện Bắc Sơn', 'Bac Son District'],
  ['HVQ', 'Huyện Văn Quan', 'Van Quan District'],
  ['HCL', 'Huyện Cao Lộc', 'Cao Loc District'],
  ['HLB', 'Huyện Lộc Bình', 'Loc Binh District'],
  ['HCLA', 'Huyện Chi Lăng', 'Chi Lang District'],
  ['HDL', 'Huyện Đình Lập', 'Dinh Lap District'],
  ['HHL', 'Huyện Hữu Lũng', 'Huu Lung District'],
];

const ACCOUNTS: { username: string; displayName: string; role: Role }[] = [
  { username: 'quantri', displayName: 'Nguyễn Văn An', role: 'admin' },
  { username: 'dieutravien', displayName: 'Trần Thị Bình', role: 'enumerator' },
  { username: 'chutich', displayName: 'Hoàng Văn Dũng', role: 'chair' },
  { username: 'thanhvien1', displayName: 'Lê Minh Châu', role: 'member' },
  { username: 'thanhvien2', displayName: 'Vũ Thị Hồng', role: 'member' },
  { username: 'thanhvien3', displayName: 'Đặng Quốc Huy', role: 'member' },
  { username: 'thanhvien4', displayName: 'Bùi Thị Lan', role: 'member' },
  { username: 'giamsat', displayName: 'Phạm Thu Hà', role: 'observer' },
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

const SYSTEM: StaffPrincipal = { id: 'system', username: 'system', displayName: 'System (demo seed)', role: 'admin', mustChangePassword: false };

function expect<T>(step: string, result: Result<T>): T {
  if (!result.ok) throw new Error(`demo seed: ${step} refused (${result.error.key})`);
  return result.value;
}

const csvLine = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');

/**
 * Seeds, only into a database with no staff at all: accounts for every role, and the demo campaign taken
 * through sampling the way an administrator would — units, a 3-of-5 committee, a generated frame imported
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
  const campaignId = expect('campaign', await createCampaign(db, 'system', { province: 'Lạng Sơn', year: 2026, title: 'Khảo sát DDCI tỉnh Lạng Sơn năm 2026' }));
  const csv = [
    'code,kind,name_vi,name_en',
    ...DEPARTMENTS.map(([code, vi, en]) => csvLine([code, 'department', vi, en])),
    ...DISTRICTS.map(([code, vi, en]) => csvLine([code, 'district', vi, en])),
  ].join('\n');
  expect('units', await importUnits(db, 'system', campaignId, csv));
  expect('committee', await setCommittee(db, 'system', campaignId, { size: 5, threshold: 3 }));
  const committee = accounts.filter((a) => a.role === 'chair' || a.role === 'member');
  expect('members', await setCommitteeMembers(db, 'system', campaignId, committee.map((a) => a.username)));
  expect('sampling', await transition(db, SYSTEM, campaignId, 'sampling'));

  const dir = path.join(options.dataDir, 'demo');
  mkdirSync(dir, { recursive: true });
  const frameFile = path.join(dir, 'khung-mau-demo.csv');
  await writeFrameCsv(frameFile, 6000, [...DEPARTMENTS, ...DISTRICTS].map(([code]) => code), 2026);
  // The importer consumes its upload, so it reads a copy and the frame stays for `ddci sample verify`.
  const upload = path.join(dir, 'khung-mau-demo.upload.csv');
  copyFileSync(frameFile, upload);
  const started = expect('frame import', await startFrameImport(db, options.logger, 'system', campaignId, { path: upload, name: 'khung-mau-demo.csv', size: statSync(upload).size }));
  await started.done;
  expect('freeze', await freezeFrame(db, 'system', campaignId));
  expect('design', await saveDesign(db, 'system', campaignId, { ...DEFAULT_DESIGN, minPerUnit: 20, maxPerUnit: 60 }));
  expect('seed', await commitSeed(db, 'system', campaignId, {}));
  expect('draw', await drawCampaignSample(db, 'system', campaignId));
  const keys = codeKeys(options.hmacSecret);
  const invited = expect('invitations', await generateInvitations(db, keys, 'system', campaignId));

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
    ...seeded.accounts.map((a) => `  ${a.role.padEnd(11)} ${a.username.padEnd(13)} ${a.oneTimePassword}`),
    'Lost them? `npx ddci staff reset-password <username>` issues a new one.',
    'To open the survey: each committee member (chutich, thanhvien1–4) logs in and creates a personal key;',
    '  then quantri moves the campaign to fieldwork (the key ceremony). / Để mở khảo sát: 5 thành viên hội đồng',
    '  đăng nhập và tạo khoá cá nhân, rồi quantri chuyển đợt khảo sát sang giai đoạn thu thập.',
    `Access codes / mã truy cập (${seeded.invitations}): ${seeded.codesFile} — survey: ${publicUrl}/survey`,
    `Simulate answers / mô phỏng trả lời: npx ddci simulate --url ${publicUrl} --codes ${seeded.codesFile} --responses 200`,
    `Demo sampling frame / khung mẫu: ${seeded.frameFile}`,
    '================================================================================',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
