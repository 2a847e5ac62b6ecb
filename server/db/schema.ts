// One schema for PGlite and PostgreSQL, one file per capability. Migrations are generated from it with
// `npm run db:generate`; everything else imports the tables from here.
export * from './schema/core.js';
export * from './schema/sealing.js';
export * from './schema/sampling.js';
export * from './schema/invitations.js';
export * from './schema/responses.js';
export * from './schema/publication.js';
export * from './schema/design.js';
