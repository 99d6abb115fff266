import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface MailMessage {
  readonly from: string;
  readonly to: string;
  /** where replies go: the case's signed reply address (`ReplyAddresses`), when INBOUND_DOMAIN is set */
  readonly replyTo?: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** `<…@…>`; the same id for a resend lets mail clients recognise a duplicate */
  readonly messageId: string;
  /** the Date header, from the injected clock */
  readonly date: Date;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SentMail {
  readonly messageId: string;
  /** the .eml file, when the outbox directory stood in for SMTP */
  readonly file?: string;
}

/** Sends e-mail. `close` ends the SMTP connections. */
export interface MailTransport {
  readonly kind: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<SentMail>;
  close(): void;
}

export interface MailTransportOptions {
  /** SMTP_URL; without it, messages are written as .eml files under `outboxDir` */
  readonly smtpUrl?: string;
  readonly outboxDir: string;
}

/**
 * nodemailer over SMTP when a URL is configured; otherwise nodemailer's stream transport
 * builds the same RFC 5322 message and it is written to `<outboxDir>/<time>-<id>.eml`
 * (written to a temporary name, then renamed, so a reader never sees half a file).
 */
export const createMailTransport = ({ smtpUrl, outboxDir }: MailTransportOptions): MailTransport => {
  if (smtpUrl) {
    const smtp = nodemailer.createTransport(smtpUrl);
    return {
      kind: 'smtp',
      send: async (message) => ({ messageId: (await smtp.sendMail(message)).messageId }),
      close: () => smtp.close(),
    };
  }
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'outbox',
    send: async (message) => {
      const info = await stream.sendMail(message);
      // asynchronous: the worker's projections share this event loop (a file's creation in a
      // directory of many thousand .eml files costs tens of microseconds of the kernel)
      await mkdir(outboxDir, { recursive: true });
      const stamp = message.date.toISOString().replace(/[:.]/g, '-');
      const name = `${stamp}-${message.messageId.replace(/[^A-Za-z0-9._-]+/g, '_')}.eml`;
      const file = join(outboxDir, name);
      await writeFile(`${file}.tmp`, info.message as Buffer);
      await rename(`${file}.tmp`, file);
      return { messageId: info.messageId, file };
    },
    close: () => stream.close(),
  };
};
