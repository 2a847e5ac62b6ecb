import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailable } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { Message, MessageKey, MessageParams } from '../i18n/index.js';

/** An error meant for the user: an HTTP status and a message in their language. */
export class HttpError extends Error {
  readonly userMessage: Message;
  /** For a 403: the roles that may open the page, so that the page can say whom to ask. */
  allowedRoles?: readonly string[];
  constructor(
    readonly status: number,
    key: MessageKey,
    params?: MessageParams,
  ) {
    super(key);
    this.userMessage = params ? { key, params } : { key };
  }
}

export const notFound = (key: MessageKey = 'error.404') => new HttpError(404, key);
export const forbidden = (allowedRoles?: readonly string[]) => Object.assign(new HttpError(403, 'error.403'), allowedRoles ? { allowedRoles } : {});

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound());

const statusKeys: Record<number, MessageKey> = {
  400: 'error.400',
  403: 'error.403',
  404: 'error.404',
  413: 'error.413',
  500: 'error.500',
  503: 'error.503',
};

/** How long a client is asked to wait when the database is unavailable. */
export const RETRY_AFTER_SECONDS = 30;

/** Errors become problem pages (or application/problem+json): the user's language, never a stack trace.
 * Unexpected errors are logged with the request's context and an id the user can quote. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status = 500;
    let message: Message = { key: 'error.500' };
    let allowedRoles: readonly string[] | undefined;
    if (err instanceof HttpError) {
      status = err.status;
      message = err.userMessage;
      allowedRoles = err.allowedRoles;
    } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      // body-parser and multer errors: malformed or oversized input
      status = err.status === 413 || err.code === 'LIMIT_FILE_SIZE' ? 413 : 400;
      message = { key: statusKeys[status] ?? 'error.400' };
    } else if (err?.code === 'LIMIT_FILE_SIZE') {
      status = 413;
      message = { key: 'error.413' };
    } else if (isDatabaseUnavailable(err)) {
      // Nothing was stored: the user may simply try again in a moment.
      status = 503;
      message = { key: 'error.dbUnavailable' };
    }
    const reference = String(req.id ?? '');
    if (status === 503) logger.warn({ err, reqId: reference, method: req.method, path: req.path }, 'request refused: the database is unavailable');
    else if (status >= 500) logger.error({ err, reqId: reference, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    res.status(status);
    if (status === 503) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
    if (req.accepts(['html', 'json']) === 'json') {
      res.type('application/problem+json').json({ status, title: res.locals.t(message.key, message.params), reference });
      return;
    }
    res.render('pages/error', { status, message, reference: status >= 500 ? reference : undefined, allowedRoles, role: req.staff?.role });
  };
}
