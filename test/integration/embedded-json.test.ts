import { and, eq } from 'drizzle-orm';
import { units } from '../../server/db/schema.js';
import { Browser, loggedIn, startTestApp, type TestApp } from '../support/app.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import { startSurvey } from '../support/survey.js';

/**
 * Every page that embeds data for its scripts (`<script type="application/json">`) goes through one
 * helper (embeddedJson): a unit whose name holds `</script>` cannot end the element or add markup.
 */
let t: TestApp;
let fw: FieldworkCampaign;
const HOSTILE = 'Sở </script><script>alert(1)</script><!-- & >';

beforeAll(async () => {
  t = await startTestApp();
  fw = await campaignInFieldwork(t.db, 'Nhúng', ['SXD', 'HCL'], { perUnit: 3 });
  await t.db.update(units).set({ nameVi: HOSTILE }).where(and(eq(units.campaignId, fw.campaignId), eq(units.code, 'SXD')));
}, 120_000);
afterAll(() => t.close());

/** The text of each `<script type="application/json">` up to the first `</script>`, as a browser cuts it. */
const embedded = (html: string) => [...html.matchAll(/<script type="application\/json" id="([\w-]+)">([\s\S]*?)<\/script>/gi)].map((m) => ({ id: m[1]!, text: m[2]! }));

test('the response-rate page carries the hostile unit name inside its chart data, intact and inert', async () => {
  const { browser } = await loggedIn(t.app, t.db, 'admin');
  const page = await browser.get(`/campaigns/${fw.campaignId}/responses`);
  expect(page.status).toBe(200);
  const [chart] = embedded(page.text).filter((s) => s.id === 'chart-data');
  expect(chart).toBeDefined();
  expect(JSON.parse(chart!.text).units.map((u: { label: string }) => u.label)).toContain(HOSTILE);
  expect(page.text).not.toContain('<script>alert(1)');
});

test('the survey form’s answer schema parses whole from its script element', async () => {
  const browser = new Browser(t.app);
  await startSurvey(browser, fw.invitations[0]!.code);
  const form = await browser.get(`/survey/units/${fw.invitations[0]!.units[0]}`);
  const [schema] = embedded(form.text).filter((s) => s.id === 'answer-schema');
  expect(JSON.parse(schema!.text)).toMatchObject({ type: 'object' });
});
