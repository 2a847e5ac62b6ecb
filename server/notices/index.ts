export { staffNotices, type StaffNotices } from './service.js';
export type { NoticeEvent } from './messages.js';
