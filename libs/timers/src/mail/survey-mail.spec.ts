import { surveyMail } from './survey-mail';

const input = {
  from: 'Support <support@desk.example>',
  to: 'ana@acme.example',
  caseId: 'case-1',
  caseSubject: 'SSO fails',
  surveyId: 'case-1:survey:1',
  link: 'https://support.example/console/survey/a.b.c',
  date: new Date('2026-03-03T10:00:00Z'),
};

describe('R15: the survey e-mail says what happens when the problem is not solved', () => {
  it('a reply reopens the case until its auto-close, dated; after that, a new case that refers to it', () => {
    const mail = surveyMail({ ...input, closesAt: new Date('2026-03-09T10:00:00Z') });
    const sentence =
      'If the problem is not solved, reply on the case before 2026-03-09 10:00 UTC: your reply reopens it. ' +
      'The case is closed then; after that, open a new case that refers to this one instead.';
    expect(mail.text).toContain(sentence);
    expect(mail.html).toContain(`<p>${sentence}</p>`);
    expect(mail.text).not.toMatch(/it will be reopened/);
  });

  it('without a known close date, it says the reply reopens the case as long as it is not closed', () =>
    expect(surveyMail(input).text).toContain(
      'If the problem is not solved, reply on the case: your reply reopens it, as long as the case is not closed. ' +
        'Once it is closed, open a new case that refers to this one instead.',
    ));

  it('a mail that goes out when the case is due to close already (SURVEY_DELAY ≥ AUTO_CLOSE_DAYS) offers no reopen', () =>
    expect(surveyMail({ ...input, closesAt: input.date }).text).toContain(
      'If the problem is not solved, open a new case that refers to this one: this case is being closed.',
    ));
});

describe('the survey e-mail in the case’s language', () => {
  const NBSP = '\u00a0';

  it('is written in French for a French case (fr, fr-CA…), with the same link and the same reopen rule', () => {
    for (const language of ['fr', 'fr-CA']) {
      const mail = surveyMail({ ...input, language, closesAt: new Date('2026-03-09T10:00:00Z') });
      expect(mail.subject).toBe(`Votre avis compte${NBSP}: votre demande d’assistance «${NBSP}SSO fails${NBSP}»`);
      expect(mail.text).toContain(`Votre demande d’assistance «${NBSP}SSO fails${NBSP}» a été résolue.`);
      expect(mail.text).toContain('Donnez une note de 1 (pas du tout) à 5 (tout à fait)');
      expect(mail.text).toContain('https://support.example/console/survey/a.b.c');
      expect(mail.text).toContain(
        `Si le problème n’est pas résolu, répondez sur la demande avant le 2026-03-09 10:00 UTC${NBSP}: votre réponse la rouvre.`,
      );
      expect(mail.html).toContain(
        '<a href="https://support.example/console/survey/a.b.c">Répondre au questionnaire</a>',
      );
      expect(mail.headers).toMatchObject({ 'Content-Language': 'fr', 'X-Survey-Id': 'case-1:survey:1' });
    }
    expect(surveyMail({ ...input, language: 'fr' }).text).toContain('tant qu’elle n’est pas clôturée');
    expect(surveyMail({ ...input, language: 'fr', closesAt: input.date }).text).toContain(
      'cette demande est en cours de clôture',
    );
  });

  it('falls back to English for any other language', () => {
    for (const language of ['de', 'es', 'en-US', undefined]) {
      const mail = surveyMail({ ...input, ...(language ? { language } : {}) });
      expect(mail.subject).toBe('How did we do? Your support case "SSO fails"');
      expect(mail.headers).toMatchObject({ 'Content-Language': 'en' });
    }
  });

  it('carries the case’s signed Reply-To when there is one, so that a reply reopens the case', () => {
    const replyTo = 'case+1b4e28ba-2fa1-41d2-883f-0016d3cca427.0123456789abcdef@reply.desk.example';
    expect(surveyMail({ ...input, replyTo }).replyTo).toBe(replyTo);
    expect(surveyMail(input)).not.toHaveProperty('replyTo');
  });
});
