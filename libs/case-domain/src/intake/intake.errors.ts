import { DomainRuleViolation, type ViolationKind } from '../shared/domain-rule-violation';
import type { IntakeOutcome } from './intake.model';

export abstract class IntakeRuleViolation extends DomainRuleViolation {
  readonly kind: ViolationKind = 'conflict';

  protected constructor(
    readonly intakeId: string,
    message: string,
  ) {
    super(message);
  }
}

/** An intake never started, or (R3) one of another organisation: the same answer. */
export class IntakeNotFound extends IntakeRuleViolation {
  readonly code = 'INTAKE.NOT_FOUND';
  override readonly kind: ViolationKind = 'not-found';
  constructor(intakeId: string) {
    super(intakeId, `Intake ${intakeId} does not exist.`);
  }
}

/** Starting an id that is taken. */
export class IntakeAlreadyStarted extends IntakeRuleViolation {
  readonly code = 'INTAKE.ALREADY_STARTED';
  constructor(intakeId: string) {
    super(intakeId, `Intake ${intakeId} already exists.`);
  }
}

const ENDINGS: Readonly<Record<IntakeOutcome, string>> = {
  deflected: 'an article solved the problem',
  attached: 'the message went onto a recent case',
  'case-requested': 'a case was requested',
  abandoned: 'it was abandoned',
};

/** An intake ends once: after a deflection, an attachment, a case request or abandonment, nothing else. */
export class IntakeAlreadyEnded extends IntakeRuleViolation {
  readonly code = 'INTAKE.ALREADY_ENDED';
  constructor(
    intakeId: string,
    readonly outcome: IntakeOutcome,
    wanted: string,
    caseId?: string,
  ) {
    super(
      intakeId,
      `Intake ${intakeId} has ended (${ENDINGS[outcome]}${caseId ? `: case ${caseId}` : ''}); it cannot ${wanted}. ` +
        (outcome === 'abandoned'
          ? 'Describe the problem again to start a new intake.'
          : 'Start a new intake for another problem.'),
    );
  }
}

/** R5: a deflection names an article the assistant showed in this intake. */
export class ArticleNotSuggested extends IntakeRuleViolation {
  readonly code = 'INTAKE.ARTICLE_NOT_SUGGESTED';
  constructor(
    intakeId: string,
    readonly articleId: string,
  ) {
    super(
      intakeId,
      `Article ${articleId} was not suggested in intake ${intakeId}; a deflection names an article the assistant showed.`,
    );
  }
}
