import multer from 'multer';

/** One small file per form, kept in memory (frames have their own streaming import). The CSRF token of
 * a multipart form travels in its action URL; see csrf.ts. */
export const singleSmallFile = (field: string, maxBytes = 1024 * 1024) =>
  multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 5 } }).single(field);
