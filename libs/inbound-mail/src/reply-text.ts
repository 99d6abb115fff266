import EmailReplyParser from 'email-reply-parser';

/**
 * The most characters the text of one e-mail reply may keep: the API's limit on a message
 * (`MESSAGE_MAX` of `apps/api/src/cases/case-requests.dto.ts`), so that a case's messages
 * have one bound whichever way they came.
 */
export const REPLY_TEXT_MAX = 20_000;

/**
 * What the customer wrote, without what they replied to: the quoted history ("On … wrote:",
 * "Le … a écrit :", Outlook's "From: / Sent:" and "De : / Envoyé :" blocks, `>` lines) and
 * the signature (`-- `, "Sent from my …") are taken away by email-reply-parser (the crisp-oss
 * port of GitHub's EmailReplyParser, which knows the headers of a dozen languages). Line
 * ends become `\n`, trailing blanks and empty lines at either end go; an empty result means
 * the e-mail had nothing of its own (only a quote).
 */
export const replyText = (body: string): string => {
  const normalised = body.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ');
  const visible = new EmailReplyParser().read(normalised).getVisibleText();
  return visible
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
};
