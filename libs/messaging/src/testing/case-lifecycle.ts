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
  /** the event types each topic got (a case's internal note: none) */
  const record = (aggregate: LifecycleStep['aggregate'], type: string) =>
    (aggregate === 'intake'
      ? intakeEventTypes
      : aggregate === 'incident' || isPublished(type, 'case')
        ? eventTypes
        : unpublishedEventTypes
    ).push(type);
  const write = async (step: LifecycleStep) => {
    now = step.at;
    // as the command handlers record it (ChangeIntakeHandler: every intake event says whose it is)
    const target = { streamId: step.streamId, metadata: metadata(step.command.actor, step.tenant) };
    const result =
      step.aggregate === 'case'
        ? await writers.case.write({ ...target, decide: decideWith(caseDecider, step.command) })
        : step.aggregate === 'incident'
          ? await writers.incident.write({ ...target, decide: decideWith(incidentDecider, step.command) })
          : await writers.intake.write({ ...target, decide: decideWith(intakeDecider, step.command) });
    for (const { type } of result.events) record(step.aggregate, type);
    return result;
  };
  let next = script.next();
  while (!next.done) {
    const result = await write(next.value);
    if (result.events.length === 0) throw new Error(`${next.value.command.type} appended nothing`);
    next = script.next(result.state);
  }
  return { ...next.value, eventTypes, unpublishedEventTypes, intakeEventTypes };
};

/** StreamWriter's `decide` for one command of a decider: the state and the time it is given. */
const decideWith =
  <S, C, R>(decider: { decide(state: S, command: C, now: Date): R }, command: C) =>
  (state: S, _version: number, now: Date): R =>
    decider.decide(state, command, now);
