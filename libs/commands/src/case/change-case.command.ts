import { randomUUID } from 'node:crypto';
import { Command } from '@nestjs/cqrs';
import type { CaseCommand, CaseEvent, CaseState, OpenedCase } from '@app/case-domain';
import type { EventMetadata } from '@app/event-store';
import { derivedUuid } from '@app/event-store';
import type { IdempotencyClaim } from '../idempotency';

/** What a case write came to. */
export interface CaseChange {
  /** the case after the write (for a replay: right after the original write) */
  readonly state: CaseState;
  readonly version: number;
  /** appended by this write, follow-ups included (Routed after Opened, SurveySent after Resolved) */
  readonly events: readonly CaseEvent[];
  /** global position of the write's last event, for read-your-writes */
  readonly position?: number;
  /** the idempotency key's write had committed before; this is its answer and nothing was written */
  readonly replayed: boolean;
}

/** The command, or how to make it from the case as it stands (null: nothing to do). */
export type CaseCommandOrPlan = CaseCommand | ((state: CaseState, now: Date) => CaseCommand | null);

export interface ChangeCaseRequest {
  readonly caseId: string;
  readonly command: CaseCommandOrPlan;
  /** who is recorded in the metadata; default the command's actor */
  readonly actor?: EventMetadata['actor'];
  readonly correlationId?: string;
  readonly causationId?: string;
  /** If-Match: refuse (412, CASE.STALE_VERSION) unless the case is at this version */
  readonly expectedVersion?: number;
  readonly idempotency?: IdempotencyClaim;
  /** R3, R4: a case the caller may not see is refused as unknown (CASE.NOT_FOUND) */
  readonly canSee?: (state: OpenedCase) => boolean;
}

/**
 * Every change to a case, from any door (HTTP, timers, the re-router, survey links), is
 * this one command on the CommandBus, handled by {@link ChangeCaseHandler}. It carries a
 * domain `CaseCommand` rather than being one Nest class per command: the handling is the
 * same for every member of the domain union, which keeps its exhaustive `decide`.
 */
export class ChangeCase extends Command<CaseChange> {
  constructor(readonly request: ChangeCaseRequest) {
    super();
  }
}

/**
 * The id of a case a caller opens. Under an Idempotency-Key it derives from the caller and
 * the key, so a retry of an open that committed lands on the same case and gets its answer.
 */
export const newCaseId = (idempotency?: IdempotencyClaim): string =>
  idempotency ? derivedUuid('case', idempotency.scope, idempotency.key) : randomUUID();
