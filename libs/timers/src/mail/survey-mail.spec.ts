import { surveyMail } from './survey-mail';

const input = {
  from: 'Support <support@desk.example>',
  to: 'ana@acme.example',
  caseId: 'case-1',
  caseSubject: 'SSO fails',
  surveyId: 'case-1:survey:1',
  link: 'https://support.example/v1/surveys/a.b.c',
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
