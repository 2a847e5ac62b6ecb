import { Router, type Response } from 'express';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { flash } from '../http/flash.js';
import { attemptLimiter } from '../http/rate-limit.js';
import type { FieldErrors } from '../http/validation.js';
import { requirePermission, requireStaff, SESSION_COOKIE } from './middleware.js';
import { homeOf, ROLES, type Role } from './policy.js';
import { unitCodesOf, validateLogin, validatePasswordChange, validateStaff } from './schemas.js';
import * as auth from './service.js';
import { recordStaffAddress, staffAddressKey } from './staff-traces.js';

/** Only same-site paths are followed after login; else the account's home. */
function safeNext(next: unknown, role: Role): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : homeOf(role);
}

export function authRoutes(db: Db, config: Config): Router {
  const addressKey = staffAddressKey(config.hmacSecret);
  const router = Router();
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: config.cookieSecure, path: '/' };
  const loginLimit = attemptLimiter(db, 'login', config.loginRateLimit, config.loginRateWindowMinutes);

  router.get('/login', (req, res) => {
    if (req.staff) return res.redirect(303, safeNext(req.query.next, req.staff.role));
    res.render('pages/login', { next: req.query.next });
  });

  router.post('/login', loginLimit.gate, async (req, res) => {
    const form = validateLogin(req.body);
    const staff = form.ok ? await auth.authenticate(db, form.value.username, form.value.password) : null;
    if (!(await loginLimit.settle(req, res, staff ? 'success' : 'failure'))) return;
    if (!staff) {
      // One answer for an unknown user and a wrong password.
      return res.status(401).render('pages/login', {
        error: { key: 'login.failed' },
        username: typeof req.body?.username === 'string' ? req.body.username.slice(0, 100) : '',
        next: req.body?.next,
      });
    }
    const token = await auth.startSession(db, staff, config.sessionTtlMinutes);
    if (req.ip) await recordStaffAddress(db, addressKey, req.ip);
    res.cookie(SESSION_COOKIE, token, cookieOptions);
    res.redirect(303, staff.mustChangePassword ? '/account/password' : safeNext(form.ok ? form.value.next : undefined, staff.role));
  });

  router.post('/logout', requireStaff, async (req, res) => {
    await auth.endSession(db, req.sessionTokenHash!, req.staff!);
    res.clearCookie(SESSION_COOKIE, cookieOptions);
    flash(res, { key: 'login.loggedOut' });
    res.redirect(303, '/');
  });

  router.get('/account/password', requireStaff, (req, res) => {
    res.render('pages/password', { mustChange: req.staff!.mustChangePassword });
  });

  router.post('/account/password', requireStaff, async (req, res) => {
    const form = validatePasswordChange(req.body);
    let errors: FieldErrors;
    if (form.ok) {
      const result = await auth.changePassword(db, req.staff!, req.sessionTokenHash!, form.value);
      if (result.ok) {
        flash(res, { key: 'password.changed' });
        return res.redirect(303, homeOf(req.staff!.role));
      }
      errors = { [result.field]: { key: result.error } };
    } else {
      errors = form.errors;
    }
    res.status(422).render('pages/password', { mustChange: req.staff!.mustChangePassword, errors });
  });

  const manage = requirePermission('staff.manage');

  async function renderStaff(res: Response, extra: Record<string, unknown> = {}, status = 200) {
    res.status(status).render('pages/staff', { users: await auth.listStaff(db), roles: ROLES, ...extra });
  }

  router.get('/staff', manage, (_req, res) => renderStaff(res));

  router.post('/staff', manage, async (req, res) => {
    const form = validateStaff(req.body);
    if (!form.ok) return renderStaff(res, { errors: form.errors, values: req.body }, 422);
    const unitCodes = unitCodesOf(form.value.units);
    if (form.value.role === 'unit_contact' && !unitCodes.length) return renderStaff(res, { errors: { units: { key: 'staff.unitsRequired' } }, values: req.body }, 422);
    const created = await auth.createStaff(db, req.staff!.username, { ...form.value, unitCodes });
    if (!created.ok) {
      return renderStaff(res, { errors: { username: { key: created.error, params: { username: form.value.username } } }, values: req.body }, 422);
    }
    // The one-time password is shown in this response only: never stored in clear, never in a cookie.
    await renderStaff(res, {
      notice: { key: 'staff.oneTimePassword', params: { username: form.value.username, password: created.oneTimePassword } },
    });
  });

  router.post('/staff/:username/password', manage, async (req, res) => {
    const username = String(req.params.username);
    const password = await auth.issueOneTimePassword(db, req.staff!.username, username);
    if (!password) return renderStaff(res, { problem: { key: 'staff.notFound' } }, 404);
    await renderStaff(res, { notice: { key: 'staff.oneTimePassword', params: { username, password } } });
  });

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    router.post(`/staff/:username/${path}`, manage, async (req, res) => {
      const result = await auth.setStaffDisabled(db, req.staff!, String(req.params.username), disabled);
      if (!result.ok) return renderStaff(res, { problem: { key: result.error } }, 422);
      res.redirect(303, '/staff');
    });
  }

  return router;
}
