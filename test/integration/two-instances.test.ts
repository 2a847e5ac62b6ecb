import superagent from 'superagent';
import { openDatabase, type Database } from '../../server/db/client.js';
import { randomAnswers, seededRandom } from '../../server/responses/simulate.js';
import { csrfFrom, formBody, TEST_PASSPHRASE, TEST_PASSWORD } from '../support/app.js';
import { freshDatabase, onServer } from '../support/database.js';
import { campaignInFieldwork, type FieldworkCampaign } from '../support/fieldwork.js';
import { startInstance, type Instance } from '../support/instances.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { formOf } from '../support/survey.js';

/**
 * Two app processes on one PostgreSQL, as behind a load balancer without sticky sessions: every request of
 * a person may land on either. Sessions, guessing limits, submissions and the whole unsealing — approvals
 * given on different instances, the run started on one and followed on the other — work across them.
 * On the PostgreSQL server of the run (TEST_DATABASE_URL) or, on the embedded run, a cluster of its own.
 */
const LOGIN_LIMIT = 5;

/** One person's browser, whose requests go to whichever instance is named: one cookie jar for both (same host). */
class Person {
  private readonly agent = superagent.agent();
  private token: string | undefined;

  async get(instance: Instance, path: string) {
    const res = await this.agent.get(instance.url + path).redirects(0).ok(() => true);
    if (res.type === 'text/html' && /csrf-token" content="[^"]+"/.test(res.text)) this.token = csrfFrom(res.text);
    return res;
  }

  async post(instance: Instance, path: string, fields: Record<string, string | number | string[]> = {}) {
    if (!this.token) await this.get(instance, '/');
    const res = await this.agent.post(instance.url + path).type('form').send(formBody({ _csrf: this.token!, ...fields })).redirects(0).ok(() => true);
    if (res.type === 'text/html' && /csrf-token" content="[^"]+"/.test(res.text)) this.token = csrfFrom(res.text);
    return res;
  }

  async login(instance: Instance, username: string) {
    const res = await this.post(instance, '/login', { username, password: TEST_PASSWORD });
    this.token = undefined;
    return res;
  }
}

let database: Database;
let ownCluster: PrivatePostgres | undefined;
let a: Instance;
let b: Instance;
let fw: FieldworkCampaign;

beforeAll(async () => {
  if (onServer) database = await freshDatabase();
  else {
    ownCluster = startPrivatePostgres();
    database = await openDatabase({ url: ownCluster.url });
    await database.migrate();
  }
  const url = onServer ? (database as Awaited<ReturnType<typeof freshDatabase>>).env.DATABASE_URL! : ownCluster!.url;
  fw = await campaignInFieldwork(database.db, 'Cao Bằng', ['SXD', 'STC', 'HCB'], { perUnit: 8, design: { minPerUnit: 8, maxPerUnit: 8 } });
  const env = { DATABASE_URL: url, LOGIN_RATE_LIMIT: String(LOGIN_LIMIT) };
  [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.close();
  ownCluster?.destroy();
});

test('sessions, limits, submissions and the whole unsealing pass from one instance to the other', async () => {
  const campaign = `/campaigns/${fw.campaignId}`;
  // A session opened on one instance is the same session on the other; signing out on the other ends it.
  const admin = new Person();
  expect((await admin.login(a, fw.admin.username)).status).toBe(303);
  expect((await admin.get(b, campaign)).text).toContain('DDCI Cao Bằng 2026');
  const [chair, member] = [new Person(), new Person()];
  expect((await chair.login(b, fw.members[0]!.username)).status).toBe(303);
  expect((await member.login(a, fw.members[1]!.username)).status).toBe(303);

  // Respondents: the code entered on one instance, the form read on the other, the answer sent to either.
  let answered = 0;
  for (const [i, invitation] of fw.invitations.slice(0, 12).entries()) {
    const [first, second] = i % 2 ? [a, b] : [b, a];
    const respondent = new Person();
    expect((await respondent.post(first, '/survey', { code: invitation.code })).status).toBe(303);
    const unit = invitation.units[0]!;
    const form = await respondent.get(second, `/survey/units/${unit}`);
    expect(form.status).toBe(200);
    const { nonce, schema } = formOf(form.text);
    const sent = await respondent.post(first, `/survey/units/${unit}`, { _nonce: nonce, ...randomAnswers(schema, seededRandom(i + 1)) });
    expect(sent.status).toBe(303);
    // The same form sent again, to the other instance: stored once.
    expect((await respondent.post(second, `/survey/units/${unit}`, { _nonce: nonce, ...randomAnswers(schema, seededRandom(i + 1)) })).status).toBe(303);
    answered++;
  }
  const monitoring = await admin.get(a, `${campaign}/responses`);
  expect(monitoring.text).toContain(`"answers":${answered}}`); // every answer counted once, whichever instance took it

  // Wrong passwords spread over both instances, all at once: exactly the limit get an answer, the rest 429.
  const guesses = await Promise.all(
    Array.from({ length: 20 }, (_, i) => new Person().post(i % 2 ? a : b, '/login', { username: fw.admin.username, password: `wrong ${i}` })),
  );
  expect(guesses.filter((g) => g.status !== 429)).toHaveLength(LOGIN_LIMIT);
  expect((await new Person().login(b, fw.admin.username)).status).toBe(429); // the window holds on both

  // Closing on the other instance takes every pending envelope out of the mixing layer (one shared secret).
  expect((await admin.post(b, `${campaign}/transition`, { to: 'closed', confirm: 'yes' })).status).toBe(303);
  const bulletin = (await admin.get(a, `/campaigns/${fw.campaignId}/bulletin.json`)).body as { receipts: string[] };
  expect(bulletin.receipts).toHaveLength(answered);

  // Approvals given on different instances make the quorum on both; the run starts on one, is followed on the other.
  expect((await chair.post(a, `${campaign}/unseal`, { passphrase: TEST_PASSPHRASE })).text).toContain('Đã đồng ý: 1 trên 2 thành viên cần thiết');
  const quorum = await member.post(b, `${campaign}/unseal`, { passphrase: TEST_PASSPHRASE });
  expect(quorum.text).toContain('Đã đủ số thành viên đồng ý');
  expect((await chair.get(a, `${campaign}/unseal`)).text).toContain('Đã đủ số thành viên đồng ý');
  expect((await chair.post(a, `${campaign}/unseal/run`)).status).toBe(303);
  let page = await member.get(b, `${campaign}/unseal`);
  for (let i = 0; i < 600 && page.text.includes('http-equiv="refresh"'); i++) {
    await new Promise((r) => setTimeout(r, 200));
    page = await member.get(b, `${campaign}/unseal`);
  }
  expect(page.text).toContain('Kết quả đã được tính và niêm phong cho Hội đồng.');

  // The chair reads on one instance and publishes on the other; the public report is on both.
  expect((await chair.post(b, `${campaign}/results/sealed`, { passphrase: TEST_PASSPHRASE })).status).toBe(200);
  expect((await chair.post(a, `${campaign}/publish`, { passphrase: TEST_PASSPHRASE, confirm: 'yes' })).status).toBe(303);
  for (const instance of [a, b]) {
    const results = await new Person().get(instance, `${campaign}/results`);
    expect(results.status).toBe(200);
    expect(results.text).toContain('Đơn vị SXD');
  }
  // Every answer is in the microdata, or counted among a unit's withheld ones (units under the minimum).
  const microdata = (await new Person().get(b, `${campaign}/microdata.json`)).body as { responses: unknown[]; disclosure: { withheld: { respondents: number }[] } };
  expect(microdata.responses.length + microdata.disclosure.withheld.reduce((n, w) => n + w.respondents, 0)).toBe(answered);
}, 300_000);
