import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidSlaPolicy, parseSlaPolicy } from '@app/business-time';
import { caseDecider, foldEvents, type CaseCommand, type CaseEvent } from '@app/case-domain';
import { testSla } from './testing/test-sla';
import { SlaService } from './sla.service';

const config = join(__dirname, '../../../config');

describe('SlaService', () => {
  const sla = testSla();

  it('R10: a tenant without a region gets the default calendar; the terms record its version and the policy version', () =>
    expect(
      sla.termsFor({ tenant: 'acme.example', priority: 'P3', openedAt: new Date('2026-03-06T15:00:00Z') }),
    ).toEqual({
      calendarId: 'europe-paris',
      calendarVersion: 2,
      policyVersion: 'test-1',
      firstResponseTargetMs: 8 * 3_600_000,
      firstResponseDueAt: '2026-03-09T15:00:00.000Z', // Friday 16:00 Paris + 8 h → Monday 16:00
    }));

  it("R10: the policy's region of the tenant, or a region given, chooses the calendar", () => {
    const at = new Date('2026-03-16T14:00:00Z');
    expect(sla.termsFor({ tenant: 'globex.example', priority: 'P1', openedAt: at })).toMatchObject({
      calendarId: 'america-new-york',
      region: 'amer',
    });
    expect(sla.termsFor({ tenant: 'acme.example', region: 'amer', priority: 'P1', openedAt: at })).toMatchObject({
      calendarId: 'america-new-york',
      region: 'amer',
    });
    expect(sla.termsFor({ tenant: 'acme.example', region: 'mars', priority: 'P1', openedAt: at })).toMatchObject({
      calendarId: 'europe-paris',
      region: 'mars',
    });
  });

  it('R10, R15: a reopen starts a new first-response clock: the target of the priority in force, from the reopen, in the calendar fixed at opening', () => {
    // P3 has two business days here, P1 one: the case opens as P3 and is raised to P1
    const policy = parseSlaPolicy(
      { ...sla.policy, version: 'reopen-1', firstResponseBusinessDays: { P1: 1, P2: 1, P3: 2, P4: 2 } },
      'reopen test policy',
      sla.calendars,
    );
    const service = new SlaService(sla.calendars, policy);
    const caseId = 'case-1';
    const actor = { id: 'ana', role: 'support-admin' };
    const agent = { id: 'eve', role: 'agent' };
    const steps: [string, CaseCommand][] = [
      [
        '2026-03-16T14:00:00Z',
        {
          type: 'OpenCase',
          caseId,
          actor,
          tenant: 'globex.example', // amer: New York's calendar
          requester: { id: 'ana', email: 'ana@globex.example' },
          subject: 'SSO fails',
          description: 'Nobody can sign in.',
          product: 'cloud-identity',
          language: 'en',
          channel: 'email',
          impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
          workaround: 'available', // P3
        },
      ],
      ['2026-03-16T15:00:00Z', { type: 'ChangePriority', caseId, actor: agent, priority: 'P1', reason: 'Sales.' }],
      ['2026-03-16T16:00:00Z', { type: 'ResolveCase', caseId, actor: agent, outcome: 'solved', summary: 'Done.' }],
    ];
    let events: CaseEvent[] = [];
    for (const [at, command] of steps) {
      const state = foldEvents(caseDecider, events);
      const withTerms =
        command.type === 'OpenCase'
          ? { ...command, sla: service.termsFor({ tenant: command.tenant, priority: 'P3', openedAt: new Date(at) }) }
          : command;
      events = [...events, ...caseDecider.decide(state, withTerms, new Date(at))];
    }
    const resolved = foldEvents(caseDecider, events);
    // Friday 20:00 UTC is 16:00 in New York (EDT): 1 business hour left on Friday, 7 on Monday
    const reopenedAt = new Date('2026-03-20T20:00:00Z');
    const terms = service.cycleTermsFor(resolved, reopenedAt);
    expect(terms).toEqual({ firstResponseTargetMs: 8 * 3_600_000, firstResponseDueAt: '2026-03-23T20:00:00.000Z' });
    // the same due time the SLA figures compute for the new cycle
    const reopen: CaseCommand = { type: 'ReopenCase', caseId, actor, reason: 'Again.', sla: terms };
    const reopened = foldEvents(caseDecider, [...events, ...caseDecider.decide(resolved, reopen, reopenedAt)]);
    expect(service.report(reopened, reopenedAt)?.firstResponse).toMatchObject({
      state: 'running',
      dueAt: terms!.firstResponseDueAt,
    });
  });

  it('a case opened without SLA terms gets no terms for a new cycle either', () =>
    expect(sla.cycleTermsFor({ status: 'not-opened', version: 0 }, new Date())).toBeUndefined());

  it('R10 with the shipped files: a Sydney case opened on Friday 31 December 2027 is due on Tuesday 4 January 2028 (New Year on the Saturday, its additional day the Monday)', () => {
    const shipped = SlaService.load({
      calendarsDir: join(config, 'calendars'),
      policyFile: join(config, 'sla-policy.json'),
    });
    expect(
      shipped.termsFor({
        tenant: 'koala.example',
        region: 'anz',
        priority: 'P2',
        openedAt: new Date('2027-12-30T23:00:00Z'), // Friday 10:00 in Sydney (UTC+11)
      }),
    ).toMatchObject({
      calendarId: 'australia-sydney',
      calendarVersion: 2,
      firstResponseDueAt: '2028-01-03T23:00:00.000Z', // Tuesday 4 January, 10:00
    });
  });

  it('loads the shipped files; a bad policy stops the start with one line naming the file', () => {
    expect(
      SlaService.load({ calendarsDir: join(config, 'calendars'), policyFile: join(config, 'sla-policy.json') }).policy
        .version,
    ).toBe(1);
    const dir = mkdtempSync(join(tmpdir(), 'sla-'));
    try {
      const file = join(dir, 'sla.json');
      writeFileSync(file, JSON.stringify({ version: 1, firstResponseBusinessDays: { P1: 1 } }));
      expect(() => SlaService.load({ calendarsDir: join(config, 'calendars'), policyFile: file })).toThrow(
        InvalidSlaPolicy,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
