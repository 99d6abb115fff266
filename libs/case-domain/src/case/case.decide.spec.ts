import { deciderSpec } from '@app/testing';
import { DomainRuleViolation, InvalidCommand } from '../shared/domain-rule-violation';
import type { CaseCommand, CaseCommandType } from './case.commands';
import { caseDecider, decide } from './case.decide';
import * as errors from './case.errors';
import { CaseAlreadyClosed, CaseAlreadyOpened, CaseNotFound, UnknownCaseCommand } from './case.errors';
import { initialCaseState } from './case.state';
import { closed, cmd, opened, resolved } from '../testing';

const given = deciderSpec(caseDecider);

/** One valid command of every type. */
const everyCommand: Record<CaseCommandType, CaseCommand> = {
  OpenCase: cmd.open(),
  AssignCase: cmd.assign(),
  RespondToCase: cmd.respond(),
  RequestInfo: cmd.requestInfo(),
  ProvideInfo: cmd.provideInfo(),
  ReplyToCase: cmd.reply(),
  EscalateCase: cmd.escalate(),
  RecordSlaBreach: cmd.recordBreach(),
  ChangePriority: cmd.changePriority(),
  ResolveCase: cmd.resolve(),
  ReopenCase: cmd.reopen(),
  LinkToIncident: cmd.link(),
  RequestCredit: cmd.requestCredit(),
  IssueCredit: cmd.issueCredit(),
  RequestIncidentReport: cmd.requestReport(),
  SendIncidentReport: cmd.sendReport(),
  SendSurvey: cmd.sendSurvey(),
  AnswerSurvey: cmd.answerSurvey(),
  CloseCase: cmd.close(),
  RouteCase: cmd.route(),
  AddInternalNote: cmd.note(),
  SetNotifications: cmd.setNotifications(),
  RemindCustomer: cmd.remind(),
};
const allButOpen = Object.values(everyCommand).filter((c) => c.type !== 'OpenCase');

describe('every command', () => {
  it.each(allButOpen.map((c) => [c.type, c] as const))(
    '%s on a case that was never opened() is CASE.NOT_FOUND',
    (_type, command) =>
      given([])
        .when(command)
        .thenThrows(CaseNotFound, (e) => {
          expect(e.code).toBe('CASE.NOT_FOUND');
          expect(e.kind).toBe('not-found');
        }),
  );

  /** A closed case takes no more work; only fulfilment of earlier requests and the survey answer remain. */
  const onClosed: Record<CaseCommandType, 'refused' | 'nothing' | 'other rule'> = {
    OpenCase: 'other rule', // CASE.ALREADY_OPENED
    AssignCase: 'refused',
    RespondToCase: 'refused',
    RequestInfo: 'refused',
    ProvideInfo: 'refused',
    ReplyToCase: 'refused',
    EscalateCase: 'refused',
    RecordSlaBreach: 'nothing', // R10: the clocks stopped at the resolution; a late timer changes nothing
    ChangePriority: 'refused',
    ResolveCase: 'refused',
    ReopenCase: 'refused',
    LinkToIncident: 'refused',
    RequestCredit: 'refused',
    RequestIncidentReport: 'refused',
    SendSurvey: 'refused',
    IssueCredit: 'other rule', // fulfils a request made before closing (R14)
    SendIncidentReport: 'other rule', // idem
    AnswerSurvey: 'other rule', // R15: answers may come after the auto-close
    CloseCase: 'nothing',
    RouteCase: 'nothing', // R4: a closed case is in no queue
    AddInternalNote: 'refused',
    SetNotifications: 'refused', // nothing is e-mailed about a closed case any more
    RemindCustomer: 'refused', // R11: a closed case waits on nobody
  };
  it.each(Object.entries(onClosed))('%s on a closed case: %s', (type, expected) => {
    const when = given([opened(), resolved(), closed()]).when(everyCommand[type as CaseCommandType]);
    if (expected === 'refused') when.thenThrows(CaseAlreadyClosed, (e) => expect(e.code).toBe('CASE.ALREADY_CLOSED'));
    else if (expected === 'nothing') when.thenNothingHappened();
    else when.thenThrows(DomainRuleViolation, (e) => expect(e).not.toBeInstanceOf(CaseAlreadyClosed));
  });

  it('refuses to open a case twice', () => given([opened()]).when(cmd.open()).thenThrows(CaseAlreadyOpened));

  it('refuses a command that names another case than the one decided on', () =>
    given([opened()])
      .when({ ...cmd.respond(), caseId: 'case-9999' })
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('caseId')));

  it('refuses an unknown command type', () =>
    given([opened()])
      .when({ ...cmd.close(), type: 'DeleteCase' } as unknown as CaseCommand)
      .thenThrows(UnknownCaseCommand));

  it('refuses an invalid now: time is an argument and must be a real instant', () =>
    expect(() => decide(initialCaseState, cmd.open(), new Date('nope'))).toThrow(InvalidCommand));
});

describe('refusal codes', () => {
  const samples: errors.CaseRuleViolation[] = [
    new errors.CaseNotFound('c'),
    new errors.CaseAlreadyOpened('c'),
    new errors.CaseAlreadyClosed('c', 'respond to it'),
    new errors.CaseAlreadyResolved('c', 'respond to it'),
    new errors.CaseNotResolved('c', 'open', 'close it'),
    new errors.CaseNotAwaitingCustomer('c', 'open', 'remind the customer about it'),
    new errors.CaseHeldByAnotherAgent('c', 'agent-1'),
    new errors.CaseNotLinkedToIncident('c', 'request a credit'),
    new errors.CaseLinkedToAnotherIncident('c', 'inc-1'),
    new errors.CreditNotRequested('c'),
    new errors.CreditAlreadyIssued('c', 10, 'EUR'),
    new errors.IncidentReportNotRequested('c'),
    new errors.IncidentReportAlreadySent('c', 'https://x.example'),
    new errors.SurveyNotSent('c'),
    new errors.SurveyAlreadySent('c', 's-1'),
    new errors.SurveyAlreadyAnswered('c'),
    new errors.SurveySuperseded('c', 's-1'),
    new errors.SlaNotYetBreached('c', 'first-response', '2026-03-02T09:00:00.000Z'),
    new errors.UnknownCaseCommand({ type: 'X', caseId: 'c' }),
  ];

  it('are stable CASE.* codes, one per class, each with a message for a person', () => {
    const codes = samples.map((e) => e.code);
    expect(codes.every((code) => /^CASE\.[A-Z_]+$/.test(code))).toBe(true);
    expect(new Set(codes).size).toBe(samples.length);
    for (const e of samples) {
      expect(e).toBeInstanceOf(errors.CaseRuleViolation);
      expect(e).toBeInstanceOf(DomainRuleViolation);
      expect(e.message).toMatch(/^(Case c |No |A service|An incident|Survey|The satisfaction|Unknown)/);
    }
  });

  it('say how the edge answers: conflict (409), not-found (404) or invalid (400)', () => {
    expect(samples.map((e) => [e.name, e.kind])).toEqual(
      samples.map((e) => [
        e.constructor.name,
        e instanceof CaseNotFound ? 'not-found' : e instanceof UnknownCaseCommand ? 'invalid' : 'conflict',
      ]),
    );
    expect(new CaseAlreadyClosed('case-1', 'respond to it').message).toBe(
      'Case case-1 is closed, so you cannot respond to it.',
    );
  });
});
