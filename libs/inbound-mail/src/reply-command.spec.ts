import { caseDecider, foldEvents, type Attachment, type CaseEvent, type CaseState } from '@app/case-domain';
import { CASE_ID, closed, infoRequested, opened, resolved, responded } from '@app/case-domain/testing';
import { refusalOf } from './refusal-of';
import { replyCommand } from './reply-command';

const actor = { id: 'admin-1', role: 'support-admin' };
const log: Attachment = { name: 'saml.log', size: 2048, contentType: 'text/plain', sha256: 'ab'.repeat(32) };
const NOW = new Date('2026-03-02T10:00:00Z');
const given = (...events: CaseEvent[]): CaseState => foldEvents(caseDecider, events);
/** the command, and what the domain makes of it on that state */
const decided = (state: CaseState, text: string, attachments: Attachment[] = []) => {
  const command = replyCommand(CASE_ID, state, { text, attachments }, actor);
  return { command, events: caseDecider.decide(state, command, NOW).map((e) => e.type) };
};

describe('replyCommand: which command an e-mail reply becomes', () => {
  it('the information asked for when the case awaits the customer: ProvideInfo, with the files, ends the wait', () => {
    const state = given(opened(), infoRequested);
    const { command, events } = decided(state, 'Here is the log.', [log]);
    expect(command).toEqual({
      type: 'ProvideInfo',
      caseId: CASE_ID,
      actor,
      message: 'Here is the log.',
      attachments: [log],
    });
    expect(events).toEqual(['InfoProvided']);
    expect(caseDecider.decide(state, command, NOW)[0].data).toMatchObject({ endsWait: true, attachments: [log] });
  });

  it('files alone answer a request for information (no text of its own)', () => {
    expect(decided(given(opened(), infoRequested), '', [log]).events).toEqual(['InfoProvided']);
  });

  it('a reply on a case in progress that awaits nobody: ReplyToCase', () => {
    const { command, events } = decided(given(opened(), responded), 'Any news?');
    expect(command).toEqual({ type: 'ReplyToCase', caseId: CASE_ID, actor, message: 'Any news?' });
    expect(events).toEqual(['CustomerReplied']);
  });

  it('files on a reply that is not an answer to a request go with it: CustomerReplied names them', () => {
    const state = given(opened(), responded);
    const { command, events } = decided(state, '', [log]);
    expect(command).toEqual({ type: 'ReplyToCase', caseId: CASE_ID, actor, message: '', attachments: [log] });
    expect(events).toEqual(['CustomerReplied']);
    expect(caseDecider.decide(state, command, NOW)[0].data).toMatchObject({ attachments: [log], endsWait: false });
  });

  it('a reply on a resolved case reopens it (R15, within the reopen window)', () => {
    expect(decided(given(opened(), responded, resolved()), 'Still failing.').events).toEqual([
      'Reopened',
      'CustomerReplied',
    ]);
  });

  it('a reply on a closed case is refused by the domain, answered 550 5.2.1 with the way out', () => {
    const state = given(opened(), responded, resolved(), closed());
    let refusal: unknown;
    try {
      decided(state, 'Still failing.');
    } catch (e) {
      refusal = refusalOf(e, CASE_ID, '<m@acme.example>');
    }
    expect(refusal).toMatchObject({ responseCode: 550, enhancedCode: '5.2.1', reason: 'case-closed' });
    expect((refusal as Error).message).toMatch(/^5\.2\.1 Case case-0001 is closed.*open a new case/);
  });
});
