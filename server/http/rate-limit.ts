import type { Request, RequestHandler, Response } from 'express';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rateLimits } from '../db/schema.js';

/**
 * Per-client limits on failed attempts at a form (login, passphrases, access codes), counted in the
 * database so every app instance shares them, in a fixed window. Only failures count, so an office behind
 * one address is never locked out by its own successful attempts, however many at once.
 *
 * `settle` decides an attempt once its outcome is known and before it has any effect, in one atomic
 * statement: a failure is counted and, if it is past the limit, answered 429 instead — so of any number of
 * parallel wrong guesses exactly `limit` get an answer; a success (or a neutral attempt, such as a used-up
 * access code, answered like a wrong one but never counted) goes through unless the limit is reached.
 */
export type Outcome = 'failure' | 'success' | 'neutral';

export interface AttemptLimiter {
  /** Middleware: a client already at the limit is refused before any work. */
  gate: RequestHandler;
  /** True when the attempt may have its answer; otherwise the 429 page has been sent. */
  settle(req: Request, res: Response, outcome: Outcome): Promise<boolean>;
  /**
   * For work too costly to start past the limit (a passphrase's argon2id): counts the attempt as a failure
   * before any work — of any number at once exactly `limit` go on, the rest get 429 — and takes the count
   * back if the answer turns out a success. True when the attempt may go on.
   */
  reserve(req: Request, res: Response): Promise<boolean>;
}

export function attemptLimiter(db: Db, name: string, limit: number, windowMinutes: number): AttemptLimiter {
  const windowMs = windowMinutes * 60_000;
  const keyOf = (req: Request) => `${name}:${req.ip ?? 'unknown'}`;
  const refuse = (res: Response, resetAt: Date) => {
    res.set('Retry-After', String(Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000))));
    res.status(429).render('pages/error', { status: 429, message: { key: 'error.429', params: { minutes: windowMinutes } } });
  };
  const current = async (key: string) => {
    const [row] = await db
      .select({ hits: rateLimits.hits, resetAt: rateLimits.resetAt })
      .from(rateLimits)
      .where(and(eq(rateLimits.key, key), gt(rateLimits.resetAt, sql`now()`)));
    return row;
  };
  return {
    async reserve(req, res) {
      const key = keyOf(req);
      const row = await countFailure(db, key, windowMs);
      if (row.hits > limit) {
        refuse(res, row.resetAt);
        return false;
      }
      res.on('finish', () => {
        if (res.statusCode < 400) takeBack(db, key).catch((err: unknown) => req.log?.error({ err, limiter: name }, 'rate limit: a success not taken back'));
      });
      return true;
    },
    gate: async (req, res, next) => {
      const row = await current(keyOf(req));
      if (row && row.hits >= limit) return refuse(res, row.resetAt);
      next();
    },
    async settle(req, res, outcome) {
      const row = outcome === 'failure' ? await countFailure(db, keyOf(req), windowMs) : await current(keyOf(req));
      const over = outcome === 'failure' ? row!.hits > limit : row !== undefined && row.hits >= limit;
      if (over) refuse(res, row!.resetAt);
      return !over;
    },
  };
}

/**
 * A limiter for forms whose handler does costly work and answers in one go (the passphrase forms): every
 * attempt is counted before the work and taken back when it is answered with a success (status < 400).
 */
export function formRateLimit(db: Db, name: string, limit: number, windowMinutes: number): RequestHandler {
  const limiter = attemptLimiter(db, name, limit, windowMinutes);
  return async (req, res, next) => {
    if (await limiter.reserve(req, res)) next();
  };
}

async function takeBack(db: Db, key: string): Promise<void> {
  await db.update(rateLimits).set({ hits: sql`greatest(${rateLimits.hits} - 1, 0)` }).where(eq(rateLimits.key, key));
}

/** Counts one failure in the client's window (a new window when the last one ended); returns the count. */
async function countFailure(db: Db, key: string, windowMs: number): Promise<{ hits: number; resetAt: Date }> {
  const [row] = await db
    .insert(rateLimits)
    .values({ key, hits: 1, resetAt: new Date(Date.now() + windowMs) })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        hits: sql`case when ${rateLimits.resetAt} <= now() then 1 else ${rateLimits.hits} + 1 end`,
        resetAt: sql`case when ${rateLimits.resetAt} <= now() then excluded.reset_at else ${rateLimits.resetAt} end`,
      },
    })
    .returning({ hits: rateLimits.hits, resetAt: rateLimits.resetAt });
  return row!;
}
