/** The languages the e-mails to customers are written in (docs/notifications.md). */
export const MAIL_LANGUAGES = ['en', 'fr'] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

/**
 * The language of a case's e-mails, from the case's BCP 47 tag (`Opened.language`): French
 * for any French tag (`fr`, `fr-FR`, `fr-CA`, `FR-be`…), English for every other language,
 * the one every customer of the desk is assumed to read.
 */
export const mailLanguage = (tag: string | undefined): MailLanguage =>
  /^fr(?:-|$)/i.test((tag ?? '').trim()) ? 'fr' : 'en';

/** `2026-03-09 10:00 UTC`: unambiguous in both languages and the same on every runtime */
export const utcMinute = (at: Date): string => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** French quotes around a case subject, with the no-break spaces French typography puts inside them. */
export const frQuoted = (text: string): string => `«\u00a0${text}\u00a0»`;
