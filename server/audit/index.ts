export { recordAudit, verifyAuditLog, type AuditRecord, type VerifyResult } from './service.js';
export { recentEntries } from './queries.js';
export { auditRoutes } from './routes.js';
