import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Structured logs. Fields that could carry secrets are redacted wherever they appear; answers,
 * passwords, keys and shares are never passed to the logger in the first place. */
/**
 * Errors are logged by type, message and code only. Database errors carry the query's parameters
 * (frame rows, contact details) in their message and fields; those are cut off here.
 */
function safeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const serialised = stdSerializers.err(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return {
    type: serialised.type,
    message: serialised.message.split('\nparams:')[0]!.slice(0, 500),
    code: (error as { code?: string }).code ?? cause?.code,
    cause: cause?.message?.slice(0, 300),
    stack: serialised.stack.split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 8).join('\n'),
  };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'ddci' },
    serializers: { err: safeError, error: safeError },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.passphrase'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
