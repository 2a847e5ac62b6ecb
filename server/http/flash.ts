import type { Request, RequestHandler, Response } from 'express';
import type { Message } from '../i18n/index.js';
import type { Result } from '../result.js';

const COOKIE = 'ddci_flash';

/** A one-shot notice shown on the page after a redirect (post/redirect/get). Signed, never secret. */
export function flash(res: Response, message: Message): void {
  res.cookie(COOKIE, JSON.stringify(message), { signed: true, httpOnly: true, sameSite: 'lax', maxAge: 60_000 });
}

/** Whether the request brings a notice to show (its page is then the reader's own). */
export const carriesFlash = (req: Request) => req.signedCookies?.[COOKIE] !== undefined;

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

/**
 * Post/redirect/get after a use case: on success a notice and a redirect to `page`; on a refusal the page
 * again with the reason (404 when the campaign is gone, 409 otherwise).
 */
export async function settle(
  res: Response,
  result: Result<unknown>,
  page: string,
  notice: Message | undefined,
  showRefusal: (problem: Message, status: number) => Promise<unknown>,
): Promise<void> {
  if (!result.ok) {
    await showRefusal(result.error, result.error.key === 'campaigns.notFound' ? 404 : 409);
    return;
  }
  if (notice) flash(res, notice);
  res.redirect(303, page);
}
