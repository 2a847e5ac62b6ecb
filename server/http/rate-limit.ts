import type { RequestHandler } from 'express';
import { rateLimit, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rateLimits } from '../db/schema.js';

/** express-rate-limit counters in the database, so every app instance shares them. Fixed windows. */
export class DatabaseRateLimitStore implements Store {
  windowMs = 60_000;
  prefix: string;
  localKeys = false;

  constructor(
    private readonly db: Db,
    prefix: string,
  ) {
    this.prefix = prefix + ':';
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const fresh = new Date(Date.now() + this.windowMs);
    const [row] = await this.db
      .insert(rateLimits)
      .values({ key: this.prefix + key, hits: 1, resetAt: fresh })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          hits: sql`case when ${rateLimits.resetAt} <= now() then 1 else ${rateLimits.hits} + 1 end`,
          resetAt: sql`case when ${rateLimits.resetAt} <= now() then excluded.reset_at else ${rateLimits.resetAt} end`,
        },
      })
      .returning({ hits: rateLimits.hits, resetAt: rateLimits.resetAt });
    return { totalHits: row!.hits, resetTime: row!.resetAt };
  }

  async decrement(key: string): Promise<void> {
    await this.db
      .update(rateLimits)
      .set({ hits: sql`greatest(${rateLimits.hits} - 1, 0)` })
      .where(eq(rateLimits.key, this.prefix + key));
  }

  async resetKey(key: string): Promise<void> {
    await this.db.delete(rateLimits).where(eq(rateLimits.key, this.prefix + key));
  }
}

/**
 * A per-client limit on failed attempts at a form (login, access codes) that answers with a page in the
 * user's language. Successful attempts do not count, so an office behind one address is not locked out.
 */
export function formRateLimit(db: Db, name: string, limit: number, windowMinutes: number): RequestHandler {
  return rateLimit({
    windowMs: windowMinutes * 60_000,
    limit,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: new DatabaseRateLimitStore(db, name),
    handler: (req, res) => {
      res.status(429).render('pages/error', {
        status: 429,
        message: { key: 'error.429', params: { minutes: windowMinutes } },
      });
    },
  });
}
