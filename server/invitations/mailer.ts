import nodemailer, { type Transporter } from 'nodemailer';

/** Outgoing mail over SMTP (nodemailer). Absent when SMTP_URL is not configured. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string; html: string }): Promise<void>;
  close(): void;
}

export function createMailer(smtpUrl: string | undefined, from: string): Mailer | null {
  if (!smtpUrl) return null;
  const transport: Transporter = nodemailer.createTransport(smtpUrl, { from });
  return {
    send: async (message) => {
      await transport.sendMail(message);
    },
    close: () => transport.close(),
  };
}
