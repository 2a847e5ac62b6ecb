import type { Lang } from '../i18n/index.js';

declare module 'express-serve-static-core' {
  interface Request {
    lang: Lang;
    /** SHA-256 of the session cookie, when a staff session is open (the CSRF token is bound to it). */
    sessionTokenHash?: string;
  }
}
export {};
