import type { MailMessage } from './mail-transport';
import { escapeHtml, frQuoted, mailLanguage, utcMinute, type MailLanguage } from './mail-language';

/**
 * What a notification e-mail tells the customer: one per e-mailed case event
 * (docs/notifications.md), with what the customer needs from the event (and, for a
 * reminder, from the case: the items still asked for). Internal notes have no notice: they
 * are never e-mailed.
 */
export type CaseNotice =
  | { readonly kind: 'agent-responded'; readonly message: string }
  | { readonly kind: 'info-requested'; readonly items: readonly string[]; readonly message: string }
  | {
      readonly kind: 'resolved';
      readonly outcome: string;
      readonly summary: string;
      readonly recommendations?: string;
      readonly featureRequestUrl?: string;
    }
  | { readonly kind: 'reopened' }
  | { readonly kind: 'credit-issued'; readonly amount: number; readonly currency: string }
  | { readonly kind: 'incident-report-sent'; readonly reportUrl: string }
  | { readonly kind: 'closed'; readonly outcome: string }
  | { readonly kind: 'customer-reminded'; readonly items: readonly string[]; readonly waitingSince: string };

export type CaseNoticeKind = CaseNotice['kind'];

/** The notices a customer who turned the case's notifications off still gets: they ask for something. */
export const UNSTOPPABLE_NOTICES: readonly CaseNoticeKind[] = ['info-requested', 'customer-reminded'];

export interface NotificationMailInput {
  readonly from: string;
  readonly to: string;
  /** the case's signed reply address (`ReplyAddresses.addressFor`), when INBOUND_DOMAIN is set */
  readonly replyTo?: string;
  readonly caseId: string;
  readonly caseSubject: string;
  /** the case's language (BCP 47): French for `fr` and `fr-*`, English for every other */
  readonly language: string;
  /** `<PUBLIC_BASE_URL>/v1/cases/<id>` */
  readonly link: string;
  /** the event the mail tells of: its id makes the Message-ID, so a resend is recognisably the same mail */
  readonly eventId: string;
  readonly notice: CaseNotice;
  /** the Date header, from the injected clock */
  readonly date: Date;
}

type Words = Readonly<Record<MailLanguage, string>>;

/** R11: what the customer is asked for, in words. */
export const INFO_ITEM_WORDS: Readonly<Record<string, Words>> = {
  'reproduction-steps': {
    en: 'the precise steps that reproduce the problem',
    fr: 'les étapes précises qui reproduisent le problème',
  },
  troubleshooting: {
    en: 'the results of the troubleshooting procedure',
    fr: 'le résultat de la procédure de dépannage',
  },
  logs: { en: 'the log files', fr: 'les fichiers journaux (logs)' },
  'message-headers': { en: 'the headers of the messages concerned', fr: 'les en-têtes des messages concernés' },
};

/** R12: how the case ended, in words (a sentence's end: "Your case is resolved: …"). */
export const OUTCOME_WORDS: Readonly<Record<string, Words>> = {
  solved: { en: 'the problem is solved', fr: 'le problème est réglé' },
  'feature-request': {
    en: 'this is a feature request, which you can propose to the community',
    fr: 'il s’agit d’une demande d’évolution, que vous pouvez proposer à la communauté',
  },
  'cannot-reproduce': {
    en: 'we could not reproduce the problem, and give you our recommendations',
    fr: 'nous n’avons pas pu reproduire le problème, et vous donnons nos recommandations',
  },
  'third-party': {
    en: 'the problem lies with a third party, whose team we have engaged',
    fr: 'le problème relève d’un tiers, dont nous avons sollicité l’équipe',
  },
  'out-of-scope': {
    en: 'the request is outside the scope of our support',
    fr: 'la demande sort du périmètre de notre assistance',
  },
  outage: {
    en: 'the problem came from an outage, now resolved (see the status dashboard)',
    fr: 'le problème venait d’une panne, désormais résolue (voir la page d’état des services)',
  },
  'no-customer-answer': {
    en: 'the information we asked for did not reach us in time',
    fr: 'les informations demandées ne nous sont pas parvenues à temps',
  },
};

const itemWords = (item: string, lang: MailLanguage) => INFO_ITEM_WORDS[item]?.[lang] ?? item;
const outcomeWords = (outcome: string, lang: MailLanguage) => OUTCOME_WORDS[outcome]?.[lang] ?? outcome;

/** `120,00 €` in French, `€120.00` in English; a code Intl does not know is written as given. */
export const formatAmount = (amount: number, currency: string, lang: MailLanguage): string => {
  try {
    return new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
};

/** A mail's body, as blocks rendered both as text and as HTML. */
type Block =
  | { readonly p: string }
  /** someone's words (the agent's message, the resolution summary), shown as written */
  | { readonly quote: string }
  | { readonly list: readonly string[] }
  | { readonly link: string; readonly label: string };

interface Draft {
  readonly subject: string;
  readonly blocks: readonly Block[];
}

const subjectOf = (subject: string, lang: MailLanguage) => (lang === 'fr' ? frQuoted(subject) : `"${subject}"`);

/** The sentence on how to answer: by replying when the mail has a Reply-To, else on the case. */
const howToAnswer = (lang: MailLanguage, canReply: boolean, askedFor: boolean): string => {
  if (lang === 'fr') {
    if (!canReply) return 'Vous pouvez répondre sur la demande, au lien ci-dessous.';
    return askedFor
      ? 'Répondez simplement à cet e-mail, en y joignant les fichiers\u00a0: votre réponse sera ajoutée à la demande.'
      : 'Vous pouvez répondre à cet e-mail\u00a0: votre réponse sera ajoutée à la demande.';
  }
  if (!canReply) return 'You can answer on the case, at the link below.';
  return askedFor
    ? 'Simply reply to this e-mail, with the files attached: your answer is added to the case.'
    : 'You can reply to this e-mail: your reply is added to the case.';
};

const draftOf = (notice: CaseNotice, subject: string, lang: MailLanguage, canReply: boolean): Draft => {
  const s = subjectOf(subject, lang);
  const fr = lang === 'fr';
  switch (notice.kind) {
    case 'agent-responded':
      return fr
        ? {
            subject: `Nouvelle réponse sur votre demande d’assistance ${s}`,
            blocks: [
              { p: `Un agent a répondu sur votre demande d’assistance ${s}\u00a0:` },
              { quote: notice.message },
              { p: howToAnswer(lang, canReply, false) },
            ],
          }
        : {
            subject: `New reply on your support case ${s}`,
            blocks: [
              { p: `An agent answered on your support case ${s}:` },
              { quote: notice.message },
              { p: howToAnswer(lang, canReply, false) },
            ],
          };
    case 'info-requested':
      return fr
        ? {
            subject: `Informations nécessaires pour votre demande d’assistance ${s}`,
            blocks: [
              { p: `Pour avancer sur votre demande d’assistance ${s}, nous avons besoin de votre part\u00a0:` },
              { list: notice.items.map((item) => itemWords(item, lang)) },
              { p: 'Le message de l’agent\u00a0:' },
              { quote: notice.message },
              { p: howToAnswer(lang, canReply, true) },
              { p: 'La demande attend votre réponse\u00a0; elle reviendra à nos agents dès qu’elle nous parviendra.' },
            ],
          }
        : {
            subject: `Information needed for your support case ${s}`,
            blocks: [
              { p: `To go on with your support case ${s}, we need from you:` },
              { list: notice.items.map((item) => itemWords(item, lang)) },
              { p: 'The agent’s message:' },
              { quote: notice.message },
              { p: howToAnswer(lang, canReply, true) },
              { p: 'The case waits for your answer; it goes back to our agents as soon as it arrives.' },
            ],
          };
    case 'resolved': {
      const extra: Block[] = [];
      if (notice.recommendations)
        extra.push(
          { p: fr ? 'Nos recommandations\u00a0:' : 'Our recommendations:' },
          { quote: notice.recommendations },
        );
      if (notice.featureRequestUrl)
        extra.push({
          link: notice.featureRequestUrl,
          label: fr ? 'Proposer l’évolution à la communauté' : 'Propose the feature to the community',
        });
      return fr
        ? {
            subject: `Votre demande d’assistance ${s} est résolue`,
            blocks: [
              { p: `Votre demande d’assistance ${s} est résolue\u00a0: ${outcomeWords(notice.outcome, lang)}.` },
              { quote: notice.summary },
              ...extra,
              {
                p: canReply
                  ? 'Si le problème persiste, répondez à cet e-mail tant que la demande n’est pas clôturée\u00a0: votre réponse la rouvre.'
                  : 'Si le problème persiste, rouvrez la demande tant qu’elle n’est pas clôturée.',
              },
            ],
          }
        : {
            subject: `Your support case ${s} is resolved`,
            blocks: [
              { p: `Your support case ${s} is resolved: ${outcomeWords(notice.outcome, lang)}.` },
              { quote: notice.summary },
              ...extra,
              {
                p: canReply
                  ? 'If the problem is still there, reply to this e-mail as long as the case is not closed: your reply reopens it.'
                  : 'If the problem is still there, reopen the case as long as it is not closed.',
              },
            ],
          };
    }
    case 'reopened':
      return fr
        ? {
            subject: `Votre demande d’assistance ${s} est rouverte`,
            blocks: [
              {
                p: `Votre demande d’assistance ${s} est rouverte\u00a0: elle est de nouveau entre les mains de nos agents, qui vous répondront.`,
              },
            ],
          }
        : {
            subject: `Your support case ${s} is reopened`,
            blocks: [{ p: `Your support case ${s} is reopened: it is back with our agents, who will answer you.` }],
          };
    case 'credit-issued': {
      const amount = formatAmount(notice.amount, notice.currency, lang);
      return fr
        ? {
            subject: `Crédit de service accordé pour votre demande d’assistance ${s}`,
            blocks: [
              {
                p: `Un crédit de service de ${amount} vous est accordé pour votre demande d’assistance ${s}, au titre de l’incident qui l’a touchée.`,
              },
            ],
          }
        : {
            subject: `Service credit issued for your support case ${s}`,
            blocks: [
              {
                p: `A service credit of ${amount} was issued to you for your support case ${s}, for the incident that affected it.`,
              },
            ],
          };
    }
    case 'incident-report-sent':
      return fr
        ? {
            subject: `Rapport d’incident pour votre demande d’assistance ${s}`,
            blocks: [
              {
                p: `Le rapport d’incident que vous avez demandé pour votre demande d’assistance ${s} est disponible\u00a0:`,
              },
              { link: notice.reportUrl, label: 'Rapport d’incident' },
            ],
          }
        : {
            subject: `Incident report for your support case ${s}`,
            blocks: [
              { p: `The incident report you asked for on your support case ${s} is ready:` },
              { link: notice.reportUrl, label: 'Incident report' },
            ],
          };
    case 'closed':
      return fr
        ? {
            subject: `Votre demande d’assistance ${s} est clôturée`,
            blocks: [
              { p: `Votre demande d’assistance ${s} est clôturée (${outcomeWords(notice.outcome, lang)}).` },
              { p: 'Si le problème revient, ouvrez une nouvelle demande qui fait référence à celle-ci.' },
            ],
          }
        : {
            subject: `Your support case ${s} is closed`,
            blocks: [
              { p: `Your support case ${s} is closed (${outcomeWords(notice.outcome, lang)}).` },
              { p: 'If the problem comes back, open a new case that refers to this one.' },
            ],
          };
    case 'customer-reminded': {
      const since = utcMinute(new Date(notice.waitingSince));
      return fr
        ? {
            subject: `Rappel\u00a0: votre demande d’assistance ${s} attend votre réponse`,
            blocks: [
              {
                p: `Votre demande d’assistance ${s} attend votre réponse depuis le ${since}. Il nous faut toujours\u00a0:`,
              },
              { list: notice.items.map((item) => itemWords(item, lang)) },
              { p: howToAnswer(lang, canReply, true) },
              { p: 'Sans réponse de votre part, nous devrons résoudre la demande en l’état.' },
            ],
          }
        : {
            subject: `Reminder: your support case ${s} awaits your answer`,
            blocks: [
              { p: `Your support case ${s} has been waiting for your answer since ${since}. We still need:` },
              { list: notice.items.map((item) => itemWords(item, lang)) },
              { p: howToAnswer(lang, canReply, true) },
              { p: 'Without an answer from you, we will have to resolve the case as it stands.' },
            ],
          };
    }
  }
};

const GREETING: Words = { en: 'Hello,', fr: 'Bonjour,' };
const CASE_LINK: Words = { en: 'Your case', fr: 'Votre demande' };
const SIGNATURE: Words = { en: 'Kind regards,\nThe support team', fr: 'Cordialement,\nL’équipe d’assistance' };
const STOP_HINT: Words = {
  en: 'You get these e-mails about this case unless you turn its notifications off; the survey and our requests for information still come.',
  fr: 'Vous recevez ces e-mails sur cette demande tant que vous n’en désactivez pas les notifications\u00a0; le questionnaire de satisfaction et nos demandes d’informations vous parviennent toujours.',
};

/** the colon after a label: French puts a no-break space before it */
const COLON: Words = { en: ': ', fr: '\u00a0: ' };

const text = (blocks: readonly Block[], lang: MailLanguage): string =>
  blocks
    .map((b) => {
      if ('p' in b) return b.p;
      if ('quote' in b) return b.quote;
      if ('list' in b) return b.list.map((item) => `- ${item}`).join('\n');
      return `${b.label}${COLON[lang]}${b.link}`;
    })
    .join('\n\n');

const html = (blocks: readonly Block[]): string =>
  blocks
    .map((b) => {
      if ('p' in b) return `<p>${escapeHtml(b.p).replace(/\n/g, '<br>')}</p>`;
      if ('quote' in b)
        return `<blockquote style="margin:0 0 1em;padding-left:1em;border-left:3px solid #ccc">${escapeHtml(b.quote).replace(/\n/g, '<br>')}</blockquote>`;
      if ('list' in b) return `<ul>${b.list.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
      return `<p><a href="${escapeHtml(b.link)}">${escapeHtml(b.label)}</a></p>`;
    })
    .join('\n');

/**
 * A notification e-mail (docs/notifications.md): in the case's language (French for `fr-*`,
 * English for every other), with the message of the event, a link to the case and, when
 * the desk receives replies (INBOUND_DOMAIN), the case's signed `Reply-To`. Its Message-ID
 * is made of the event id, the same for every attempt.
 */
export const notificationMail = (input: NotificationMailInput): MailMessage => {
  const lang = mailLanguage(input.language);
  const draft = draftOf(input.notice, input.caseSubject, lang, input.replyTo !== undefined);
  const caseLink: Block = { link: input.link, label: CASE_LINK[lang] };
  const closing: Block[] = UNSTOPPABLE_NOTICES.includes(input.notice.kind)
    ? [{ p: SIGNATURE[lang] }]
    : [{ p: SIGNATURE[lang] }, { p: STOP_HINT[lang] }];
  const blocks: Block[] = [{ p: GREETING[lang] }, ...draft.blocks, caseLink, ...closing];
  return {
    from: input.from,
    to: input.to,
    ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }),
    subject: draft.subject,
    date: input.date,
    messageId: `<notification.${input.eventId.replace(/[^A-Za-z0-9.-]+/g, '.')}@support-case-backend>`,
    headers: { 'X-Case-Id': input.caseId, 'X-Case-Notification': input.notice.kind, 'Content-Language': lang },
    text: text(blocks, lang),
    html: `<div lang="${lang}">\n${html(blocks)}\n</div>`,
  };
};
