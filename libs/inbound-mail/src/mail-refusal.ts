import { REPLY_TEXT_MAX } from './reply-text';
import type { SenderVerdict } from './reply-sender';

/**
 * A message the listener will not take, answered at SMTP time: `responseCode` is the reply
 * code (smtp-server sends it with the message), the message starts with the enhanced status
 * code (RFC 3463) and says in a sentence why, and what to do. Nothing was recorded. 5xx is
 * final (the sender's server bounces the message to its author with this text); 4xx asks
 * the sender's server to try again later.
 */
export class MailRefused extends Error {
  constructor(
    readonly responseCode: number,
    readonly enhancedCode: string,
    readonly reason: string,
    sentence: string,
    /** what went wrong underneath (a 4xx: the database, the store), for the log */
    cause?: unknown,
  ) {
    super(`${enhancedCode} ${sentence}`, cause === undefined ? undefined : { cause });
    this.name = 'MailRefused';
  }
}

/** The refusals, one factory each; `reason` names them in logs and metrics. */
export const refusals = {
  /** RCPT: not a case's reply address (another shape or domain, or a signature that does not match) */
  unknownRecipient: (address: string) =>
    new MailRefused(
      550,
      '5.1.1',
      'unknown-recipient',
      `<${address}> is not the address of a support case: reply to a support e-mail without changing its address, or open a case in the support portal.`,
    ),
  /** RCPT: a second case in one transaction (one answer to DATA can only speak for one case) */
  oneCasePerMessage: () =>
    new MailRefused(
      452,
      '4.5.3',
      'several-cases',
      'One case per message: this recipient will be accepted in a transaction of its own.',
    ),
  /** the address is signed but names no case (not reached while addresses are only made for opened cases) */
  unknownCase: (caseId: string) =>
    new MailRefused(550, '5.1.1', 'unknown-case', `There is no case ${caseId}: open a case in the support portal.`),
  unreadable: (problem: string) =>
    new MailRefused(550, '5.6.0', 'unreadable', `The message could not be read as an e-mail: ${problem}.`),
  badSender: () =>
    new MailRefused(
      550,
      '5.1.7',
      'bad-sender',
      'The message must have one sender address in its From header; nothing was recorded.',
    ),
  senderNotAllowed: (from: string, verdict: Extract<SenderVerdict, { allowed: false }>) =>
    new MailRefused(
      550,
      '5.7.1',
      `sender-${verdict.reason}`,
      `${from} may not answer this case by e-mail: only the person who opened it, or an address of their organisation's own domain, may; nothing was recorded.`,
    ),
  emptyReply: () =>
    new MailRefused(
      550,
      '5.6.0',
      'empty-reply',
      'Your message has nothing of its own once the quoted e-mail and the signature are taken away: write your answer above the quoted text, or attach the files asked for; nothing was recorded.',
    ),
  textTooLong: (length: number) =>
    new MailRefused(
      552,
      '5.3.4',
      'text-too-long',
      `Your reply has ${length} characters of text, more than ${REPLY_TEXT_MAX}: send the rest as an attached file; nothing was recorded.`,
    ),
  /** after DATA (smtp-server refuses at MAIL FROM a message that declares a larger SIZE) */
  messageTooLarge: (maxBytes: number) =>
    new MailRefused(
      552,
      '5.3.4',
      'message-too-large',
      `The message is larger than ${maxBytes} bytes, the most a reply may have: send fewer or smaller files; nothing was recorded.`,
    ),
  attachmentTooLarge: (name: string, maxBytes: number) =>
    new MailRefused(
      552,
      '5.3.4',
      'attachment-too-large',
      `The attachment ${JSON.stringify(name)} is larger than ${maxBytes} bytes, the most a case's attachment may have; nothing was recorded.`,
    ),
  attachmentType: (name: string, detail: string) =>
    new MailRefused(
      550,
      '5.6.1',
      'attachment-type',
      `The attachment ${JSON.stringify(name)} is refused: ${detail} Nothing was recorded.`,
    ),
  closed: (caseId: string) =>
    new MailRefused(
      550,
      '5.2.1',
      'case-closed',
      `Case ${caseId} is closed, and a case is reopened by a reply only until it is closed: open a new case in the support portal and say it follows case ${caseId}; nothing was recorded.`,
    ),
  otherContent: (messageId: string) =>
    new MailRefused(
      550,
      '5.6.0',
      'message-id-reused',
      `A message with the Message-ID ${messageId} was already recorded on this case with another content: send the new content as a new message; nothing was recorded.`,
    ),
  /** any other domain refusal, with the domain's own sentence */
  refusedByCase: (message: string) => new MailRefused(550, '5.6.0', 'refused', `${message} Nothing was recorded.`),
  /** the store, the database or a race: the sender's server tries again later, and the message is recorded once */
  tryLater: (cause?: unknown) =>
    new MailRefused(
      451,
      '4.3.0',
      'try-later',
      'The reply could not be recorded just now; please try again later.',
      cause,
    ),
};
