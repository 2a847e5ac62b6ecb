import { Router, type RequestHandler } from 'express';
import type { JSONSchemaType } from 'ajv';
import { requirePermission } from '../auth/index.js';
import { can } from '../auth/policy.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { notFound } from '../http/errors.js';
import { formRateLimit } from '../http/rate-limit.js';
import { formValidator } from '../http/validation.js';
import { MIN_PASSPHRASE_LENGTH } from './member-keys.js';
import * as sealing from './service.js';
import type { UnsealingRegistry } from './unsealing.js';
import { campaignThreshold, committeeWithKeys } from './queries.js';

interface NewPassphraseForm {
  passphrase: string;
  confirm: string;
}
const validateNewPassphrase = formValidator<NewPassphraseForm>({
  type: 'object',
  properties: {
    passphrase: { type: 'string', minLength: MIN_PASSPHRASE_LENGTH, maxLength: 500 },
    confirm: { type: 'string', maxLength: 500 },
  },
  required: ['passphrase', 'confirm'],
} as JSONSchemaType<NewPassphraseForm>);

interface PassphraseForm {
  passphrase: string;
}
const validatePassphrase = formValidator<PassphraseForm>({
  type: 'object',
  properties: { passphrase: { type: 'string', maxLength: 500 } },
  required: ['passphrase'],
});

const KEY_PAGES = ['/committee/keys', '/account/password', '/logout'];

/** A committee member's first act is to create the personal keys the ceremony will seal a share to. */
export function memberKeysGate(db: Db): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'GET' || !req.staff || !can(req.staff.role, 'unseal.approve') || KEY_PAGES.includes(req.path)) return next();
    if (await sealing.memberKeyFingerprint(db, req.staff.id)) return next();
    res.redirect(303, '/committee/keys');
  };
}

export function sealingRoutes(
  db: Db,
  config: Config,
  registry: UnsealingRegistry,
  /** What the unseal page also shows (the scoring runs, from the publication capability). */
  unsealExtras: (campaignId: string) => Promise<Record<string, unknown>> = async () => ({}),
): Router {
  const router = Router();
  const committee = requirePermission('unseal.approve');
  const passphraseLimit = formRateLimit(db, 'passphrase', config.loginRateLimit, config.loginRateWindowMinutes);

  router.get('/committee/keys', committee, async (req, res) => {
    res.render('pages/member-keys', { fingerprint: await sealing.memberKeyFingerprint(db, req.staff!.id), minLength: MIN_PASSPHRASE_LENGTH });
  });

  router.post('/committee/keys', committee, async (req, res) => {
    const form = validateNewPassphrase(req.body);
    const errors = form.ok
      ? form.value.passphrase === form.value.confirm
        ? undefined
        : { confirm: { key: 'keys.mismatch' as const } }
      : form.errors;
    if (errors || !form.ok) return res.status(422).render('pages/member-keys', { errors, minLength: MIN_PASSPHRASE_LENGTH });
    const created = await sealing.createKeysForMember(db, req.staff!, form.value.passphrase);
    if (!created.ok) return res.status(409).render('pages/member-keys', { problem: created.error, fingerprint: await sealing.memberKeyFingerprint(db, req.staff!.id) });
    res.render('pages/member-keys', { fingerprint: created.value, justCreated: true });
  });

  async function renderUnseal(campaignId: string, res: Parameters<RequestHandler>[1], extra: Record<string, unknown> = {}, status = 200) {
    // The run first: it ends in the transaction that unseals the campaign, so a run read as running or done is
    // never shown beside an older state (a run that ended between the two reads looked like no run at all:
    // the approval form again, and no refresh to the results).
    const extras = await unsealExtras(campaignId);
    const campaign = await campaignThreshold(db, campaignId);
    if (!campaign) throw notFound('campaigns.notFound');
    const members = new Map((await committeeWithKeys(db, campaignId)).map((m) => [m.staffId, m]));
    const approvals = (await registry.approvals(campaignId)).map((a) => ({ name: members.get(a.memberId)?.displayName ?? '—', username: members.get(a.memberId)?.username ?? '', expiresAt: a.expiresAt, mine: a.memberId === res.req.staff?.id }));
    res.status(status).render('pages/unseal', {
      campaignId,
      state: campaign.state,
      threshold: campaign.threshold,
      held: approvals.length,
      approvals,
      quorum: campaign.threshold !== null && approvals.length >= campaign.threshold,
      approvedByMe: approvals.some((a) => a.mine),
      fingerprint: await sealing.campaignKeyFingerprint(db, campaignId),
      ttlMinutes: config.unsealShareTtlMinutes,
      ...extras,
      ...extra,
    });
  }

  router.get('/campaigns/:id/unseal', committee, (req, res) => renderUnseal(String(req.params.id), res));

  router.post('/campaigns/:id/unseal', committee, passphraseLimit, async (req, res) => {
    const campaignId = String(req.params.id);
    const form = validatePassphrase(req.body);
    if (!form.ok) return renderUnseal(campaignId, res, { errors: form.errors }, 422);
    const approved = await sealing.approveUnsealing(db, registry, campaignId, req.staff!, form.value.passphrase);
    if (!approved.ok) return renderUnseal(campaignId, res, { problem: approved.error }, approved.error.key === 'unseal.wrongPassphrase' ? 401 : 409);
    await renderUnseal(campaignId, res, { notice: { key: 'unseal.approved', params: { held: approved.value.held, k: approved.value.threshold } } });
  });

  return router;
}
