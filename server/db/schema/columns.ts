import { customType, timestamp } from 'drizzle-orm/pg-core';


/** Binary columns come back as Buffer from node-postgres and as Uint8Array from PGlite: always Buffer here. */
export const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

export const createdAt = () => timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow();
