import { customType, timestamp } from 'drizzle-orm/pg-core';


/** Binary columns come back as Buffer (node-postgres, and PGlite with the parser in db/client.ts); always Buffer here. */
export const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const createdAt = () => timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow();
