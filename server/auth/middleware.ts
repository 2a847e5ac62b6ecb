import type { Request, RequestHandler } from 'express';
import type { Db } from '../db/client.js';
import { forbidden } from '../http/errors.js';
import { can, PERMISSIONS, type Permission } from './policy.js';
import { hashSessionToken, resolveSession } from './service.js';

export const SESSION_COOKIE = 'ddci_sid';

/** Whether the request brings a session cookie (valid or not: only resolving it tells). */
export const carriesSession = (req: Request) => req.cookies?.[SESSION_COOKIE] !== undefined;

/** Resolves the session cookie to `req.staff` and exposes what the navigation may show. */
export function sessionMiddleware(db: Db, ttlMinutes: number): RequestHandler {
  return async (req, res, next) => {
    const token: unknown = req.cookies?.[SESSION_COOKIE];
    if (typeof token === 'string' && token.length > 0 && token.length < 100) {
      const tokenHash = hashSessionToken(token);
      const staff = await resolveSession(db, tokenHash, ttlMinutes);
      if (staff) {
        req.staff = staff;
        req.sessionTokenHash = tokenHash;
      }
    }
    res.locals.staff = req.staff;
    res.locals.may = Object.fromEntries(
      (Object.keys(PERMISSIONS) as Permission[]).map((p) => [p.replace('.', '_'), req.staff ? can(req.staff.role, p) : false]),
    );
    next();
  };
}

/** Until a one-time password is replaced, the account can only change it or log out. */
export const passwordChangeGate: RequestHandler = (req, res, next) => {
  if (req.staff?.mustChangePassword && !['/account/password', '/logout'].includes(req.path)) {
    if (req.method === 'GET') return res.redirect(303, '/account/password');
    return next(forbidden());
  }
  next();
};

/** Staff only, with the permission; anonymous visitors are sent to the login page. */
export function requirePermission(permission: Permission): RequestHandler {
  return (req, res, next) => {
    if (!req.staff) {
      if (req.method === 'GET') return res.redirect(303, '/login?next=' + encodeURIComponent(req.originalUrl));
      return next(forbidden());
    }
    if (!can(req.staff.role, permission)) return next(forbidden(PERMISSIONS[permission]));
    next();
  };
}

export const requireStaff: RequestHandler = (req, res, next) => {
  if (req.staff) return next();
  if (req.method === 'GET') return res.redirect(303, '/login?next=' + encodeURIComponent(req.originalUrl));
  next(forbidden());
};
