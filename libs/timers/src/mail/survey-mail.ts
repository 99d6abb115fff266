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
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** R15: the satisfaction survey e-mail, in text and HTML, with the signed single-use link. */
export const surveyMail = ({ from, to, caseId, caseSubject, surveyId, link, date }: SurveyMailInput): MailMessage => ({
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
    'If the problem is not solved, reply on the case instead: it will be reopened.',
  ].join('\n'),
  html: [
    `<p>Your support case <strong>${escapeHtml(caseSubject)}</strong> was resolved.</p>`,
    '<p>How satisfied are you with the help you received? Rate it from 1 (not at all) to 5 (very),',
    'with a comment if you like (the link works once):</p>',
    `<p><a href="${escapeHtml(link)}">Answer the survey</a></p>`,
    '<p>If the problem is not solved, reply on the case instead: it will be reopened.</p>',
  ].join('\n'),
});
