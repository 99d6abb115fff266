import { randomUUID } from 'node:crypto';
import { caseDecider, incidentDecider, intakeDecider } from '@app/case-domain';
import { fullLifecycle, type LifecycleFacts, type LifecycleStep } from '@app/case-domain/testing';
import { StreamWriter } from '@app/commands';
import type { EventMetadata, EventStore } from '@app/event-store';
import { isPublished } from '../case-events/publication-policy';

/** The full lifecycle as it was appended: its facts, and the event types each topic gets. */
export interface LifecycleRun extends LifecycleFacts {
  /** the case and incident event types appended, in order (the case-events topic's messages) */
  readonly eventTypes: readonly string[];
  /** the case event types appended that are never published (an internal note), in order */
  readonly unpublishedEventTypes: readonly string[];
  /** the intake event types appended, in order (the intake-events topic's messages) */
  readonly intakeEventTypes: readonly string[];
}

/**
 * Test support: runs the test kit's `fullLifecycle` (@app/case-domain/testing) on a store,
 * through the real deciders and the command handlers' write path (StreamWriter), with the
 * metadata the API records: the actor, a correlation id, and the step's tenant if it has one.
 */
export const runFullLifecycle = async (store: EventStore, options: { start?: Date } = {}): Promise<LifecycleRun> => {
  let now = new Date(0);
  const clock = { now: () => now, cacheSize: 0 };
  const writers = {
    case: new StreamWriter(store, caseDecider, clock),
    incident: new StreamWriter(store, incidentDecider, clock),
    intake: new StreamWriter(store, intakeDecider, clock),
  };
  const eventTypes: string[] = [];
  const unpublishedEventTypes: string[] = [];
  const intakeEventTypes: string[] = [];
  const script = fullLifecycle(options);
  const metadata = (actor: EventMetadata['actor'], tenant: string | undefined): EventMetadata => ({
    actor,
    ...(tenant === undefined ? {} : { tenant }),
    correlationId: randomUUID(),
  });
  const write = async (step: LifecycleStep) => {
    now = step.at;
    const { streamId } = step;
    switch (step.aggregate) {
      case 'case': {
        const { command } = step;
        const result = await writers.case.write({
          streamId,
          metadata: metadata(command.actor, step.tenant),
          decide: (state, _v, t) => caseDecider.decide(state, command, t),
        });
        for (const { type } of result.events)
          (isPublished(type, 'case') ? eventTypes : unpublishedEventTypes).push(type);
        return result;
      }
      case 'incident': {
        const { command } = step;
        const result = await writers.incident.write({
          streamId,
          metadata: metadata(command.actor, step.tenant),
          decide: (state, _v, t) => incidentDecider.decide(state, command, t),
        });
        eventTypes.push(...result.events.map((e) => e.type));
        return result;
      }
      case 'intake': {
        const { command } = step;
        const result = await writers.intake.write({
          streamId,
          // as ChangeIntakeHandler: every intake event says whose it is
          metadata: metadata(command.actor, step.tenant),
          decide: (state, _v, t) => intakeDecider.decide(state, command, t),
        });
        intakeEventTypes.push(...result.events.map((e) => e.type));
        return result;
      }
    }
  };
  let next = script.next();
  while (!next.done) {
    const result = await write(next.value);
    if (result.events.length === 0) throw new Error(`${next.value.command.type} appended nothing`);
    next = script.next(result.state);
  }
  return { ...next.value, eventTypes, unpublishedEventTypes, intakeEventTypes };
};
