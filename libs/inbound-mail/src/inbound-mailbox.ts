import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { convert as htmlToText } from 'html-to-text';
import { simpleParser, type Attachment as MailPart, type ParsedMail } from 'mailparser';
import {
  caseDecider,
  foldEvents,
  isOpenedCase,
  toCaseStreamId,
  type Attachment,
  type CaseEvent,
} from '@app/case-domain';
import type { Clock } from '@app/clock';
import { ChangeCase, type CommandDoor, type IdempotencyClaim } from '@app/commands';
import type { EventStore } from '@app/event-store';
import type { ReplyAddresses } from '@app/timers';
import { MailRefused, refusals } from './mail-refusal';
import { refusalOf } from './refusal-of';
import { replyCommand, type InboundReply } from './reply-command';
import { replySender } from './reply-sender';
import { REPLY_TEXT_MAX, replyText } from './reply-text';

/** Where the files of a reply go: `AttachmentStore` of @app/attachments (the same four fields back). */
export interface AttachmentSink {
  /** ATTACHMENT_MAX_BYTES: the most one file may have */
  readonly maxBytes: number;
  put(content: Buffer, name: string): Promise<Attachment>;
}

export interface InboundMailboxOptions {
  /** the case is read from its stream: its requester and organisation, and the Message-IDs recorded */
  readonly store: EventStore;
  readonly commands: CommandDoor;
  readonly attachments: AttachmentSink;
  readonly addresses: ReplyAddresses;
  /** R2: the access policy's `isConsumerDomain` (CONSUMER_DOMAINS) */
  readonly isConsumerDomain: (domain: string) => boolean;
  readonly clock: Clock;
}

/** What a delivered reply came to. */
export interface Delivered {
  readonly caseId: string;
  /** the Message-ID it is recorded under (an e-mail without one: a hash of its content) */
  readonly messageId: string;
  /** the command it became (none for a message recorded before) */
  readonly command?: 'ProvideInfo' | 'ReplyToCase';
  /** the types of the events appended (none for a message recorded before) */
  readonly events: readonly string[];
  /** the same message was recorded before (a second delivery): nothing was stored or written */
  readonly replayed: boolean;
}

/** The idempotency scope of a case's e-mail replies: the key is the message's Message-ID. */
export const inboundMailScope = (caseId: string): string => `inbound-mail:${caseId}`;

/** a Message-ID longer than this is kept as its hash (a header line is at most 998 characters) */
const MESSAGE_ID_MAX = 255;

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * The customers' e-mail replies, filed on cases: the recipient names the case (its signed
 * reply address), the message becomes one command through the command door. The SMTP
 * server ({@link InboundSmtpServer}) calls {@link caseOf} at RCPT and {@link deliver} after
 * DATA; everything refused throws {@link MailRefused}, answered at SMTP time, and then
 * nothing is recorded. The rules themselves are the pure functions beside this file
 * ({@link replySender}, {@link replyText}, {@link replyCommand}) and the domain's.
 */
export class InboundMailbox {
  constructor(private readonly o: InboundMailboxOptions) {}

  /** The case a recipient address names, or {@link MailRefused} (550 5.1.1) for any other address. */
  caseOf(recipient: string): string {
    const caseId = this.o.addresses.caseOf(recipient);
    if (!caseId) throw refusals.unknownRecipient(recipient);
    return caseId;
  }

  /**
   * Files one message on the case, in this order: parse; the sender (`From`) must be the
   * case's requester or an address of its organisation's domain; the text without quote and
   * signature, the attachments (parts embedded in the HTML, such as signature logos, are not
   * kept); a message whose Message-ID is recorded on the case already is answered as recorded
   * (a second delivery); the domain's rules are tried on the case as read, before any file is
   * stored (a closed case stores nothing); the files are stored; the command is written under
   * the claim `{scope: inbound-mail:<caseId>, key: <Message-ID>}`, decided again on the case
   * as it then stands.
   */
  async deliver(caseId: string, raw: Buffer): Promise<Delivered> {
    const mail = await parse(raw);
    const senders = mail.from?.value ?? [];
    const from = senders.length === 1 ? senders[0].address : undefined;
    if (!from) throw refusals.badSender();

    const { events } = await this.read(caseId);
    const state = foldEvents(caseDecider, events as unknown as CaseEvent[]);
    if (!isOpenedCase(state)) throw refusals.unknownCase(caseId);
    const sender = replySender(from, state, this.o.isConsumerDomain);
    if (!sender.allowed) throw refusals.senderNotAllowed(from, sender);

    const text = replyText(bodyOf(mail));
    if (text.length > REPLY_TEXT_MAX) throw refusals.textTooLong(text.length);
    const files = mail.attachments.filter((part) => !part.related).map(fileOf);
    if (text === '' && files.length === 0) throw refusals.emptyReply();
    const tooLarge = files.find((file) => file.content.length > this.o.attachments.maxBytes);
    if (tooLarge) throw refusals.attachmentTooLarge(tooLarge.name, this.o.attachments.maxBytes);

    const fingerprint = sha256(
      canonicalize({ caseId, from: from.toLowerCase(), text, files: files.map((f) => [f.name, f.sha256]) }) ?? '',
    );
    const messageId = messageIdOf(mail, fingerprint);
    const claim: IdempotencyClaim = { scope: inboundMailScope(caseId), key: messageId, fingerprint };

    // a second delivery: answered from the stream, nothing stored or written again
    const recorded = events.find(
      (e) => e.metadata?.idempotencyScope === claim.scope && e.metadata?.idempotencyKey === claim.key,
    );
    if (recorded) {
      if (recorded.metadata?.requestFingerprint !== fingerprint) throw refusals.otherContent(messageId);
      return { caseId, messageId, events: [], replayed: true };
    }

    // the domain's rules on the case as read, with the files as they will be described, before storing any
    const described: Attachment[] = files.map((f) => ({
      name: f.name,
      size: f.content.length,
      contentType: f.contentType,
      sha256: f.sha256,
    }));
    const trial = replyCommand(caseId, state, { text, attachments: described }, sender.actor);
    try {
      caseDecider.decide(state, trial, this.o.clock.now());
    } catch (refusal) {
      throw refusalOf(refusal, caseId, messageId);
    }

    const reply: InboundReply = { text, attachments: await this.store(files) };
    let command: 'ProvideInfo' | 'ReplyToCase' | undefined;
    try {
      const change = await this.o.commands.execute(
        new ChangeCase({
          caseId,
          command: (current) => {
            const decided = replyCommand(caseId, current, reply, sender.actor);
            command = decided.type as typeof command;
            return decided;
          },
          actor: sender.actor,
          idempotency: claim,
        }),
      );
      return {
        caseId,
        messageId,
        command: change.replayed ? undefined : command,
        events: change.events.map((e) => e.type),
        replayed: change.replayed,
      };
    } catch (error) {
      throw refusalOf(error, caseId, messageId);
    }
  }

  private async read(caseId: string) {
    try {
      return await this.o.store.readStream(toCaseStreamId(caseId));
    } catch (error) {
      throw refusals.tryLater(error);
    }
  }

  /** Stores the files one after the other; a refused one refuses the message. */
  private async store(files: readonly MailFile[]): Promise<Attachment[]> {
    const stored: Attachment[] = [];
    for (const file of files) {
      try {
        stored.push(await this.o.attachments.put(file.content, file.name));
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        if (code === 'ATTACHMENT.TOO_LARGE') throw refusals.attachmentTooLarge(file.name, this.o.attachments.maxBytes);
        if (code === 'ATTACHMENT.TYPE_NOT_ALLOWED') throw refusals.attachmentType(file.name, (error as Error).message);
        throw error instanceof MailRefused ? error : refusals.tryLater(error);
      }
    }
    return stored;
  }
}

interface MailFile {
  readonly name: string;
  readonly content: Buffer;
  readonly contentType: string;
  readonly sha256: string;
}

const fileOf = (part: MailPart, index: number): MailFile => ({
  name: part.filename?.trim() || `attachment-${index + 1}`,
  content: part.content,
  contentType: part.contentType || 'application/octet-stream',
  // simpleParser is asked for SHA-256 checksums (`checksumAlgo`)
  sha256: part.checksum,
});

const parse = async (raw: Buffer): Promise<ParsedMail> => {
  try {
    return await simpleParser(raw, {
      checksumAlgo: 'sha256',
      keepCidLinks: true,
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
    });
  } catch (error) {
    throw refusals.unreadable(error instanceof Error ? error.message : String(error));
  }
};

/**
 * The text of the message: its text part, else its HTML as text (mailparser converts the HTML
 * of an HTML-only message only when it is the whole message, not one beside attachments or
 * embedded images). Quotes (`<blockquote>`) become `>` lines, which {@link replyText} drops.
 */
const bodyOf = (mail: ParsedMail): string => {
  if (mail.text?.trim()) return mail.text;
  if (typeof mail.html !== 'string' || mail.html.trim() === '') return '';
  return htmlToText(mail.html, {
    wordwrap: false,
    limits: { maxDepth: 64 },
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
};

/** The message's Message-ID (a long one by its hash), or one made of the content's fingerprint. */
const messageIdOf = (mail: ParsedMail, fingerprint: string): string => {
  const given = mail.messageId?.trim();
  if (!given) return `<content-${fingerprint}@inbound-mail>`;
  return given.length <= MESSAGE_ID_MAX ? given : `<sha256-${sha256(given)}@inbound-mail>`;
};
