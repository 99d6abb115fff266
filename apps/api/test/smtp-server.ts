import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** What the server received: a message as a mail client parses it, and its envelope's recipients. */
export interface ReceivedMail {
  readonly mail: ParsedMail;
  readonly rcpt: string[];
}

/** A real SMTP server on loopback that keeps what it receives; `listen(port)` again after `close()` (an outage). */
export const smtpServer = () => {
  const received: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  return {
    received,
    listen: async (port = 0): Promise<number> => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, session, callback) {
          const rcpt = session.envelope.rcptTo.map((r) => r.address);
          simpleParser(stream).then(
            (mail) => (received.push({ mail, rcpt }), callback()),
            (error: Error) => callback(error),
          );
        },
      });
      const s = server;
      await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
      return (s.server.address() as AddressInfo).port;
    },
    close: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
};
