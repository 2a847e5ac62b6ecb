import { sql } from 'drizzle-orm';
import { primaryKey, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { campaignRef } from './core.js';

/** One invitation per sampled business. The access code is never stored: only its keyed hash. */
export const invitations = pgTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    campaignId: campaignRef(),
    taxCode: text('tax_code').notNull(),
    codeHash: text('code_hash').notNull().unique(),
    emailsSent: integer('emails_sent').notNull().default(0),
    lastEmailedAt: timestamp('last_emailed_at', { withTimezone: true, precision: 3 }),
    /** Text-message reminders sent through the SMS gateway, as e-mails are counted above. */
    smsSent: integer('sms_sent').notNull().default(0),
    lastSmsAt: timestamp('last_sms_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('invitations_business_idx').on(t.campaignId, t.taxCode)],
);

export const invitationUnitStatus = pgEnum('invitation_unit_status', ['invited', 'answered', 'replaced']);

/** Which units an invitation covers. `answered` is a flag only: no time, no response id. */
export const invitationUnits = pgTable(
  'invitation_units',
  {
    invitationId: text('invitation_id')
      .notNull()
      .references(() => invitations.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code').notNull(),
    status: invitationUnitStatus('status').notNull().default('invited'),
  },
  (t) => [primaryKey({ columns: [t.invitationId, t.unitCode] })],
);

/** Answers per unit per day, for the response-rate chart: counts with no link to any invitation or response. */
export const dailyAnswerCounts = pgTable(
  'daily_answer_counts',
  {
    campaignId: campaignRef(),
    unitCode: text('unit_code').notNull(),
    day: text('day').notNull(),
    answers: integer('answers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.unitCode, t.day] })],
);

/**
 * How many answers of a campaign came in a way staff could have produced them (server/auth/staff-traces.ts):
 * a count per signal, never an answer, an invitation or a time. Published on the bulletin at close.
 */
export const answerSignals = pgTable(
  'answer_signals',
  {
    campaignId: campaignRef(),
    signal: text('signal').notNull(),
    answers: integer('answers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.signal] })],
);

export const mailMode = pgEnum('mail_mode', ['invite', 'remind', 'sms']);

/** One sending of invitation or reminder e-mails, or of text-message reminders, run in the background; progress lives here. */
export const mailRuns = pgTable(
  'mail_runs',
  {
    id: text('id').primaryKey(),
    campaignId: campaignRef(),
    mode: mailMode('mode').notNull(),
    status: text('status').notNull().default('running'),
    total: integer('total').notNull().default(0),
    sent: integer('sent').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
  },
  // One sending per campaign at a time: two clicks must not mail every business twice.
  (t) => [uniqueIndex('mail_runs_one_running_idx').on(t.campaignId).where(sql`${t.status} = 'running'`)],
);

export const callOutcome = pgEnum('call_outcome', ['later', 'noAnswer', 'refused', 'wrongNumber']);

/**
 * The latest call to a business still to answer, as the enumerator noted it (docs/design.md §5): the
 * outcome, the Vietnam day, how many calls. No time and no caller — a call is never placed beside the
 * moment or the enumerator of a phone answer — and no "answered": the invitation's flags already say that.
 */
export const callNotes = pgTable('call_notes', {
  invitationId: text('invitation_id')
    .primaryKey()
    .references(() => invitations.id, { onDelete: 'cascade' }),
  outcome: callOutcome('outcome').notNull(),
  /** yyyy-mm-dd in Vietnam. */
  day: text('day').notNull(),
  calls: integer('calls').notNull().default(1),
});
