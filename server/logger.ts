import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured logs. Fields that could carry secrets are redacted wherever they appear; answers,
 * passwords, keys and shares are never passed to the logger in the first place. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'ddci' },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.passphrase'],
      censor: '[redacted]',
    },
  });
}
