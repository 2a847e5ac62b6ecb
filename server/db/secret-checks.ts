import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from './client.js';
import { secretChecks } from './schema.js';

/**
 * Proof that the server's secrets are the ones a database was made with. Access codes, the mixing layer
 * of pending answers and unsealing approvals are keyed by HMAC_SECRET, staff sessions by SESSION_SECRET:
 * with other secrets a restored database looks intact and works for nobody. Each secret leaves a check
 * value, HMAC-SHA-256(secret, "ddci/secret-check/v1|NAME"), which is one-way: it tells a right secret from
 * a wrong one and nothing else.
 */
export type SecretName = 'HMAC_SECRET' | 'SESSION_SECRET';
export type Secrets = Record<SecretName, string>;
export type SecretCheckValues = Partial<Record<string, string>>;

export function secretCheckValue(name: SecretName, secret: string): string {
  return createHmac('sha256', secret).update(`ddci/secret-check/v1|${name}`).digest('hex');
}

/** The secrets whose check value in `stored` differs from theirs (a secret without a stored value passes). */
export function mismatchedSecrets(stored: SecretCheckValues, secrets: Secrets): SecretName[] {
  return (Object.keys(secrets) as SecretName[]).filter((name) => {
    const value = stored[name];
    if (value === undefined) return false;
    const expected = Buffer.from(secretCheckValue(name, secrets[name]), 'utf8');
    const found = Buffer.from(value, 'utf8');
    return found.length !== expected.length || !timingSafeEqual(found, expected);
  });
}

export async function readSecretChecks(db: Db): Promise<SecretCheckValues> {
  return Object.fromEntries((await db.select({ name: secretChecks.name, value: secretChecks.value }).from(secretChecks)).map((r) => [r.name, r.value]));
}

/**
 * Records the check values of secrets that have none yet (a new database, or one made before checks
 * existed), then compares every stored one: the names of the secrets that are not the database's own.
 */
export async function claimSecrets(db: Db, secrets: Secrets): Promise<SecretName[]> {
  const rows = (Object.keys(secrets) as SecretName[]).map((name) => ({ name, value: secretCheckValue(name, secrets[name]) }));
  await db.insert(secretChecks).values(rows).onConflictDoNothing({ target: secretChecks.name });
  return mismatchedSecrets(await readSecretChecks(db), secrets);
}

/** The message a refusal gives: which secrets, and where the right ones live. */
export function secretMismatchMessage(names: SecretName[]): string {
  return (
    `${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} not the secret this database was made with. ` +
    'Use the secrets of the installation the data came from (its HMAC_SECRET and SESSION_SECRET, or its DATA_DIR/secrets.json); ' +
    'with others, access codes, pending answers and approvals would open for nobody.'
  );
}
