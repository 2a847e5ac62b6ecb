import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

const COOKIE = 'ddci_csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Signed double-submit CSRF protection (OWASP): a random per-browser cookie, and a token that is an HMAC
 * of that cookie and the staff session, put in every form. A forged cross-site post has neither.
 * Multipart uploads carry the token in the form's action URL (`?_csrf=`), since their bodies are parsed
 * only by the upload route.
 */
export function csrfProtection(secret: string, secureCookies: boolean): RequestHandler {
  const tokenFor = (browserId: string, session: string) =>
    createHmac('sha256', secret).update(`csrf|${browserId}|${session}`).digest('base64url');
  return (req, res, next) => {
    let browserId: unknown = req.cookies?.[COOKIE];
    if (typeof browserId !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(browserId)) {
      browserId = randomBytes(32).toString('base64url');
      res.cookie(COOKIE, browserId, { httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/' });
      if (!SAFE.has(req.method)) return next(new HttpError(403, 'error.csrf'));
    }
    const expected = tokenFor(browserId as string, req.sessionTokenHash ?? '');
    res.locals.csrfToken = expected;
    if (SAFE.has(req.method)) return next();
    const sent: unknown = req.is('multipart/form-data')
      ? req.query._csrf
      : (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
    const ok =
      typeof sent === 'string' &&
      sent.length === expected.length &&
      timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
    next(ok ? undefined : new HttpError(403, 'error.csrf'));
  };
}
