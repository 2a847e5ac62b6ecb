import type { RequestHandler } from 'express';
import multer from 'multer';
import { HttpError } from './errors.js';

/** Room for the multipart envelope (boundaries, headers, the other small fields) around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

const tooLarge = (maxBytes: number) => new HttpError(413, 'error.uploadTooLarge', { mb: Math.max(1, Math.round(maxBytes / 2 ** 20)) });

/**
 * Refuses an upload whose declared length is past the limit before a byte of it is read, and turns the
 * parser's own refusal (a chunked body that grows past it) into the same message naming the limit.
 */
export function sizedUpload(parse: RequestHandler, maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD) {
      res.set('Connection', 'close'); // the rest of the body is not read
      return next(tooLarge(maxBytes));
    }
    parse(req, res, (err?: unknown) => next(uploadError(err, maxBytes)));
  };
}

/**
 * The parser's refusals as the user's problem: past the size limit → 413 naming it; a multipart body the
 * parser cannot read (busboy's errors carry no code: a malformed part header — a NUL in a file name —,
 * a missing boundary, a body cut short) or one over multer's limits → 400 saying so. Errors with a system
 * code (a full disk) stay the server's.
 */
function uploadError(err: unknown, maxBytes: number): unknown {
  if (!(err instanceof Error)) return err;
  const { code } = err as { code?: string };
  if (code === 'LIMIT_FILE_SIZE') return tooLarge(maxBytes);
  if (err instanceof multer.MulterError || code === undefined) return new HttpError(400, 'error.uploadMalformed', { reason: err.message.slice(0, 80) });
  return err;
}

/** One small file per form, kept in memory (frames have their own streaming import). The CSRF token of
 * a multipart form travels in its action URL; see csrf.ts. */
export const singleSmallFile = (field: string, maxBytes = 1024 * 1024) =>
  sizedUpload(multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 5 } }).single(field), maxBytes);
