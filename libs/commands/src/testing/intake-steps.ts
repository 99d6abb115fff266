import { caseOpenFor, type Actor, type SuggestedArticle } from '@app/case-domain';
import type { ManualClock } from '@app/clock';
import { ChangeCase } from '../case/change-case.command';
import type { CommandDoor } from '../command-door';
import { caseIdForIntake, ChangeIntake, intakeCaseClaim, type IntakeChange } from '../intake/change-intake';

/** The admin who uses the help assistant in the test histories. */
export const INTAKE_ADMIN: Actor = Object.freeze({ id: 'ana', role: 'support-admin' });

export interface IntakeStart {
  readonly product?: string;
  readonly language?: string;
  readonly tenant?: string;
  /** the articles its first suggestion shows (revision 1, descending scores) */
  readonly shown: readonly string[];
  readonly recentCaseIds?: readonly string[];
}

const shownAs = (ids: readonly string[]): SuggestedArticle[] =>
  ids.map((articleId, i) => ({ articleId, version: 1, score: 10 - i }));

/**
 * The steps of a help assistant intake (R5–R8) through a command door (a CommandBus or
 * `standaloneDoor`), at the moments a ManualClock is set to: test support for the intake
 * read model's, the deflection report's and the intake sweep's specs.
 */
export const intakeSteps = (door: CommandDoor, clock: ManualClock, actor: Actor = INTAKE_ADMIN) => {
  const at = (moment: string | undefined) => {
    if (moment !== undefined) clock.set(moment);
  };
  const change = (command: ConstructorParameters<typeof ChangeIntake>[0]['command']) =>
    door.execute(new ChangeIntake({ command, actor }));
  return {
    start: (intakeId: string, s: IntakeStart, moment?: string) => {
      at(moment);
      return change({
        type: 'StartIntake',
        intakeId,
        actor,
        tenant: s.tenant ?? 'acme.example',
        description: `Problem of ${intakeId}`,
        ...(s.product === undefined ? {} : { product: s.product }),
        language: s.language ?? 'fr',
        suggestions: shownAs(s.shown),
        recentCaseIds: s.recentCaseIds ?? [],
      });
    },
    searchAgain: (intakeId: string, shown: readonly string[], moment?: string) => {
      at(moment);
      return change({ type: 'SearchAgain', intakeId, actor, query: 'again', suggestions: shownAs(shown) });
    },
    deflect: (intakeId: string, articleId: string, moment?: string) => {
      at(moment);
      return change({ type: 'DeflectIntake', intakeId, actor, articleId });
    },
    attach: (intakeId: string, caseId: string, moment?: string) => {
      at(moment);
      return change({ type: 'AttachToRecentCase', intakeId, actor, caseId });
    },
    /** R7, R8: the request alone (the case is not opened: see `openCase`) */
    requestCase: (intakeId: string, moment?: string) => {
      at(moment);
      return change({
        type: 'RequestCase',
        intakeId,
        actor,
        caseId: caseIdForIntake(intakeId),
        requester: { id: actor.id, email: `${actor.id}@acme.example` },
        subject: `Case of ${intakeId}`,
        description: 'Still broken after the articles.',
        product: 'drive',
        channel: 'email',
        language: 'fr',
        impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
        workaround: 'none',
      });
    },
    /** opens the case of a request as the API does right after it: `caseOpenFor`, its id, its claim */
    openCase: async (requested: IntakeChange, moment?: string) => {
      at(moment);
      const { tenant, request } = requested.state;
      if (tenant === undefined || request === undefined) throw new Error('openCase: no case request in this intake');
      return openRequestedCase(door, tenant, request, actor);
    },
    abandon: (intakeId: string, idleMs: number, moment?: string) => {
      at(moment);
      return change({ type: 'AbandonIntake', intakeId, actor, idleMs });
    },
  };
};

/** Opens the case an intake's `CaseRequested` asked for, as the API does right after the request (`actor`: the sender, in the metadata). */
export const openRequestedCase = (
  door: CommandDoor,
  tenant: string,
  request: Parameters<typeof caseOpenFor>[1],
  actor: Actor = INTAKE_ADMIN,
) =>
  door.execute(
    new ChangeCase({
      caseId: caseIdForIntake(request.intakeId),
      command: caseOpenFor(tenant, request),
      actor,
      idempotency: intakeCaseClaim(request.intakeId),
    }),
  );
