import { INFO_ITEMS, OUTCOMES } from '@app/case-domain';
import { mailLanguage } from './mail-language';
import {
  INFO_ITEM_WORDS,
  notificationMail,
  OUTCOME_WORDS,
  type CaseNotice,
  type NotificationMailInput,
} from './notification-mail';

const CASE_ID = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
const REPLY_TO = `case+${CASE_ID}.0123456789abcdef@reply.desk.example`;
const base: Omit<NotificationMailInput, 'notice' | 'language'> = {
  from: 'Support <support@desk.example>',
  to: 'ana@acme.example',
  replyTo: REPLY_TO,
  caseId: CASE_ID,
  caseSubject: 'SSO <fails> & more',
  link: `https://support.example/v1/cases/${CASE_ID}`,
  eventId: '6fa459ea-ee8a-4ca4-894e-db77e160355e',
  date: new Date('2026-03-03T10:00:00Z'),
};
const mail = (notice: CaseNotice, language = 'en', o: Partial<NotificationMailInput> = {}) =>
  notificationMail({ ...base, notice, language, ...o });
const NBSP = '\u00a0';

/** One notice of each kind, as the planner makes them from the events. */
const NOTICES: Record<CaseNotice['kind'], CaseNotice> = {
  'agent-responded': { kind: 'agent-responded', message: 'We renewed the SAML certificate.\nPlease try again.' },
  'info-requested': {
    kind: 'info-requested',
    items: ['reproduction-steps', 'troubleshooting', 'logs', 'message-headers'],
    message: 'Please send what the list says.',
  },
  resolved: {
    kind: 'resolved',
    outcome: 'cannot-reproduce',
    summary: 'No failure since Tuesday.',
    recommendations: 'Clear the browser cache.',
  },
  reopened: { kind: 'reopened' },
  'credit-issued': { kind: 'credit-issued', amount: 120, currency: 'EUR' },
  'incident-report-sent': { kind: 'incident-report-sent', reportUrl: 'https://status.example/reports/inc-1' },
  closed: { kind: 'closed', outcome: 'solved' },
  'customer-reminded': { kind: 'customer-reminded', items: ['logs'], waitingSince: '2026-03-02T09:00:00.000Z' },
};

/** The subject of each notice in each language, for the case "SSO <fails> & more". */
const SUBJECTS: Record<CaseNotice['kind'], { en: string; fr: string }> = {
  'agent-responded': {
    en: 'New reply on your support case "SSO <fails> & more"',
    fr: `Nouvelle réponse sur votre demande d’assistance «${NBSP}SSO <fails> & more${NBSP}»`,
  },
  'info-requested': {
    en: 'Information needed for your support case "SSO <fails> & more"',
    fr: `Informations nécessaires pour votre demande d’assistance «${NBSP}SSO <fails> & more${NBSP}»`,
  },
  resolved: {
    en: 'Your support case "SSO <fails> & more" is resolved',
    fr: `Votre demande d’assistance «${NBSP}SSO <fails> & more${NBSP}» est résolue`,
  },
  reopened: {
    en: 'Your support case "SSO <fails> & more" is reopened',
    fr: `Votre demande d’assistance «${NBSP}SSO <fails> & more${NBSP}» est rouverte`,
  },
  'credit-issued': {
    en: 'Service credit issued for your support case "SSO <fails> & more"',
    fr: `Crédit de service accordé pour votre demande d’assistance «${NBSP}SSO <fails> & more${NBSP}»`,
  },
  'incident-report-sent': {
    en: 'Incident report for your support case "SSO <fails> & more"',
    fr: `Rapport d’incident pour votre demande d’assistance «${NBSP}SSO <fails> & more${NBSP}»`,
  },
  closed: {
    en: 'Your support case "SSO <fails> & more" is closed',
    fr: `Votre demande d’assistance «${NBSP}SSO <fails> & more${NBSP}» est clôturée`,
  },
  'customer-reminded': {
    en: 'Reminder: your support case "SSO <fails> & more" awaits your answer',
    fr: `Rappel${NBSP}: votre demande d’assistance «${NBSP}SSO <fails> & more${NBSP}» attend votre réponse`,
  },
};

describe('the notification e-mails: one template per notified event, in French and in English', () => {
  describe.each(Object.keys(NOTICES) as CaseNotice['kind'][])('%s', (kind) => {
    it.each(['en', 'fr'] as const)('in %s: subject, greeting, signature, the case link, the Reply-To', (lang) => {
      const m = mail(NOTICES[kind], lang);
      expect(m.subject).toBe(SUBJECTS[kind][lang]);
      expect(m.text.startsWith(lang === 'fr' ? 'Bonjour,\n\n' : 'Hello,\n\n')).toBe(true);
      expect(m.text).toContain(
        lang === 'fr' ? 'Cordialement,\nL’équipe d’assistance' : 'Kind regards,\nThe support team',
      );
      expect(m.text).toContain(`${lang === 'fr' ? `Votre demande${NBSP}` : 'Your case'}: ${base.link}`);
      expect(m.html).toContain(`<a href="${base.link}">`);
      expect(m.html.startsWith(`<div lang="${lang}">`)).toBe(true);
      expect(m).toMatchObject({ from: base.from, to: 'ana@acme.example', replyTo: REPLY_TO, date: base.date });
      expect(m.headers).toEqual({ 'X-Case-Id': CASE_ID, 'X-Case-Notification': kind, 'Content-Language': lang });
      // the same Message-ID on every attempt: a resend is recognisably the same mail
      expect(m.messageId).toBe('<notification.6fa459ea-ee8a-4ca4-894e-db77e160355e@support-case-backend>');
      // the subject is text: escaped in HTML, never markup
      expect(m.html).not.toContain('<fails>');
      // no word of the other language slipped in
      if (lang === 'en') expect(m.text).not.toMatch(/demande|Bonjour|votre/);
      else expect(m.text).not.toMatch(/\b(your|the case|Hello)\b/);
    });
  });

  it("carries the agent's message as written, and says a reply goes onto the case", () => {
    const en = mail(NOTICES['agent-responded']);
    expect(en.text).toContain(
      'An agent answered on your support case "SSO <fails> & more":\n\nWe renewed the SAML certificate.\nPlease try again.',
    );
    expect(en.text).toContain('You can reply to this e-mail: your reply is added to the case.');
    expect(en.html).toContain('We renewed the SAML certificate.<br>Please try again.');
    const fr = mail(NOTICES['agent-responded'], 'fr');
    expect(fr.text).toContain(
      `Un agent a répondu sur votre demande d’assistance «${NBSP}SSO <fails> & more${NBSP}»${NBSP}:`,
    );
    expect(fr.text).toContain(`Vous pouvez répondre à cet e-mail${NBSP}: votre réponse sera ajoutée à la demande.`);
  });

  it('lists the items asked for in words, with the agent’s message, in both languages (R11)', () => {
    const en = mail(NOTICES['info-requested']);
    expect(en.text).toContain(
      [
        '- the precise steps that reproduce the problem',
        '- the results of the troubleshooting procedure',
        '- the log files',
        '- the headers of the messages concerned',
      ].join('\n'),
    );
    expect(en.text).toContain('Please send what the list says.');
    expect(en.text).toContain(
      'Simply reply to this e-mail, with the files attached: your answer is added to the case.',
    );
    expect(en.html).toContain('<li>the log files</li>');
    const fr = mail(NOTICES['info-requested'], 'fr');
    expect(fr.text).toContain(
      [
        '- les étapes précises qui reproduisent le problème',
        '- le résultat de la procédure de dépannage',
        '- les fichiers journaux (logs)',
        '- les en-têtes des messages concernés',
      ].join('\n'),
    );
  });

  it('gives the outcome in words with the summary, the recommendations and the community link (R12)', () => {
    const en = mail(NOTICES.resolved);
    expect(en.text).toContain(
      'Your support case "SSO <fails> & more" is resolved: we could not reproduce the problem, and give you our recommendations.\n\nNo failure since Tuesday.\n\nOur recommendations:\n\nClear the browser cache.',
    );
    expect(en.text).toContain('reply to this e-mail as long as the case is not closed: your reply reopens it.');
    const fr = mail(
      {
        kind: 'resolved',
        outcome: 'feature-request',
        summary: 'À proposer.',
        featureRequestUrl: 'https://community.example/ideas',
      },
      'fr',
    );
    expect(fr.text).toContain(
      `est résolue${NBSP}: il s’agit d’une demande d’évolution, que vous pouvez proposer à la communauté.`,
    );
    expect(fr.text).toContain(`Proposer l’évolution à la communauté${NBSP}: https://community.example/ideas`);
    expect(mail({ kind: 'closed', outcome: 'outage' }, 'fr').text).toContain(
      'est clôturée (le problème venait d’une panne, désormais résolue (voir la page d’état des services)).',
    );
  });

  it('writes the credit in the currency of each language, and the report link', () => {
    expect(mail(NOTICES['credit-issued']).text).toContain('A service credit of €120.00 was issued to you');
    expect(mail(NOTICES['credit-issued'], 'fr').text).toMatch(/Un crédit de service de 120,00\s€ vous est accordé/);
    expect(mail({ kind: 'credit-issued', amount: 5, currency: 'XYZ1' }).text).toContain('A service credit of 5 XYZ1');
    expect(mail(NOTICES['incident-report-sent']).text).toContain(
      'Incident report: https://status.example/reports/inc-1',
    );
  });

  it('reminds the customer since when the case waits and what it still needs', () => {
    expect(mail(NOTICES['customer-reminded']).text).toContain(
      'has been waiting for your answer since 2026-03-02 09:00 UTC. We still need:\n\n- the log files',
    );
    expect(mail(NOTICES['customer-reminded'], 'fr').text).toContain(
      `attend votre réponse depuis le 2026-03-02 09:00 UTC. Il nous faut toujours${NBSP}:\n\n- les fichiers journaux (logs)`,
    );
  });

  it('says how to stop them, except on what asks the customer for something (those still come)', () => {
    expect(mail(NOTICES['agent-responded']).text).toContain('unless you turn its notifications off');
    expect(mail(NOTICES.closed, 'fr').text).toContain('tant que vous n’en désactivez pas les notifications');
    expect(mail(NOTICES['info-requested']).text).not.toContain('notifications off');
    expect(mail(NOTICES['customer-reminded'], 'fr').text).not.toContain('désactivez');
  });

  it('without INBOUND_DOMAIN: no Reply-To, and the answer goes on the case', () => {
    const m = mail(NOTICES['agent-responded'], 'en', { replyTo: undefined });
    expect(m).not.toHaveProperty('replyTo');
    expect(m.text).toContain('You can answer on the case, at the link below.');
    expect(mail(NOTICES.resolved, 'fr', { replyTo: undefined }).text).toContain('rouvrez la demande');
  });

  it('is French for fr-CA and any fr-*, English for every other language (the fallback)', () => {
    expect(mail(NOTICES.reopened, 'fr-CA').subject).toBe(SUBJECTS.reopened.fr);
    expect(mail(NOTICES.reopened, 'FR-be').subject).toBe(SUBJECTS.reopened.fr);
    for (const other of ['de', 'es-ES', 'ja', 'en-GB', 'fri', ''])
      expect(mail(NOTICES.reopened, other).subject).toBe(SUBJECTS.reopened.en);
    expect(mailLanguage('fr-CA')).toBe('fr');
    expect(mailLanguage('frr')).toBe('en');
  });

  it('has words for every information item and every outcome of the domain, in both languages', () => {
    for (const item of INFO_ITEMS)
      expect(INFO_ITEM_WORDS[item]).toEqual({ en: expect.any(String), fr: expect.any(String) });
    for (const outcome of OUTCOMES)
      expect(OUTCOME_WORDS[outcome]).toEqual({ en: expect.any(String), fr: expect.any(String) });
  });
});
