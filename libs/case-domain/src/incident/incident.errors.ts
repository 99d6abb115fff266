import { DomainRuleViolation, type ViolationKind } from '../shared/domain-rule-violation';

export abstract class IncidentRuleViolation extends DomainRuleViolation {
  readonly kind: ViolationKind = 'conflict';

  protected constructor(
    readonly incidentId: string,
    message: string,
  ) {
    super(message);
  }
}

export class IncidentNotFound extends IncidentRuleViolation {
  readonly code = 'INCIDENT.NOT_FOUND';
  override readonly kind: ViolationKind = 'not-found';
  constructor(incidentId: string) {
    super(incidentId, `Incident ${incidentId} does not exist.`);
  }
}

export class IncidentAlreadyDeclared extends IncidentRuleViolation {
  readonly code = 'INCIDENT.ALREADY_DECLARED';
  constructor(incidentId: string) {
    super(incidentId, `Incident ${incidentId} is already declared.`);
  }
}

export class IncidentAlreadyResolved extends IncidentRuleViolation {
  readonly code = 'INCIDENT.ALREADY_RESOLVED';
  constructor(incidentId: string, endedAt: string) {
    super(incidentId, `Incident ${incidentId} is already resolved (it ended at ${endedAt}).`);
  }
}

export class IncidentEndsBeforeStart extends IncidentRuleViolation {
  readonly code = 'INCIDENT.ENDS_BEFORE_START';
  constructor(incidentId: string, startedAt: string, endedAt: string) {
    super(incidentId, `Incident ${incidentId} cannot end at ${endedAt}, before it started at ${startedAt}.`);
  }
}

export class UnknownIncidentCommand extends IncidentRuleViolation {
  readonly code = 'INCIDENT.UNKNOWN_COMMAND';
  override readonly kind: ViolationKind = 'invalid';
  constructor(command: { readonly type?: unknown; readonly incidentId?: unknown }) {
    super(String(command.incidentId), `Unknown incident command ${String(command.type)}.`);
  }
}
