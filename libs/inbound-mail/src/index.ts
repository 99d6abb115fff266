/**
 * @app/inbound-mail: the customers' e-mail replies, filed on their cases (README.md beside
 * src/). The pure rules (the sender, the text without quote and signature, the command) are
 * apart from the mailbox (parse, store the files, write through the command door) and the
 * SMTP listener.
 */
export { REPLY_TEXT_MAX, replyText } from './reply-text';
export { replySender, type CaseParties, type ReplyActor, type SenderVerdict } from './reply-sender';
export { replyCommand, type InboundReply } from './reply-command';
export { MailRefused, refusals } from './mail-refusal';
export { refusalOf } from './refusal-of';
export {
  InboundMailbox,
  inboundMailScope,
  type AttachmentSink,
  type Delivered,
  type InboundMailboxOptions,
} from './inbound-mailbox';
export { InboundSmtpServer, type InboundSmtpServerOptions } from './inbound-smtp-server';
export { InboundMailModule, INBOUND_MESSAGE_CEILING_BYTES, inboundMessageMaxBytes } from './inbound-mail.module';
