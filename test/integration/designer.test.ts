import { and, asc, eq, like, sql } from 'drizzle-orm';
import { auditLog, surveyVersions } from '../../server/db/schema.js';
import { canonicalJson } from '../../server/audit/chain.js';
import { createCampaign } from '../../server/campaigns/index.js';
import { documentHash, type ApprovalRecord } from '../../server/design/index.js';
import { questionsOf, shippedCatalog, type Methodology, type Questionnaire } from '../../server/questionnaires/index.js';
import { verifyEd25519 } from '../../server/sealing/index.js';
import { Browser, createAccount, loggedIn, startTestApp, TEST_PASSPHRASE, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { answeredAndScored, campaignInFieldwork } from '../support/fieldwork.js';
import { provinceSheets, workbookOf } from '../support/province-workbook.js';
import { formOf, startSurvey } from '../support/survey.js';
import { randomAnswers, seededRandom } from '../../server/responses/simulate.js';

/**
 * A province shapes next year's survey without a developer (docs/designer.md): a version started from this
 * year's, edited in the designer's pages, approved by the chair, pinned by a campaign, answered and scored;
 * and another province's index imported from its workbook runs a campaign of its own.
 */
let t: TestApp;
let admin: Browser;
let chair: Awaited<ReturnType<typeof createAccount>>;
beforeAll(async () => {
  t = await startTestApp();
  admin = (await loggedIn(t.app, t.db, 'admin')).browser;
  chair = await createAccount(t.db, 'chair');
});
afterAll(() => t.close());

const VERSION = '2032.1';
const FORM = `department-${VERSION}`;

/** The question form's fields as the page shows them, with some changed. */
function questionForm(q: Questionnaire['sections'][number]['questions'][number], changes: Record<string, string>) {
  return {
    code: q.code,
    type: q.type,
    textVi: q.text.vi,
    textEn: q.text.en,
    ...(q.required ? { required: 'on' } : {}),
    ...(q.dontKnow ? { dontKnow: 'on' } : {}),
    options: (q.options ?? []).map((o) => `${o.code} | ${o.label.vi} | ${o.label.en}`).join('\n'),
    min: q.min === undefined ? '' : String(q.min),
    max: q.max === undefined ? '' : String(q.max),
    maxLength: q.maxLength === undefined ? '' : String(q.maxLength),
    unitVi: q.unit?.vi ?? '',
    unitEn: q.unit?.en ?? '',
    ...changes,
  };
}

const stored = async (kind: string, key: string) => (await t.db.select().from(surveyVersions).where(and(eq(surveyVersions.kind, kind), eq(surveyVersions.key, key))))[0];

describe('a version made in the designer pages', () => {
  test('started from this year’s, every copy a draft with its hash; the installed files stay read-only', async () => {
    const page = await admin.get('/design');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Cài sẵn (chỉ đọc)');
    const started = await admin.post('/design/start', { from: 'methodology:2026.3', version: VERSION });
    expect(started.status).toBe(303);
    expect(started.headers.location).toBe(`/design/methodology/${VERSION}`);
    const methodology = (await stored('methodology', VERSION))!;
    expect(methodology.status).toBe('draft');
    expect((methodology.document as unknown as Methodology).blocks.map((b) => b.questionnaire)).toEqual([FORM, `central-${VERSION}`, `commune-${VERSION}`]);
    expect((await stored('questionnaire', FORM))!.document).toEqual({ ...shippedCatalog().questionnaires.get('department-2026.1'), $schema: undefined, version: VERSION });
    // Twice is refused; an installed file cannot be edited.
    expect((await admin.post('/design/start', { from: 'methodology:2026.3', version: VERSION })).text).toContain(`Phiên bản ${FORM} đã có.`);
    const shippedEdit = await admin.post('/design/questionnaire/department-2026.1/questions/A1', questionForm(questionsOf(shippedCatalog().questionnaires.get('department-2026.1')!).find((q) => q.code === 'A1')!, {}));
    expect(shippedEdit.status).toBe(422);
    expect(shippedEdit.text).toContain('Phiên bản cài sẵn chỉ đọc');
  });

  test('a question reworded, one added with a display rule, a weight moved; nothing invalid is saved', async () => {
    const form = () => stored('questionnaire', FORM).then((r) => r!.document as unknown as Questionnaire);
    const a1 = (await form()).sections[1]!.questions[0]!;
    expect(a1.code).toBe('A1');
    const reworded = await admin.post(`/design/questionnaire/${FORM}/questions/A1`, questionForm(a1, { textVi: 'Thủ tục hành chính của đơn vị được công khai đầy đủ, dễ tìm, dễ hiểu.' }));
    expect(reworded.status).toBe(303);
    expect(questionsOf(await form()).find((q) => q.code === 'A1')!.text.vi).toBe('Thủ tục hành chính của đơn vị được công khai đầy đủ, dễ tìm, dễ hiểu.');

    // A rule on a question that is not before it: the message sits beside the rule's field, nothing stored.
    const before = await form();
    const bad = await admin.post(`/design/questionnaire/${FORM}/questions/new`, { section: 'A', code: 'A9', type: 'yesno', textVi: 'Đơn vị có hướng dẫn trực tuyến không?', textEn: 'Does the unit guide you online?', required: 'on', showIfQuestion: 'K4', showIfAnswers: '5' });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/<label>Chỉ hỏi sau câu[\s\S]*không có câu hỏi K4 trước câu này/);
    expect(await form()).toEqual(before);

    const added = await admin.post(`/design/questionnaire/${FORM}/questions/new`, { section: 'A', code: 'A9', type: 'yesno', textVi: 'Đơn vị có hướng dẫn trực tuyến không?', textEn: 'Does the unit guide you online?', required: 'on', showIfQuestion: 'A1', showIfAnswers: '4 5' });
    expect(added.status).toBe(303);
    expect(questionsOf(await form()).find((q) => q.code === 'A9')).toEqual({ code: 'A9', type: 'yesno', text: { vi: 'Đơn vị có hướng dẫn trực tuyến không?', en: 'Does the unit guide you online?' }, required: true, dontKnow: false, showIf: { question: 'A1', anyOf: ['4', '5'] } });

    // A new section: the details form names it, its first question brings it into the form.
    const details = { titleVi: 'Phiếu khảo sát DDCI 2032 — sở, ban, ngành', titleEn: 'DDCI 2032 questionnaire — departments', introVi: '', introEn: '', newCode: 'L', newVi: 'Chuyển đổi số', newEn: 'Digital transformation' } as Record<string, string>;
    for (const s of (await form()).sections) Object.assign(details, { [`section.${s.code}.vi`]: s.title.vi, [`section.${s.code}.en`]: s.title.en });
    const named = await admin.post(`/design/questionnaire/${FORM}/details`, details);
    expect(named.status).toBe(303);
    expect(named.headers.location).toBe(`/design/questionnaire/${FORM}/questions/new?section=L&sectionVi=Chuy%E1%BB%83n+%C4%91%E1%BB%95i+s%E1%BB%91&sectionEn=Digital+transformation`);
    expect((await admin.get(named.headers.location!)).text).toContain('<strong>L. Chuyển đổi số</strong>');
    const first = await admin.post(`/design/questionnaire/${FORM}/questions/new`, { section: 'L', sectionVi: 'Chuyển đổi số', sectionEn: 'Digital transformation', code: 'L1', type: 'likert5', textVi: 'Đơn vị giải quyết hồ sơ trực tuyến toàn trình.', textEn: 'The unit handles files fully online.', required: 'on', dontKnow: 'on' });
    expect(first.status).toBe(303);
    const withSection = await form();
    expect(withSection.title.vi).toBe('Phiếu khảo sát DDCI 2032 — sở, ban, ngành');
    expect(withSection.intro).toBeUndefined();
    expect(withSection.sections.at(-1)).toMatchObject({ code: 'L', title: { vi: 'Chuyển đổi số', en: 'Digital transformation' }, questions: [{ code: 'L1' }] });

    // Weights as percentages: not summing to 100 is refused, with the sum; then P1 20 %, P4 5 %.
    const m = (await stored('methodology', VERSION))!.document as unknown as Methodology;
    const weights = (changes: Record<string, string>) => {
      const body: Record<string, string> = {};
      for (const b of m.blocks) for (const p of m.pillars) body[`weight.${b.code}.${p.code}`] = b.weights[p.code] === undefined ? '' : String(Math.round(b.weights[p.code]! * 1000) / 10);
      return { ...body, ...changes };
    };
    const unbalanced = await admin.post(`/design/methodology/${VERSION}/weights`, weights({ 'weight.provincial.P1': '20' }));
    expect(unbalanced.status).toBe(422);
    expect(unbalanced.text).toContain('tổng trọng số là 1.05, không phải 1');
    const moved = await admin.post(`/design/methodology/${VERSION}/weights`, weights({ 'weight.provincial.P1': '20', 'weight.provincial.P4': '5' }));
    expect(moved.status).toBe(303);
    expect(((await stored('methodology', VERSION))!.document as unknown as Methodology).blocks[0]!.weights).toMatchObject({ P1: 0.2, P4: 0.05 });

    // What changed, in words; the audit log has each save.
    const diff = await admin.get(`/design/diff/questionnaire?from=department-2026.1&to=${FORM}`);
    expect(diff.text).toContain('Câu A1 đổi cách hỏi');
    expect(diff.text).toContain('Thêm câu A9: “Đơn vị có hướng dẫn trực tuyến không?”');
    const audit = await t.db.select().from(auditLog).where(like(auditLog.action, 'design.%')).orderBy(asc(auditLog.seq));
    expect(audit.map((r) => `${r.action} ${r.subject}`)).toEqual(expect.arrayContaining([`design.started methodology:${VERSION}`, `design.saved questionnaire:${FORM}`, `design.saved methodology:${VERSION}`]));
  });

  test('others may read, only administrators edit, only the chair approves; a draft cannot be pinned', async () => {
    const observer = (await loggedIn(t.app, t.db, 'observer')).browser;
    expect((await observer.get(`/design/methodology/${VERSION}`)).status).toBe(200);
    expect((await observer.post(`/design/methodology/${VERSION}/weights`, {})).status).toBe(403);
    const enumerator = (await loggedIn(t.app, t.db, 'enumerator')).browser;
    expect((await enumerator.get('/design')).status).toBe(403);
    expect((await admin.post(`/design/methodology/${VERSION}/approve`, { passphrase: TEST_PASSPHRASE })).status).toBe(403);
    const draftPin = await createCampaign(t.db, 'test', { province: 'Nháp', year: 2032, title: 'DDCI nháp', methodologyVersion: VERSION });
    expect(draftPin).toEqual({ ok: false, error: { key: 'campaigns.unknownMethodology', params: { version: VERSION } } });
  });

  test('the chair approves with a signed record; from then on the version never changes', async () => {
    const browser = new Browser(t.app);
    await browser.login(chair.username, TEST_PASSWORD);
    expect((await browser.post(`/design/methodology/${VERSION}/approve`, { passphrase: 'not the passphrase at all' })).status).toBe(409);
    expect((await browser.post(`/design/methodology/${VERSION}/approve`, { passphrase: TEST_PASSPHRASE })).status).toBe(303);
    const row = (await stored('methodology', VERSION))!;
    const approval = row.approval as unknown as ApprovalRecord;
    expect(row.status).toBe('approved');
    expect(approval.methodology.hash).toBe(documentHash(row.document));
    expect(approval.questionnaires.map((q) => q.key)).toEqual([FORM, `central-${VERSION}`, `commune-${VERSION}`]);
    expect(verifyEd25519(Buffer.from(approval.signingPublic, 'hex'), Buffer.from(canonicalJson(approval), 'utf8'), Buffer.from(row.signature!, 'base64'))).toBe(true);
    expect(((await stored('questionnaire', FORM))!).status).toBe('approved');

    const a9 = questionsOf((await stored('questionnaire', FORM))!.document as unknown as Questionnaire).find((q) => q.code === 'A9')!;
    const refused = await admin.post(`/design/questionnaire/${FORM}/questions/A9`, questionForm(a9, { textVi: 'Đổi sau khi duyệt' }));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(`Phiên bản ${FORM} đã phê duyệt và không thay đổi được`);
    // The database itself refuses (the driver puts PostgreSQL's message in the error's cause).
    const refusal = (query: ReturnType<typeof sql>) => t.db.execute(query).then(() => 'changed', (e: Error & { cause?: Error }) => e.cause?.message ?? e.message);
    expect(await refusal(sql`update survey_versions set document = '{}'::jsonb where kind = 'questionnaire' and key = ${FORM}`)).toMatch(/approved and cannot change/);
    expect(await refusal(sql`delete from survey_versions where kind = 'methodology' and key = ${VERSION}`)).toMatch(/approved and cannot change/);
  });

  test('pinned by a campaign: the form has the new question and its rule, the scores use the new weights', async () => {
    let seed = 7;
    // A1 = 2 hides A9: what the form still sends for it is dropped, and the response is stored.
    const { results, fw: { campaignId } } = await answeredAndScored(t, 'Thiết Kế', VERSION, { SXD: 'provincial', STC: 'provincial', SCT: 'provincial' }, (schema) => ({ ...randomAnswers(schema, seededRandom(seed++)), A1: '2', A9: 'yes' }));
    const m = shippedCatalog().methodologies.get(VERSION)!;
    expect(m.blocks[0]!.weights.P1).toBe(0.2);
    for (const unit of results.result.units.filter((u) => u.composite !== null)) {
      const weighted = unit.pillars.reduce((sum, p) => sum + (m.blocks[0]!.weights[p.code] ?? 0) * p.score!, 0) * m.composite.scale;
      expect(unit.composite).toBeCloseTo(weighted, 9);
    }
    expect(results.result.units.filter((u) => u.composite !== null)).toHaveLength(3);
    const transparency = await new Browser(t.app).get(`/campaigns/${campaignId}/transparency`);
    expect(transparency.text).toContain(documentHash(m));
  }, 240_000);

  test('the form a business gets: the reworded question, the new one shown only after A1 is 4 or 5', async () => {
    const fw = await campaignInFieldwork(t.db, 'Biểu Mẫu', ['SXD'], { perUnit: 2, design: { minPerUnit: 2, maxPerUnit: 2 }, methodologyVersion: VERSION, block: () => 'provincial' });
    const browser = new Browser(t.app);
    await startSurvey(browser, fw.invitations[0]!.code);
    const page = await browser.get('/survey/units/SXD');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Thủ tục hành chính của đơn vị được công khai đầy đủ, dễ tìm, dễ hiểu.');
    const rule = /id="q-A9"[^>]*data-show-if="([^"]+)"/.exec(page.text)![1]!.replaceAll('&quot;', '"');
    expect(JSON.parse(rule)).toEqual({ question: 'A1', anyOf: ['4', '5'] });
    const { nonce, schema } = formOf(page.text);
    const answers: Record<string, string> = {};
    for (const [code, rule] of Object.entries(schema.properties)) if (schema.required.includes(code)) answers[code] = (rule as { enum?: string[] }).enum?.[0] ?? (code.startsWith('B1') ? '3' : '1');
    // A1 = 5 asks A9, which is required: refused, naming it.
    const missing = await browser.post('/survey/units/SXD', { _nonce: nonce, ...answers, A1: '5' });
    expect(missing.status).toBe(422);
    expect(missing.text).toMatch(/id="e-A9">Vui lòng trả lời câu hỏi này/);
  });
});

describe('another province’s index, from its workbook', () => {
  test('imported in the designer, approved, runs a campaign of its own', async () => {
    const upload = (buffer: Buffer) => admin.agent.post(`/design/import?_csrf=${admin.currentToken()}`).attach('workbook', buffer, 'dong-thap.xlsx');
    await admin.get('/design');
    const broken = provinceSheets();
    broken.survey[10]![7] = "${B9} = 'yes'";
    const refused = await upload(await workbookOf(broken));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Trang survey, dòng 11, cột relevant: không có câu hỏi B9 trước câu này');
    expect(await stored('methodology', '2031.1')).toBeUndefined();

    const imported = await upload(await workbookOf(provinceSheets()));
    expect(imported.status).toBe(303);
    expect((await stored('questionnaire', 'dongthap-so-2031.1'))!.status).toBe('draft');
    const browser = new Browser(t.app);
    await browser.login(chair.username, TEST_PASSWORD);
    expect((await browser.post('/design/methodology/2031.1/approve', { passphrase: TEST_PASSPHRASE })).status).toBe(303);

    const { results, microdata } = await answeredAndScored(t, 'Đồng Tháp', '2031.1', { SNN: 'so-nganh', SYT: 'so-nganh', SGD: 'so-nganh' });
    expect(microdata.methodology).toBe('2031.1');
    const ranked = results.result.units.filter((u) => u.rank !== null);
    expect(ranked).toHaveLength(3);
    expect(ranked.every((u) => u.pillars.map((p) => p.code).join() === 'P1,P2,P3,P4')).toBe(true);
    expect(ranked.every((u) => u.tier !== null)).toBe(true);
  }, 240_000);
});
