import type { StaffPrincipal } from './policy.js';

// Declared here, beside the middleware that sets it, so that http need not know who staff are.
declare module 'express-serve-static-core' {
  interface Request {
    /** The logged-in staff member, if any. */
    staff?: StaffPrincipal;
  }
}
export {};
