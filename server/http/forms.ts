import express, { type RequestHandler } from 'express';
import { inputProblem } from '../text.js';
import { HttpError } from './errors.js';

/**
 * Parses `application/x-www-form-urlencoded` bodies with the platform's URLSearchParams: a name sent once
 * is a string, a name sent several times (check boxes) an array — the same shape as body-parser's
 * `extended: false`, at a fraction of qs's cost on a 45-question form. Size and field count are bounded.
 */
export function formBodies(options: { limit: string; parameterLimit: number }): RequestHandler[] {
  const read = express.text({ type: 'application/x-www-form-urlencoded', limit: options.limit });
  const parse: RequestHandler = (req, _res, next) => {
    if (typeof req.body !== 'string' || !req.is('application/x-www-form-urlencoded')) return next();
    const body: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
    let count = 0;
    for (const [name, value] of new URLSearchParams(req.body)) {
      if (++count > options.parameterLimit) return next(new HttpError(413, 'error.413'));
      const seen = body[name];
      body[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
    }
    req.body = body;
    next();
  };
  return [read, parse];
}

/**
 * Refuses a request whose form, JSON body or query carries text that cannot be stored (NUL, or bytes that
 * are not UTF-8), or nests deeper than any form of ours: 400 naming the field, before any handler sees it.
 */
export const refuseUnsafeText: RequestHandler = (req, _res, next) => {
  const problem = inputProblem(req.query) ?? (typeof req.body === 'object' ? inputProblem(req.body) : null);
  if (!problem) return next();
  next(new HttpError(400, problem.kind === 'tooDeep' ? 'field.tooDeep' : 'field.badCharacters', { field: problem.field.slice(0, 60) }));
};
