import { caseEvent } from './case.events';
import { attachmentsOf, referencedAttachment } from './case.attachments';

const at = '2026-03-02T10:00:00.000Z';
const base = { caseId: 'case-1', at, byId: 'ada' };
const trace = { name: 'trace.har', size: 2048, contentType: 'application/json', sha256: 'a'.repeat(64) };
const log = { name: 'sso.log', size: 12, contentType: 'text/plain', sha256: 'b'.repeat(64) };

describe('the attachments a case names', () => {
  const events = [
    caseEvent('InfoProvided', { ...base, message: 'Here', attachments: [trace], endsWait: true }),
    caseEvent('CustomerReplied', { ...base, message: 'Any news?', endsWait: false }),
    caseEvent('CustomerReplied', { ...base, message: 'And the log', attachments: [log], endsWait: false }),
    caseEvent('Escalated', { ...base, target: 'supervisor', reason: 'see ' + 'c'.repeat(64) }),
  ];

  it('are those of the customer’s answers and replies (a reply written before attachments had none)', () => {
    expect(events.map(attachmentsOf)).toEqual([[trace], [], [log], []]);
  });

  it('are read from stored data as it is: anything that is not an attachment is none', () => {
    expect(attachmentsOf({ type: 'InfoProvided', data: { attachments: [trace, { name: 'x' }, null, 'y'] } })).toEqual([
      trace,
    ]);
    expect(attachmentsOf({ type: 'InfoProvided', data: null })).toEqual([]);
    expect(attachmentsOf({ type: 'CustomerReplied', data: { attachments: 'none' } })).toEqual([]);
    expect(attachmentsOf({ type: 'InternalNoteAdded', data: { attachments: [trace] } })).toEqual([]);
  });

  it('are found by their hash, in any case of its letters; another hash is none', () => {
    expect(referencedAttachment(events, 'B'.repeat(64))).toEqual(log);
    expect(referencedAttachment(events, 'a'.repeat(64))).toEqual(trace);
    expect(referencedAttachment(events, 'c'.repeat(64))).toBeUndefined();
    expect(referencedAttachment([], 'a'.repeat(64))).toBeUndefined();
  });
});
