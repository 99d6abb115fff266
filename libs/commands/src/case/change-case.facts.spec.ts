import { randomUUID } from 'node:crypto';
import { cmd } from '@app/case-domain/testing';
import {
  AgentNotEligible,
  EXAMPLE_VENDORS,
  RelatedCaseNotFound,
  toAgentStreamId,
  toCaseStreamId,
  type RecordAgent as RecordAgentCommand,
} from '@app/case-domain';
import { ManualClock } from '@app/clock';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { VendorDirectory } from '@app/routing';
import { testSla } from '../../../sla/src/testing/test-sla';
import { RecordAgent } from '../agent/record-agent';
import { standaloneDoor, type CommandDoor } from '../command-door';
import { ChangeVendorDirectory } from '../vendor/change-vendor-directory';
import { ChangeCase } from './change-case.command';

/**
 * The facts the case handler looks up for the domain before it decides: the organisation of
 * the case an open follows (R3) and who the agent a supervisor names is (R4, the agents
 * directory written by RecordAgent).
 */
describe('ChangeCaseHandler: facts from other streams (R3, R4)', () => {
  let handle: EventStoreHandle;
  let door: CommandDoor;
  const clock = new ManualClock('2026-03-02T09:00:00Z'); // Monday: the Paris desk is at work
  const sam = { id: 'sam', role: 'supervisor' };

  const open = async (tenant = 'org-acme', o: object = {}) => {
    const caseId = randomUUID();
    await door.execute(new ChangeCase({ caseId, command: { ...cmd.open({ tenant, ...o }), caseId } }));
    return caseId;
  };
  const reassign = (caseId: string, agentId: string) =>
    door.execute(
      new ChangeCase({
        caseId,
        command: { type: 'AssignCase', caseId, actor: sam, agentId, byId: sam.id, force: true },
      }),
    );
  const record = (o: Partial<RecordAgentCommand> = {}) => {
    const command: RecordAgentCommand = {
      type: 'RecordAgent',
      agentId: 'eve',
      vendorId: 'north-desk',
      languages: ['fr', 'en'],
      regions: ['emea'],
      actor: { id: o.agentId ?? 'eve', role: 'agent' },
      ...o,
    };
    return door.execute(new RecordAgent({ command, actor: command.actor }));
  };

  beforeEach(async () => {
    handle = await createEventStore();
    const directory = new VendorDirectory(handle.store, 60_000);
    door = standaloneDoor({ store: handle.store, clock, sla: testSla(), surveyDelayMs: 0, directory });
    for (const vendor of EXAMPLE_VENDORS)
      await door.execute(
        new ChangeVendorDirectory({ command: { type: 'RegisterVendor', vendor, actor: sam }, actor: sam }),
      );
  });
  afterEach(() => handle.store.close());

  describe('R3: relatedCaseId', () => {
    it('opens a case that follows a case of the same organisation', async () => {
      const first = await open();
      const second = await open('org-acme', { relatedCaseId: first });
      const [opened] = (await handle.store.readStream(toCaseStreamId(second))).events;
      expect(opened.data).toMatchObject({ relatedCaseId: first });
      expect(opened.data).not.toHaveProperty('relatedCase');
    });

    it('refuses an unknown case and another organisation’s case alike, writing nothing', async () => {
      const theirs = await open('org-globex');
      for (const relatedCaseId of [randomUUID(), theirs]) {
        const caseId = randomUUID();
        const attempt = door.execute(new ChangeCase({ caseId, command: { ...cmd.open({ relatedCaseId }), caseId } }));
        await expect(attempt).rejects.toBeInstanceOf(RelatedCaseNotFound);
        await expect(attempt).rejects.toMatchObject({ code: 'CASE.NOT_FOUND', kind: 'not-found' });
        expect(await handle.store.streamVersion(toCaseStreamId(caseId))).toBe(0);
      }
    });
  });

  describe('R4: the agent a supervisor names', () => {
    it('records an agent once, and a change of claims', async () => {
      expect(await record()).toMatchObject({ changed: true, profile: { languages: ['en', 'fr'] } });
      expect(await record({ languages: ['en', 'fr'] })).toMatchObject({ changed: false });
      expect(await record({ vendorId: 'south-desk' })).toMatchObject({ changed: true });
      const { events } = await handle.store.readStream(toAgentStreamId('eve'));
      expect(events.map((e) => e.type)).toEqual(['AgentSeen', 'AgentProfileChanged']);
    });

    it('assigns a recorded agent of the case’s vendor who speaks its language', async () => {
      await record();
      const caseId = await open(); // fr: routed to north-desk
      const result = await reassign(caseId, 'eve');
      expect(result.events).toEqual([
        expect.objectContaining({ type: 'AgentAssigned', data: expect.objectContaining({ agentId: 'eve' }) }),
      ]);
    });

    it('refuses an agent never recorded, and one whose recorded vendor is not the case’s', async () => {
      const caseId = await open();
      await expect(reassign(caseId, 'nobody-at-all')).rejects.toMatchObject({
        code: 'CASE.AGENT_NOT_ELIGIBLE',
        reason: 'unknown-agent',
      });
      await record({ agentId: 'uwe', vendorId: 'south-desk', languages: ['de', 'fr'] });
      await expect(reassign(caseId, 'uwe')).rejects.toBeInstanceOf(AgentNotEligible);
      await expect(reassign(caseId, 'uwe')).rejects.toMatchObject({ reason: 'other-vendor' });
      expect(await handle.store.streamVersion(toCaseStreamId(caseId))).toBe(2); // Opened, Routed
    });
  });
});
