import * as campaigns from './messages/campaigns.js';
import * as common from './messages/common.js';
import * as sampling from './messages/sampling.js';
import * as sealing from './messages/sealing.js';
import * as responses from './messages/responses.js';
import * as publication from './messages/publication.js';
import * as reports from './messages/reports.js';
import * as audit from './messages/audit.js';
import * as design from './messages/design.js';
import * as checks from './messages/checks.js';
import * as workbook from './messages/workbook.js';
import * as diff from './messages/diff.js';
import * as lists from './messages/lists.js';
import * as calls from './messages/calls.js';

/** Every user-facing string, Vietnamese first, one file per capability; `en` has exactly the same keys. */
export const vi = { ...common.vi, ...campaigns.vi, ...sealing.vi, ...sampling.vi, ...responses.vi, ...publication.vi, ...reports.vi, ...audit.vi, ...design.vi, ...checks.vi, ...workbook.vi, ...diff.vi, ...lists.vi, ...calls.vi } as const;

export type MessageKey = keyof typeof vi;

export const en: Record<MessageKey, string> = { ...common.en, ...campaigns.en, ...sealing.en, ...sampling.en, ...responses.en, ...publication.en, ...reports.en, ...audit.en, ...design.en, ...checks.en, ...workbook.en, ...diff.en, ...lists.en, ...calls.en };
