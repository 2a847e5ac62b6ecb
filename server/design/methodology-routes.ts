import { Router, type Request, type Response } from 'express';
import { can } from '../auth/policy.js';
import { notFound } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { PERCENT_SPACE } from '../i18n/format.js';
import { translate, type Message } from '../i18n/index.js';
import { answerCodes, questionsOf, type Methodology, type Questionnaire } from '../questionnaires/index.js';
import { methodologyChanges } from '../questionnaires/diff.js';
import {
  indicatorFields,
  indicatorFromForm,
  indicatorProblems,
  settingsField,
  settingsFields,
  settingsFromForm,
  weightPercent,
  weightsFromForm,
  type FieldErrors,
} from './forms.js';
import * as design from './service.js';
import type { DesignerPages } from './pages.js';

/** A methodology's pages: its blocks and weights, indicators, settings, pillars and tiers; the chair's approval. */
export function methodologyRoutes(router: Router, pages: DesignerPages): void {
  const { db, catalog, view, edit, approve, versionOf, mayEdit, problemList } = pages;

  async function renderMethodology(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const version = await versionOf(req, 'methodology');
    const m = version.document as Methodology;
    const wording = async (key: string) => (await design.findDesign(db, catalog, 'questionnaire', key))?.document as Questionnaire | undefined;
    const questionnaires = new Map<string, Questionnaire | undefined>();
    for (const block of m.blocks) if (!questionnaires.has(block.questionnaire)) questionnaires.set(block.questionnaire, await wording(block.questionnaire));
    const textOf = (code: string) => {
      for (const q of questionnaires.values()) {
        const found = q && questionsOf(q).find((x) => x.code === code);
        if (found) return found.text[req.lang];
      }
      return '';
    };
    const based = version.basedOn?.startsWith('methodology:') ? await design.findDesign(db, catalog, 'methodology', version.basedOn.slice('methodology:'.length)) : undefined;
    const sent = (extra.values as Record<string, unknown> | undefined) ?? {};
    res.status(status).render('pages/design-methodology', {
      version: { ...version, href: `/design/methodology/${encodeURIComponent(version.key)}` },
      m,
      pillars: m.pillars.map((p) => ({ code: p.code, name: p.name[req.lang] })),
      blocks: m.blocks.map((b) => ({
        code: b.code,
        name: b.name[req.lang],
        questionnaire: b.questionnaire,
        questionnaireHref: `/design/questionnaire/${encodeURIComponent(b.questionnaire)}`,
        questionnaireTitle: questionnaires.get(b.questionnaire)?.title[req.lang] ?? b.questionnaire,
        total: weightPercent(Object.values(b.weights).reduce((a, w) => a + w, 0)),
        weights: m.pillars.map((p) => {
          const name = `weight.${b.code}.${p.code}`;
          return { name, pillar: p.code, pillarName: p.name[req.lang], value: typeof sent[name] === 'string' ? sent[name] : weightPercent(b.weights[p.code]) };
        }),
        tiers: b.tiers.bands.map((band) => ({ label: band.label[req.lang], at: 'min' in band ? `≥ ${band.min}` : `≤ ${Math.round(band.upTo * 100)}${PERCENT_SPACE}%` })),
        scheme: b.tiers.scheme,
      })),
      indicators: m.indicators.map((i) => ({ ...i, href: `/design/methodology/${encodeURIComponent(version.key)}/indicators/${encodeURIComponent(i.code)}`, wording: textOf(i.question), pillarName: m.pillars.find((p) => p.code === i.pillar)?.name[req.lang], favourable: i.favourable?.join(', '), bounds: m.normalisation.fixedBounds?.[i.code]?.join('–'), comparable: i.comparable?.reason[req.lang] })),
      settings: { ...settingsFields(m), ...(extra.settingsValues as Record<string, string> | undefined) },
      changes: based ? methodologyChanges(based.document as Methodology, m) : [],
      basedOn: based?.key,
      campaigns: await design.campaignsPinning(db, version.key),
      approval: version.row?.approval,
      mayEdit: mayEdit(req, version.status),
      mayApprove: version.status === 'draft' && can(req.staff!.role, 'design.approve'),
      ...extra,
    });
  }

  router.get('/design/methodology/:key', view, (req, res) => renderMethodology(req, res));

  router.post('/design/methodology/:key/weights', edit, async (req, res) => {
    const version = await versionOf(req, 'methodology');
    const { methodology, errors } = weightsFromForm(version.document as Methodology, req.body);
    if (Object.keys(errors).length) return renderMethodology(req, res, { errors, values: req.body }, 422);
    const saved = await design.saveDraft(db, catalog, req.staff!, 'methodology', version.key, methodology);
    if (!saved.ok) return renderMethodology(req, res, { problem: saved.error, problems: 'problems' in saved ? problemList(saved.problems) : [], values: req.body }, 422);
    flash(res, { key: 'designer.saved' });
    res.redirect(303, `/design/methodology/${encodeURIComponent(version.key)}`);
  });

  router.post('/design/methodology/:key/settings', edit, async (req, res) => {
    const version = await versionOf(req, 'methodology');
    const { methodology, errors } = settingsFromForm(version.document as Methodology, req.body);
    if (Object.keys(errors).length) return renderMethodology(req, res, { errors, settingsValues: req.body }, 422);
    const saved = await design.saveDraft(db, catalog, req.staff!, 'methodology', version.key, methodology);
    if (!saved.ok) {
      const problems = 'problems' in saved ? saved.problems : [];
      const placed: FieldErrors = {};
      for (const p of problems) {
        const name = settingsField(methodology, p.path);
        if (name) placed[name] ??= p.message;
      }
      return renderMethodology(req, res, { problem: saved.error, errors: placed, problems: problemList(problems.filter((p) => !settingsField(methodology, p.path))), settingsValues: req.body }, 422);
    }
    flash(res, { key: 'designer.saved' });
    res.redirect(303, `/design/methodology/${encodeURIComponent(version.key)}`);
  });

  async function renderIndicator(req: Request, res: Response, extra: { fields?: Record<string, unknown>; errors?: FieldErrors; problems?: unknown[]; problem?: Message } = {}, status = 200) {
    const version = await versionOf(req, 'methodology');
    const m = version.document as Methodology;
    const code = String(req.params.code);
    const isNew = code === 'new';
    if (!isNew && !m.indicators.some((i) => i.code === code)) throw notFound('designer.notFound');
    const questions = new Map<string, { code: string; text: string }>();
    for (const key of new Set(m.blocks.map((b) => b.questionnaire))) {
      const found = (await design.findDesign(db, catalog, 'questionnaire', key))?.document as Questionnaire | undefined;
      for (const q of found ? questionsOf(found) : []) if (q.type !== 'text' && !questions.has(q.code)) questions.set(q.code, { code: q.code, text: `${q.text[req.lang]} (${q.type === 'number' ? translate(req.lang, 'designer.type.number') : answerCodes(found!, q).join(' ')})` });
    }
    res.status(status).render('pages/design-indicator', {
      version: { ...version, href: `/design/methodology/${encodeURIComponent(version.key)}` },
      isNew,
      fields: extra.fields ?? indicatorFields(m, isNew ? undefined : code),
      questions: [...questions.values()],
      pillars: m.pillars.map((p) => ({ code: p.code, name: p.name[req.lang] })),
      mayEdit: mayEdit(req, version.status),
      errors: extra.errors,
      problems: extra.problems,
      problem: extra.problem,
    });
  }

  router.get('/design/methodology/:key/indicators/:code', view, (req, res) => renderIndicator(req, res));

  router.post('/design/methodology/:key/indicators/:code', edit, async (req, res) => {
    const version = await versionOf(req, 'methodology');
    const code = String(req.params.code);
    const { methodology, errors } = indicatorFromForm(version.document as Methodology, code === 'new' ? undefined : code, req.body);
    if (Object.keys(errors).length) return renderIndicator(req, res, { fields: req.body, errors }, 422);
    const saved = await design.saveDraft(db, catalog, req.staff!, 'methodology', version.key, methodology);
    if (!saved.ok) {
      const index = methodology.indicators.findIndex((i) => i.code === String(req.body.code));
      const split = 'problems' in saved ? indicatorProblems(saved.problems, index, String(req.body.code)) : { errors: {}, others: [] };
      return renderIndicator(req, res, { fields: req.body, errors: split.errors, problems: problemList(split.others), problem: saved.error }, 422);
    }
    flash(res, { key: 'designer.saved' });
    res.redirect(303, `/design/methodology/${encodeURIComponent(version.key)}#indicators`);
  });

  router.post('/design/methodology/:key/indicators/:code/delete', edit, async (req, res) => {
    const version = await versionOf(req, 'methodology');
    const next = structuredClone(version.document as Methodology);
    const code = String(req.params.code);
    next.indicators = next.indicators.filter((i) => i.code !== code);
    if (next.normalisation.fixedBounds) delete next.normalisation.fixedBounds[code];
    const saved = await design.saveDraft(db, catalog, req.staff!, 'methodology', version.key, next);
    flash(res, saved.ok ? { key: 'designer.saved' } : 'problems' in saved && saved.problems[0] ? saved.problems[0].message : saved.error);
    res.redirect(303, `/design/methodology/${encodeURIComponent(version.key)}#indicators`);
  });

  router.post('/design/methodology/:key/approve', approve, async (req, res) => {
    const version = await versionOf(req, 'methodology');
    const approved = await design.approveMethodology(db, catalog, req.staff!, String(req.body.passphrase ?? ''), version.key);
    if (!approved.ok) return renderMethodology(req, res, { problem: approved.error, problems: 'problems' in approved ? problemList(approved.problems) : [] }, 409);
    flash(res, { key: 'designer.approved', params: { version: version.key } });
    res.redirect(303, `/design/methodology/${encodeURIComponent(version.key)}`);
  });

}
