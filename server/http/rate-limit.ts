import type { RequestHandler } from 'express';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rateLimits } from '../db/schema.js';

/**
 * A per-client limit on failed attempts at a form (login, passphrases, access codes), counted in the
 * database so every app instance shares it. Only failures count (a response of 400 or more), and they are
 * counted when the response is sent, so an office behind one address is never locked out by its own
 * successful, concurrent attempts; once `limit` failures fall in the fixed window, every attempt from that
 * client is refused until the window ends, with a page in the user's language.
 */
export function formRateLimit(db: Db, name: string, limit: number, windowMinutes: number): RequestHandler {
  const windowMs = windowMinutes * 60_000;
  // Failures still being counted, per client: this instance's next check waits for them.
  const counting = new Map<string, Promise<void>>();
  return async (req, res, next) => {
    const key = `${name}:${req.ip ?? 'unknown'}`;
    await counting.get(key);
    const [row] = await db
      .select({ hits: rateLimits.hits, resetAt: rateLimits.resetAt })
      .from(rateLimits)
      .where(and(eq(rateLimits.key, key), gt(rateLimits.resetAt, sql`now()`)));
    if (row && row.hits >= limit) {
      res.set('Retry-After', String(Math.max(1, Math.ceil((row.resetAt.getTime() - Date.now()) / 1000))));
      res.status(429).render('pages/error', { status: 429, message: { key: 'error.429', params: { minutes: windowMinutes } } });
      return;
    }
    res.on('finish', () => {
      if (res.statusCode < 400) return;
      const counted = countFailure(db, key, windowMs)
        .catch((err: unknown) => req.log?.error({ err, limiter: name }, 'rate limit: failure not counted'))
        .finally(() => counting.get(key) === counted && counting.delete(key));
      counting.set(key, counted);
    });
    next();
  };
}

async function countFailure(db: Db, key: string, windowMs: number): Promise<void> {
  await db
    .insert(rateLimits)
    .values({ key, hits: 1, resetAt: new Date(Date.now() + windowMs) })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        hits: sql`case when ${rateLimits.resetAt} <= now() then 1 else ${rateLimits.hits} + 1 end`,
        resetAt: sql`case when ${rateLimits.resetAt} <= now() then excluded.reset_at else ${rateLimits.resetAt} end`,
      },
    });
}
