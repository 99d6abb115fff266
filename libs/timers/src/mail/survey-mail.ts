import type { MailMessage } from './mail-transport';

export interface SurveyMailInput {
  readonly from: string;
  readonly to: string;
  readonly caseId: string;
  readonly caseSubject: string;
  readonly surveyId: string;
  /** `<PUBLIC_BASE_URL>/v1/surveys/<token>` */
  readonly link: string;
  readonly date: Date;
  /**
   * R15: when the case is closed automatically (its resolution + AUTO_CLOSE_DAYS): until
   * then a reply reopens it. Unknown: the mail says "until it is closed" without a date.
   */
  readonly closesAt?: Date;
}

/** `2026-03-09 10:00 UTC`: unambiguous in every language and the same on every runtime */
const utc = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * R15: what happens if the customer is not satisfied, exactly as the domain does it: a reply
 * on a resolved case reopens it until the case is closed; a closed case is not reopened, a
 * new case that refers to it is opened instead.
 */
export const notSolvedText = (date: Date, closesAt: Date | undefined): string => {
  if (closesAt === undefined)
    return (
      'If the problem is not solved, reply on the case: your reply reopens it, as long as the case is not closed. ' +
      'Once it is closed, open a new case that refers to this one instead.'
    );
  if (closesAt.getTime() <= date.getTime())
    return 'If the problem is not solved, open a new case that refers to this one: this case is being closed.';
  return (
    `If the problem is not solved, reply on the case before ${utc(closesAt)}: your reply reopens it. ` +
    'The case is closed then; after that, open a new case that refers to this one instead.'
  );
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** R15: the satisfaction survey e-mail, in text and HTML, with the signed single-use link. */
export const surveyMail = ({
  from,
  to,
  caseId,
  caseSubject,
  surveyId,
  link,
  date,
  closesAt,
}: SurveyMailInput): MailMessage => ({
  from,
  date,
  to,
  subject: `How did we do? Your support case "${caseSubject}"`,
  messageId: `<survey.${surveyId.replace(/[^A-Za-z0-9.-]+/g, '.')}@support-case-backend>`,
  headers: { 'X-Case-Id': caseId, 'X-Survey-Id': surveyId },
  text: [
    `Your support case "${caseSubject}" was resolved.`,
    '',
    'How satisfied are you with the help you received? Rate it from 1 (not at all) to 5 (very),',
    'with a comment if you like, at this link (it works once):',
    '',
    link,
    '',
    notSolvedText(date, closesAt),
  ].join('\n'),
  html: [
    `<p>Your support case <strong>${escapeHtml(caseSubject)}</strong> was resolved.</p>`,
    '<p>How satisfied are you with the help you received? Rate it from 1 (not at all) to 5 (very),',
    'with a comment if you like (the link works once):</p>',
    `<p><a href="${escapeHtml(link)}">Answer the survey</a></p>`,
    `<p>${escapeHtml(notSolvedText(date, closesAt))}</p>`,
  ].join('\n'),
});
