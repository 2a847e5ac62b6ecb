import { findCampaign } from '../campaigns/queries.js';
import type { Db } from '../db/client.js';
import type { Mailer } from '../invitations/mailer.js';
import type { Logger } from '../logger.js';
import { noticeFor, type NoticeEvent } from './messages.js';
import * as q from './queries.js';

/** Tells members of staff, by e-mail, what the year needs from them. */
export interface StaffNotices {
  /** Sends in the background after the action it follows has committed; a failure is logged, never thrown. */
  send(event: NoticeEvent, campaignId: string): void;
  /** Resolves when every notice sent so far has been handed to the mail server (tests, shutdown). */
  settled(): Promise<void>;
}

export function staffNotices(db: Db, mailer: Mailer | null, publicUrl: string, logger: Logger): StaffNotices {
  if (!mailer) return { send: () => undefined, settled: async () => undefined };
  let pending: Promise<unknown> = Promise.resolve();
  const deliver = async (event: NoticeEvent, campaignId: string) => {
    const campaign = await findCampaign(db, campaignId);
    if (!campaign) return;
    for (const r of await q.committeeRecipients(db, campaignId, event === 'keysNeeded')) {
      await mailer.send({ to: r.email!, ...noticeFor(event, campaign, publicUrl, r.name) });
    }
  };
  return {
    send(event, campaignId) {
      pending = pending.then(() => deliver(event, campaignId)).catch((err: unknown) => logger.warn({ err, event, campaignId }, 'staff notice not sent'));
    },
    settled: () => pending.then(() => undefined),
  };
}
