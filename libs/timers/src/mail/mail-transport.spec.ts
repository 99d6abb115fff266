import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { createMailTransport } from './mail-transport';
import { surveyMail } from './survey-mail';

describe('the mail transport without SMTP: an .eml outbox', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'outbox-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the whole RFC 5322 message, which reads back as sent', async () => {
    const transport = createMailTransport({ outboxDir: join(dir, 'outbox') });
    expect(transport.kind).toBe('outbox');
    const message = surveyMail({
      from: 'Support <support@desk.example>',
      to: 'ana@acme.example',
      caseId: 'case-1',
      caseSubject: 'SSO <fails> & more',
      surveyId: 'case-1:survey:1',
      link: 'https://support.example/console/survey/a.b.c',
      date: new Date('2026-03-03T10:00:00Z'),
    });
    const sent = await transport.send(message);
    const files = readdirSync(join(dir, 'outbox'));
    expect(files).toEqual(['2026-03-03T10-00-00-000Z-_survey.case-1.survey.1_support-case-backend_.eml']);
    expect(sent.file).toBe(join(dir, 'outbox', files[0]));
    const parsed = await simpleParser(readFileSync(sent.file!));
    expect(parsed.subject).toBe('How did we do? Your support case "SSO <fails> & more"');
    expect(parsed.messageId).toBe(message.messageId);
    expect(parsed.date).toEqual(new Date('2026-03-03T10:00:00Z'));
    expect(parsed.text).toContain('https://support.example/console/survey/a.b.c');
    expect(parsed.html).toContain('SSO &lt;fails&gt; &amp; more');
    expect(parsed.headers.get('x-survey-id')).toBe('case-1:survey:1');
    transport.close();
  });
});
