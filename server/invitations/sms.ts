/**
 * The SMS gateway: one JSON POST `{ "to": "<phone>", "text": "<message>" }` per message to SMS_URL (with
 * `Authorization: Bearer SMS_TOKEN` when set), as most Vietnamese SMS brand-name providers and in-house
 * gateways accept behind a small adapter. A refused or failed message is tried again after a pause, then
 * reported to the caller, which logs it and goes on with the next business.
 */
export interface SmsGateway {
  send(message: { to: string; text: string }): Promise<void>;
}

export interface SmsOptions {
  token?: string;
  /** Attempts per message (default 3) and the first pause between them, doubled each time (default 1 s). */
  attempts?: number;
  retryMs?: number;
  timeoutMs?: number;
}

export function createSmsGateway(url: string | undefined, options: SmsOptions = {}): SmsGateway | null {
  if (!url) return null;
  const { token, attempts = 3, retryMs = 1000, timeoutMs = 10_000 } = options;
  return {
    async send(message) {
      let lastError: unknown;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body: JSON.stringify(message),
            signal: AbortSignal.timeout(timeoutMs),
          });
          if (res.ok) return;
          lastError = new Error(`SMS gateway answered ${res.status}`);
        } catch (error) {
          lastError = error;
        }
        if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, retryMs * 2 ** (attempt - 1)));
      }
      throw new Error(`SMS not sent after ${attempts} attempts: ${(lastError as Error).message}`);
    },
  };
}
