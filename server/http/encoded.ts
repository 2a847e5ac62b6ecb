import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';

/**
 * A body that never changes (a published page or file), compressed once when it is made rather than on every
 * request: announcement day serves the same bytes to thousands of readers (docs/design.md §8).
 */
export interface EncodedBody {
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
  /** Its content hash, from which each representation's strong ETag is made. */
  hash: string;
}

/** Text bodies are kept compressed as Brotli and gzip too; binary ones (XLSX, PDF, .sav) only as they are. */
export function encodeBody(body: string | Buffer, text: boolean): EncodedBody {
  const identity = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 27);
  if (!text) return { identity, hash };
  return {
    identity,
    hash,
    br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
    gzip: gzipSync(identity, { level: 9 }),
  };
}

/**
 * Sends the representation the reader accepts, with its own strong ETag (a reader who has it gets 304) and
 * `Vary: Accept-Encoding` for caches.
 */
export function sendEncoded(req: Request, res: Response, body: EncodedBody) {
  const encoding = body.br || body.gzip ? req.acceptsEncodings('br', 'gzip', 'identity') : 'identity';
  const chosen = encoding === 'br' || encoding === 'gzip' ? encoding : 'identity';
  res.vary('Accept-Encoding').set('ETag', `"${body.hash}-${chosen}"`);
  if (chosen !== 'identity') res.set('Content-Encoding', chosen);
  res.send(body[chosen] ?? body.identity);
}
