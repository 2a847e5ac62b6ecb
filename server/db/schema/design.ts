import { jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';

/**
 * Questionnaires and methodologies made in the designer (docs/designer.md §2), beside the read-only files
 * the installation ships. A draft changes with every save; an approved version never changes again (the
 * database refuses), so what a campaign pinned stays what its businesses answered and its scores used.
 */
export const surveyVersions = pgTable(
  'survey_versions',
  {
    /** `questionnaire` or `methodology`. */
    kind: text('kind').notNull(),
    /** A questionnaire's `id-version`, a methodology's `version`. */
    key: text('key').notNull(),
    /** The version it was started from (`kind:key`), if any. */
    basedOn: text('based_on'),
    status: text('status').notNull().default('draft'),
    document: jsonb('document').$type<Record<string, unknown>>().notNull(),
    /** SHA-256 of the document's canonical JSON. */
    hash: text('hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    approvedBy: text('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true, precision: 3 }),
    /** The approval record the chair signed (methodologies), and its Ed25519 signature, base64. */
    approval: jsonb('approval').$type<Record<string, unknown>>(),
    signature: text('signature'),
  },
  (t) => [primaryKey({ columns: [t.kind, t.key] })],
);
