import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Delivered, InboundMailbox } from './inbound-mailbox';
import { MailRefused, refusals } from './mail-refusal';

export interface InboundSmtpServerOptions {
  readonly mailbox: InboundMailbox;
  /** the largest message taken (advertised as SIZE; a larger one is answered 552) */
  readonly maxMessageBytes: number;
  /** the name in the greeting (INBOUND_DOMAIN) */
  readonly name: string;
  /** connections served at once; each may hold one message of up to `maxMessageBytes` in memory */
  readonly maxClients?: number;
  readonly onDelivered?: (delivered: Delivered) => void;
  readonly onRefused?: (refusal: MailRefused, stage: 'rcpt' | 'data') => void;
  /** a connection's failure (a client gone mid-transaction, a socket error): logged, the listener goes on */
  readonly onError?: (error: Error) => void;
}

/** The case each transaction is for: named by its first recipient, one case per transaction. */
const caseOfSession = new WeakMap<SMTPServerSession, string>();

/**
 * The SMTP listener of the customers' replies (`smtp-server`): no authentication and no
 * STARTTLS (it listens behind the organisation's own mail server, which does TLS, SPF, DKIM
 * and spam filtering and relays the replies' domain here: libs/inbound-mail/README.md).
 * RCPT accepts only a case's signed reply address, and one case per transaction; DATA is
 * read up to `maxMessageBytes`, then handed to the {@link InboundMailbox}, whose refusals
 * ({@link MailRefused}) are the SMTP answer: nothing is recorded for a refused message.
 */
export class InboundSmtpServer {
  private readonly server: SMTPServer;

  constructor(private readonly o: InboundSmtpServerOptions) {
    this.server = new SMTPServer({
      name: o.name,
      banner: 'support case replies',
      size: o.maxMessageBytes,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      maxClients: o.maxClients ?? 20,
      closeTimeout: 2_000,
      logger: false,
      onRcptTo: (address, session, callback) => {
        try {
          const caseId = o.mailbox.caseOf(address.address);
          const current = caseOfSession.get(session);
          // a new transaction on the same connection starts with no recipient
          if (current !== undefined && current !== caseId && session.envelope.rcptTo.length > 0)
            throw refusals.oneCasePerMessage();
          caseOfSession.set(session, caseId);
          callback();
        } catch (error) {
          callback(this.refused(error, 'rcpt'));
        }
      },
      onData: (stream, session, callback) => {
        this.receive(stream).then(
          async (raw) => {
            if (raw === undefined) return callback(this.refused(refusals.messageTooLarge(o.maxMessageBytes), 'data'));
            const caseId = caseOfSession.get(session);
            if (caseId === undefined) return callback(this.refused(new Error('DATA without a recipient'), 'data'));
            try {
              const delivered = await o.mailbox.deliver(caseId, raw);
              o.onDelivered?.(delivered);
              callback(
                null,
                delivered.replayed ? `2.0.0 Already recorded on case ${caseId}` : `2.0.0 Recorded on case ${caseId}`,
              );
            } catch (error) {
              callback(this.refused(error, 'data'));
            }
          },
          (error: unknown) => callback(this.refused(error, 'data')),
        );
      },
    });
    this.server.on('error', (error: Error) => o.onError?.(error));
  }

  /** Listens; resolves with the address (port 0: the port the system chose). */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.server.off('error', onError);
        resolve(this.server.server.address() as AddressInfo);
      });
    });
  }

  /** The address listened on, while listening. */
  address(): AddressInfo | undefined {
    const address = this.server.server.address();
    return address && typeof address === 'object' ? address : undefined;
  }

  /** Stops listening; connections still open are ended within two seconds. */
  close(): Promise<void> {
    if (!this.server.server.listening) return Promise.resolve();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The message's bytes, or undefined when it passed the size (read to its end all the same). */
  private receive(stream: SMTPServerDataStream): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= this.o.maxMessageBytes) chunks.push(chunk);
      });
      stream.once('error', reject);
      stream.once('end', () => resolve(size > this.o.maxMessageBytes ? undefined : Buffer.concat(chunks)));
    });
  }

  private refused(error: unknown, stage: 'rcpt' | 'data'): MailRefused {
    if (!(error instanceof MailRefused)) this.o.onError?.(error instanceof Error ? error : new Error(String(error)));
    const refusal = error instanceof MailRefused ? error : refusals.tryLater();
    this.o.onRefused?.(refusal, stage);
    return refusal;
  }
}
