import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { committeeMembers, memberKeys, staffUsers } from '../db/schema.js';

/** The campaign's committee members who have an e-mail address and an active account; `withoutKeys`: only those who have no keys yet. */
export function committeeRecipients(db: Db, campaignId: string, withoutKeys = false) {
  return db
    .select({ email: staffUsers.email, name: staffUsers.displayName })
    .from(committeeMembers)
    .innerJoin(staffUsers, eq(staffUsers.id, committeeMembers.staffId))
    .leftJoin(memberKeys, eq(memberKeys.staffId, staffUsers.id))
    .where(and(eq(committeeMembers.campaignId, campaignId), isNotNull(staffUsers.email), eq(staffUsers.disabled, false), withoutKeys ? isNull(memberKeys.staffId) : undefined));
}
