import type { MailMessage } from './mail-transport';
import { escapeHtml, frQuoted, mailLanguage, utcMinute, type MailLanguage } from './mail-language';

export interface SurveyMailInput {
  readonly from: string;
  readonly to: string;
  readonly caseId: string;
  readonly caseSubject: string;
  readonly surveyId: string;
  /** `<PUBLIC_BASE_URL>/console/survey/<token>`: the web console's survey page */
  readonly link: string;
  readonly date: Date;
  /**
   * R15: when the case is closed automatically (its resolution + AUTO_CLOSE_DAYS): until
   * then a reply reopens it. Unknown: the mail says "until it is closed" without a date.
   */
  readonly closesAt?: Date;
  /** the case's language (BCP 47): French for `fr` and `fr-*`, English for every other (the default) */
  readonly language?: string;
  /** the case's signed reply address (`ReplyAddresses.addressFor`), when INBOUND_DOMAIN is set: a reply reopens the case */
  readonly replyTo?: string;
}

/**
 * R15: what happens if the customer is not satisfied, exactly as the domain does it: a reply
 * on a resolved case reopens it until the case is closed; a closed case is not reopened, a
 * new case that refers to it is opened instead.
 */
export const notSolvedText = (date: Date, closesAt: Date | undefined, lang: MailLanguage = 'en'): string => {
  if (lang === 'fr') return notSolvedTextFr(date, closesAt);
  if (closesAt === undefined)
    return (
      'If the problem is not solved, reply on the case: your reply reopens it, as long as the case is not closed. ' +
      'Once it is closed, open a new case that refers to this one instead.'
    );
  if (closesAt.getTime() <= date.getTime())
    return 'If the problem is not solved, open a new case that refers to this one: this case is being closed.';
  return (
    `If the problem is not solved, reply on the case before ${utcMinute(closesAt)}: your reply reopens it. ` +
    'The case is closed then; after that, open a new case that refers to this one instead.'
  );
};

const notSolvedTextFr = (date: Date, closesAt: Date | undefined): string => {
  if (closesAt === undefined)
    return (
      'Si le problème n’est pas résolu, répondez sur la demande\u00a0: votre réponse la rouvre, tant qu’elle n’est pas clôturée. ' +
      'Une fois qu’elle l’est, ouvrez plutôt une nouvelle demande qui fait référence à celle-ci.'
    );
  if (closesAt.getTime() <= date.getTime())
    return 'Si le problème n’est pas résolu, ouvrez une nouvelle demande qui fait référence à celle-ci\u00a0: cette demande est en cours de clôture.';
  return (
    `Si le problème n’est pas résolu, répondez sur la demande avant le ${utcMinute(closesAt)}\u00a0: votre réponse la rouvre. ` +
    'La demande est alors clôturée\u00a0; ensuite, ouvrez plutôt une nouvelle demande qui fait référence à celle-ci.'
  );
};

/** The survey mail's words in French (the English ones are written in `surveyMail`). */
const surveyMailFr = (caseSubject: string, link: string, notSolved: string) => ({
  subject: `Votre avis compte\u00a0: votre demande d’assistance ${frQuoted(caseSubject)}`,
  text: [
    `Votre demande d’assistance ${frQuoted(caseSubject)} a été résolue.`,
    '',
    'Êtes-vous satisfait de l’aide reçue\u00a0? Donnez une note de 1 (pas du tout) à 5 (tout à fait),',
    'avec un commentaire si vous le souhaitez, à ce lien (il ne sert qu’une fois)\u00a0:',
    '',
    link,
    '',
    notSolved,
  ].join('\n'),
  html: [
    `<div lang="fr">`,
    `<p>Votre demande d’assistance <strong>${escapeHtml(frQuoted(caseSubject))}</strong> a été résolue.</p>`,
    '<p>Êtes-vous satisfait de l’aide reçue\u00a0? Donnez une note de 1 (pas du tout) à 5 (tout à fait),',
    'avec un commentaire si vous le souhaitez (le lien ne sert qu’une fois)\u00a0:</p>',
    `<p><a href="${escapeHtml(link)}">Répondre au questionnaire</a></p>`,
    `<p>${escapeHtml(notSolved)}</p>`,
    `</div>`,
  ].join('\n'),
});

/**
 * R15: the satisfaction survey e-mail, in text and HTML, with the signed single-use link, in
 * the case's language (French for `fr-*`, English otherwise), with the case's signed
 * `Reply-To` when there is one.
 */
export const surveyMail = ({
  from,
  to,
  caseId,
  caseSubject,
  surveyId,
  link,
  date,
  closesAt,
  language,
  replyTo,
}: SurveyMailInput): MailMessage => {
  const lang = mailLanguage(language);
  const envelope = {
    from,
    date,
    to,
    ...(replyTo === undefined ? {} : { replyTo }),
    messageId: `<survey.${surveyId.replace(/[^A-Za-z0-9.-]+/g, '.')}@support-case-backend>`,
    headers: { 'X-Case-Id': caseId, 'X-Survey-Id': surveyId, 'Content-Language': lang },
  };
  if (lang === 'fr') return { ...envelope, ...surveyMailFr(caseSubject, link, notSolvedText(date, closesAt, 'fr')) };
  return { ...envelope, ...surveyMailEn(caseSubject, link, notSolvedText(date, closesAt)) };
};

const surveyMailEn = (caseSubject: string, link: string, notSolved: string) => ({
  subject: `How did we do? Your support case "${caseSubject}"`,
  text: [
    `Your support case "${caseSubject}" was resolved.`,
    '',
    'How satisfied are you with the help you received? Rate it from 1 (not at all) to 5 (very),',
    'with a comment if you like, at this link (it works once):',
    '',
    link,
    '',
    notSolved,
  ].join('\n'),
  html: [
    `<p>Your support case <strong>${escapeHtml(caseSubject)}</strong> was resolved.</p>`,
    '<p>How satisfied are you with the help you received? Rate it from 1 (not at all) to 5 (very),',
    'with a comment if you like (the link works once):</p>',
    `<p><a href="${escapeHtml(link)}">Answer the survey</a></p>`,
    `<p>${escapeHtml(notSolved)}</p>`,
  ].join('\n'),
});
