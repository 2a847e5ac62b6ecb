import type { RequestHandler, Response } from 'express';
import type { Message } from '../i18n/index.js';

const COOKIE = 'ddci_flash';

/** A one-shot notice shown on the page after a redirect (post/redirect/get). Signed, never secret. */
export function flash(res: Response, message: Message): void {
  res.cookie(COOKIE, JSON.stringify(message), { signed: true, httpOnly: true, sameSite: 'lax', maxAge: 60_000 });
}

export const flashMiddleware: RequestHandler = (req, res, next) => {
  const raw: unknown = req.signedCookies?.[COOKIE];
  if (typeof raw === 'string') {
    try {
      res.locals.flash = JSON.parse(raw) as Message;
    } catch {
      // a stale or malformed notice is simply not shown
    }
    res.clearCookie(COOKIE);
  }
  next();
};
