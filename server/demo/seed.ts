import { createStaff, countStaff, type Role } from '../auth/index.js';
import { createCampaign, setCommittee, setCommitteeMembers } from '../campaigns/index.js';
import { importUnits } from '../campaigns/service.js';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/client.js';
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
  /** A sampling frame for the demo units, ready to upload on the campaign's sampling page. */
  frameFile: string;
  accounts: { username: string; role: Role; oneTimePassword: string }[];
}

const csvLine = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');

/** Seeds the demo campaign, its 3-of-5 committee and accounts for every role, only into a database with
 * no staff at all; writes a demo sampling frame under `dataDir`. */
export async function seedDemoIfEmpty(db: Db, dataDir: string): Promise<SeededDemo | null> {
  if ((await countStaff(db)) > 0) return null;
  const accounts: SeededDemo['accounts'] = [];
  for (const account of ACCOUNTS) {
    const created = await createStaff(db, 'system', account);
    if (!created.ok) throw new Error(`demo seed: account ${account.username} exists`);
    accounts.push({ username: account.username, role: account.role, oneTimePassword: created.oneTimePassword });
  }
  const campaign = await createCampaign(db, 'system', {
    province: 'Lạng Sơn',
    year: 2026,
    title: 'Khảo sát DDCI tỉnh Lạng Sơn năm 2026',
  });
  if (!campaign.ok) throw new Error('demo seed: campaign exists');
  const csv = [
    'code,kind,name_vi,name_en',
    ...DEPARTMENTS.map(([code, vi, en]) => csvLine([code, 'department', vi, en])),
    ...DISTRICTS.map(([code, vi, en]) => csvLine([code, 'district', vi, en])),
  ].join('\n');
  const imported = await importUnits(db, 'system', campaign.value, csv);
  if (!imported.ok) throw new Error('demo seed: units rejected');
  await setCommittee(db, 'system', campaign.value, { size: 5, threshold: 3 });
  const committee = ACCOUNTS.filter((a) => a.role === 'chair' || a.role === 'member').map((a) => a.username);
  const chosen = await setCommitteeMembers(db, 'system', campaign.value, committee);
  if (!chosen.ok) throw new Error('demo seed: committee rejected');
  const frameFile = path.join(dataDir, 'demo', 'khung-mau-demo.csv');
  mkdirSync(path.dirname(frameFile), { recursive: true });
  await writeFrameCsv(frameFile, 6000, [...DEPARTMENTS, ...DISTRICTS].map(([code]) => code), 2026);
  return { campaignId: campaign.value, frameFile, accounts };
}

/** The one time these passwords are shown: on the console of the first start, never in a log. */
export function printDemoAccounts(seeded: SeededDemo, publicUrl: string): void {
  const lines = [
    '',
    '================ DDCI demo — tài khoản dùng thử / demo accounts ================',
    `Mở / open ${publicUrl}/login — mật khẩu dùng một lần / one-time passwords (shown once):`,
    ...seeded.accounts.map((a) => `  ${a.role.padEnd(11)} ${a.username.padEnd(13)} ${a.oneTimePassword}`),
    'Lost them? `npx ddci staff reset-password <username>` issues a new one.',
    `Demo sampling frame to upload / khung mẫu dùng thử: ${seeded.frameFile}`,
    '================================================================================',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
