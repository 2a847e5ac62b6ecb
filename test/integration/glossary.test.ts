import { ROLES } from '../../server/auth/policy.js';
import { Browser, loggedIn, startTestApp, TEST_PASSPHRASE, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { answeredAndScored, campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import { answerUnit, startSurvey } from '../support/survey.js';

/**
 * Vietnamese pages speak Vietnamese (issue 25): over every page each role can open, in Vietnamese, no raw
 * identifier of the code (stage, block, role or type codes, message keys, questionnaire keys, `undefined`)
 * and no English word of the interface shows as text. Codes meant to be read — hashes, access codes,
 * question codes — sit in <code> elements, which are left out, as are scripts and styles.
 */
let t: TestApp;
let fw: FieldworkCampaign;
beforeAll(async () => {
  t = await startTestApp();
  fw = await campaignInFieldwork(t.db, 'Lạng Sơn', ['SXD', 'STC', 'HCL'], { perUnit: 6, design: { minPerUnit: 6, maxPerUnit: 6 } });
  const respondent = new Browser(t.app);
  await startSurvey(respondent, fw.invitations[0]!.code);
  await answerUnit(respondent, fw.invitations[0]!.units[0]!);
}, 120_000);
afterAll(() => t.close());

/** Raw identifiers of the code base that must never reach a reader as text. */
const RAW = [
  /\b(draft|sampling|fieldwork|unsealed|published|provincial|commune|likert5|yesno|enumerator|observer|undefined|NaN|null)\b/,
  /\b[a-z]+(?:\.[a-z][A-Za-z]+){1,3}\b/, // a message key that was never translated: dashboard.status.atRisk
  /\b[a-z]+-\d{4}\.\d+\b/, // a questionnaire key: department-2026.1
  /\[object Object\]/,
];
/** English words of the interface that a Vietnamese page would show if a string were left untranslated. */
const ENGLISH = /\b(Submit|Save|Cancel|Download|Upload|Error|Back|Next|Loading|None|Total|Status|Block|Lifecycle|Draft|Campaign|Fieldwork|Results|Report|Settings|Questionnaire|Methodology|Weight|Pillar|Indicator|Approve|Preview|Invitations?|Reminders?|Responses?|Committee|Sample|Frame|Unit|Units)\b/;

/**
 * What a reader sees of the interface: the page's text without scripts, styles, identifiers meant to be read
 * (<code>), what was typed into fields (<textarea>, values), content marked as English (`lang="en"`, such as
 * a unit's English name) or as a name not to translate (`translate="no"`, a person's); entities decoded.
 */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style|code|pre|textarea)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<(\w+)\b[^>]*\b(?:lang="en"|translate="no")[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;|&gt;|&#x3D;/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\S+@\S+/g, ' ')
    .replace(/\s+/g, ' ');
}

/** Each raw identifier or English word a page shows as text, with where. */
function untranslated(path: string, html: string): string[] {
  const text = visibleText(html);
  return [...RAW, ENGLISH].flatMap((pattern) => {
    const hit = pattern.exec(text);
    return hit ? [`${path}: “${hit[0]}” in “…${text.slice(Math.max(0, hit.index - 50), hit.index + 50)}…”`] : [];
  });
}

const pagesFor = (id: string) => [
  '/',
  '/campaigns',
  `/campaigns/${id}`,
  `/campaigns/${id}/sampling`,
  `/campaigns/${id}/invitations`,
  `/campaigns/${id}/invitations/calls`,
  `/campaigns/${id}/responses`,
  `/campaigns/${id}/transparency`,
  `/campaigns/${id}/unseal`,
  `/campaigns/${id}/entry`,
  '/design',
  '/design/methodology/2026.3',
  '/design/methodology/2026.3/indicators/I-A1',
  '/design/questionnaire/department-2026.1',
  '/design/questionnaire/department-2026.1/questions/A1',
  '/design/questionnaire/department-2026.1/preview',
  '/design/diff/methodology?from=2026.2&to=2026.3',
  '/staff',
  '/audit',
  '/account/password',
  '/committee/keys',
  '/lists',
];

test.each([...ROLES])('%s: every page it may open speaks Vietnamese', async (role) => {
  const { browser } = await loggedIn(t.app, t.db, role);
  const found: string[] = [];
  for (const path of pagesFor(fw.campaignId)) {
    const res = await browser.get(path);
    if (res.status !== 200 || !res.type.includes('html')) continue;
    found.push(...untranslated(path, res.text));
  }
  expect(found).toEqual([]);
});

test('the public pages and the survey speak Vietnamese too', async () => {
  const anyone = new Browser(t.app);
  const found: string[] = [];
  for (const path of ['/login', '/survey', `/campaigns/${fw.campaignId}/transparency`]) {
    found.push(...untranslated(path, (await anyone.get(path)).text));
  }
  const respondent = new Browser(t.app);
  await startSurvey(respondent, fw.invitations[1]!.code);
  for (const path of ['/survey/units', `/survey/units/${fw.invitations[1]!.units[0]}`]) {
    found.push(...untranslated(path, (await respondent.get(path)).text));
  }
  expect(found).toEqual([]);
});

test('the published results speak Vietnamese: the ranking, a unit’s profile, the method, the codebook, the report', async () => {
  const { fw: scored } = await answeredAndScored(t, 'Cao Bằng', '2026.3', { SXD: 'provincial', STC: 'provincial', SCT: 'provincial' });
  const chair = new Browser(t.app);
  await chair.login(scored.members[0]!.username, TEST_PASSWORD);
  expect((await chair.post(`/campaigns/${scored.campaignId}/publish`, { passphrase: TEST_PASSPHRASE, confirm: 'yes' })).status).toBe(303);
  const anyone = new Browser(t.app);
  const found: string[] = [];
  const base = `/campaigns/${scored.campaignId}`;
  for (const path of [`${base}/results`, `${base}/results/units/SXD`, `${base}/results/methodology`, `${base}/results/codebook`, `${base}/report`, `${base}/transparency`]) {
    const res = await anyone.get(path);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    found.push(...untranslated(path, res.text));
  }
  expect(found).toEqual([]);
}, 180_000);
