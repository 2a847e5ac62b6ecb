import './request.js';
export { authRoutes } from './routes.js';
export { carriesSession, sessionMiddleware, passwordChangeGate, requirePermission, requireStaff } from './middleware.js';
export { can, ROLES, type Role, type StaffPrincipal, type Permission } from './policy.js';
export { createStaff, issueOneTimePassword, countStaff, deleteExpiredSessions } from './service.js';
export { EMAIL_PATTERN } from './schemas.js';
export { ANSWER_SIGNALS, answerSignals, recordStaffAddress, staffAddressKey, type AnswerSignal } from './staff-traces.js';
