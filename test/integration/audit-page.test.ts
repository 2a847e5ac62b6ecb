import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { recordAudit } from '../../server/audit/index.js';
import { createCampaign } from '../../server/campaigns/index.js';
import { isMessageKey } from '../../server/i18n/index.js';
import { fromRoot } from '../../server/paths.js';
import { loggedIn, startTestApp, type TestApp } from '../support/app.js';

/** The audit log in words: every action has a label in both languages, filters, paging, CSV export. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Every action name the server records, read from its source (a literal after `action:` or a ternary's branches). */
function recordedActions(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (file.endsWith('.ts')) files.push(file);
    }
  };
  walk(fromRoot('server'));
  const actions = new Set<string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/action: ([^,}\n]+)/g)) for (const a of m[1]!.matchAll(/'([a-z]+\.[a-z_]+)'/g)) actions.add(a[1]!);
    for (const m of source.matchAll(/insertAndAudit\([^)]*'([a-z]+\.[a-z_]+)'\)/g)) actions.add(m[1]!);
  }
  return [...actions].sort();
}

test('every action the server records has a label in Vietnamese and English', () => {
  const actions = recordedActions();
  expect(actions.length).toBeGreaterThan(30);
  expect(actions.filter((a) => !isMessageKey(`auditAction.${a}`))).toEqual([]);
});

test('the audit page speaks in words, filters by who, what, which campaign and when, pages, and exports what it shows', async () => {
  const { browser: observer } = await loggedIn(t.app, t.db, 'observer'); // the observer reads the log; administrators do not
  const created = await createCampaign(t.db, 'quantri', { province: 'Sơn La', year: 2026, title: 'DDCI Sơn La 2026' });
  if (!created.ok) throw new Error('campaign');
  // 130 more entries by another actor, two of them a week ago.
  await t.db.transaction(async (tx) => {
    for (let i = 0; i < 130; i++) await recordAudit(tx, { actor: 'canbo', action: 'units.added', campaignId: created.value, subject: `U${i}`, details: { count: i } });
  });
  await t.db.execute(sql`alter table audit_log disable trigger user`);
  await t.db.execute(sql`update audit_log set at = at - interval '7 days' where subject in ('U0', 'U1')`);
  await t.db.execute(sql`alter table audit_log enable trigger user`);

  const page = await observer.get('/audit');
  expect(page.status).toBe(200);
  expect(page.text).toContain('<td>Thêm đơn vị</td>');
  expect(page.text).toContain('<td>DDCI Sơn La 2026</td>');
  expect(page.text).toContain('Chi tiết kỹ thuật');
  expect(page.text).not.toMatch(/<td><code>[a-z]+\.[a-z_]+<\/code><\/td>/); // no bare action code as the action
  expect((await observer.get('/audit?lang=en')).text).toContain('<td>Added a unit</td>');
  await observer.get('/audit?lang=vi'); // the choice of language sticks: back to Vietnamese

  // Paging: 100 a page, the next page keeps the filter.
  const byActor = await observer.get('/audit?actor=canbo');
  expect([...byActor.text.matchAll(/<td>Thêm đơn vị<\/td>/g)]).toHaveLength(100);
  const older = /href="(\/audit\?[^"]*before[^"]*)"/.exec(byActor.text)![1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
  expect(older).toMatch(/^\/audit\?actor=canbo&before=\d+$/);
  expect([...(await observer.get(older)).text.matchAll(/<td>Thêm đơn vị<\/td>/g)]).toHaveLength(30);
  const byAction = await observer.get('/audit?action=campaign.created');
  expect(byAction.text).toContain('<td>Tạo đợt khảo sát</td>');
  expect(byAction.text).not.toContain('<td>Thêm đơn vị</td>');

  // Dates are Vietnam days: last week's two entries only up to then, the rest only from today.
  const weekAgo = new Date(Date.now() - 7 * 86_400_000 + 7 * 3600_000).toISOString().slice(0, 10);
  const then = await observer.get(`/audit?actor=canbo&to=${weekAgo}`);
  expect([...then.text.matchAll(/<td>Thêm đơn vị<\/td>/g)]).toHaveLength(2);
  const bad = await observer.get('/audit?from=01/12/2026');
  expect(bad.status).toBe(422);
  expect(bad.text).toContain('Ngày không hợp lệ');

  // The CSV holds every matching entry (not just a page), labelled, with formula-safe cells.
  const csv = await observer.get('/audit.csv?actor=canbo');
  expect(csv.status).toBe(200);
  expect(csv.headers['cache-control']).toBe('no-store');
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(lines[0]).toBe('seq,at,actor,action,action_label,campaign_id,campaign,subject,details,hash');
  expect(lines).toHaveLength(131);
  expect(lines[1]).toContain(',canbo,units.added,Thêm đơn vị,');
  expect(lines[1]).toContain('DDCI Sơn La 2026');

  // Other roles may not read it, administrators included.
  for (const role of ['admin', 'member'] as const) {
    const { browser } = await loggedIn(t.app, t.db, role);
    expect({ role, page: (await browser.get('/audit')).status, csv: (await browser.get('/audit.csv')).status }).toEqual({ role, page: 403, csv: 403 });
  }
});
