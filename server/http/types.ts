import type { Lang } from '../i18n/index.js';
import type { StaffPrincipal } from '../auth/policy.js';

declare module 'express-serve-static-core' {
  interface Request {
    lang: Lang;
    /** The logged-in staff member, if any. */
    staff?: StaffPrincipal;
    /** SHA-256 of the session cookie, when a staff session is open. */
    sessionTokenHash?: string;
  }
}
export {};
