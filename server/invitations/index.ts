export { invitationRoutes } from './routes.js';
export { createMailer, type Mailer } from './mailer.js';
export { createSmsGateway, type SmsGateway } from './sms.js';
export { generateInvitations, responseRates } from './service.js';
export { countInvitations } from './queries.js';
