import type { Role } from './principal';

/**
 * The action catalogue and who may do what ("Who may do what" in docs/domain-model.md), as data.
 * docs/auth.md holds this table rendered by {@link renderAccessMatrix}; a spec keeps the
 * two in sync.
 *
 * `write` marks actions that change something: auditors are refused every one of them
 * (AUTH.READ_ONLY). `roles` lists who may; everyone else is refused. Tenancy (R3) is not
 * here: it is {@link canSeeCase}'s job, per case.
 *
 * Where the policy is silent we chose: the system role (timers and sagas) reads cases and
 * records SLA breaches, sends surveys and closes resolved cases; only supervisors change a
 * priority (R9 also mentions agents; the roles table does not). Supervisors reach one audit
 * read, their own reports as of a moment (`audit.read-report`); the rest of the audit API is
 * the auditors' alone.
 */
export interface ActionSpec {
  readonly write: boolean;
  /** completes "may not …" in refusal messages */
  readonly description: string;
  readonly roles: readonly Role[];
}

const SA = 'support-admin';
const AG = 'agent';
const SV = 'supervisor';
const AU = 'auditor';
const SY = 'system';

const read = (description: string, ...roles: Role[]): ActionSpec => ({ write: false, description, roles });
const write = (description: string, ...roles: Role[]): ActionSpec => ({ write: true, description, roles });

export const ACCESS_MATRIX = {
  'case.open': write('open a case', SA),
  'case.read': read('read a case', SA, AG, SV, AU, SY),
  'case.list': read('list cases', SA, AG, SV, AU, SY),
  // the live feed of case events (GET /v1/events/stream): each event filtered by canSeeCase, as case.read is
  'events.stream': read('follow the live events of cases', SA, AG, SV, AU, SY),
  'case.claim': write('claim a case', AG, SV),
  'case.reassign': write('reassign a case', SV),
  'case.respond': write('respond to a case', AG, SV),
  'case.request-info': write('request information from the customer', AG, SV),
  'case.provide-info': write('provide requested information', SA),
  'case.reply': write('reply on a case', SA),
  'case.upload-attachment': write('upload attachments to a case', SA, AG, SV),
  'case.escalate': write('escalate a case', AG, SV),
  'case.add-note': write('add an internal note to a case', AG, SV),
  'case.change-priority': write("change a case's priority", SV),
  'case.resolve': write('resolve a case', AG, SV),
  'case.reopen': write('reopen a case', SA),
  'case.close': write('close a resolved case', SY),
  'case.link-incident': write('link a case to an incident', AG, SV),
  'case.request-credit': write('request a service credit', SA),
  'case.issue-credit': write('issue a service credit', SV),
  'case.request-incident-report': write('request an incident report', SA),
  'case.send-incident-report': write('send an incident report', AG, SV),
  'case.answer-survey': write('answer the satisfaction survey', SA),
  'case.set-notifications': write("turn a case's notification e-mails off or on", SA),
  'contact.read-notifications': read('read their own notification e-mail setting', SA, AU),
  'contact.set-notifications': write('turn the notification e-mails of all their cases off or on', SA),
  'case.send-survey': write('send the satisfaction survey', SY),
  'case.record-sla-breach': write('record an SLA breach', SY),
  'intake.start': write('start a help assistant intake', SA),
  'intake.continue': write('go on with a help assistant intake', SA),
  'intake.read': read('read a help assistant intake', SA, SV, AU),
  'help.search': read('search the help centre', SA, AG, SV, AU),
  'help.manage': write('create and revise help-centre articles', SV),
  'incident.declare': write('declare an incident', SV),
  'incident.resolve': write('resolve an incident', SV),
  'incident.read': read('read incidents', AG, SV, AU),
  'audit.read': read('replay audit history', AU),
  'audit.verify': read('verify the integrity of the history', AU),
  'audit.export': read('export audit history', AU),
  'audit.read-report': read('read reports as they stood at a past moment', SV, AU),
  'report.read': read('read reports', SV, AU),
  'vendor.manage': write('manage support vendors', SV),
  'calendar.manage': write('manage business calendars', SV),
  // GET /v1/calendars: each loaded calendar's week and next 24 hours (the console's follow-the-sun strip)
  'calendar.read': read('read business calendars', AG, SV, AU),
} as const satisfies Record<string, ActionSpec>;

export type Action = keyof typeof ACCESS_MATRIX;

export const ACTIONS = Object.keys(ACCESS_MATRIX) as Action[];

export const isAction = (value: unknown): value is Action =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(ACCESS_MATRIX, value);

export const actionSpec = (action: Action): ActionSpec => ACCESS_MATRIX[action];

/** how roles are named in messages and docs */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  'support-admin': 'support admin',
  'customer-admin': 'customer admin',
  agent: 'agent',
  supervisor: 'supervisor',
  auditor: 'auditor',
  system: 'system',
};

const COLUMNS: readonly Role[] = ['support-admin', 'customer-admin', 'agent', 'supervisor', 'auditor', 'system'];

/** The matrix as a markdown table: ✓ allowed, — AUTH.FORBIDDEN, otherwise the refusal code's suffix. */
export function renderAccessMatrix(): string {
  const header = `| action | kind | ${COLUMNS.join(' | ')} |`;
  const rule = `| --- | --- | ${COLUMNS.map(() => ':---:').join(' | ')} |`;
  const rows = ACTIONS.map((action) => {
    const spec: ActionSpec = ACCESS_MATRIX[action];
    const cells = COLUMNS.map((role) => {
      if (spec.roles.includes(role)) return '✓';
      if (role === 'auditor' && spec.write) return 'READ_ONLY';
      if (role === 'customer-admin' && spec.roles.includes('support-admin')) return 'MISSING_PRIVILEGE';
      return '—';
    });
    return `| \`${action}\` | ${spec.write ? 'write' : 'read'} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}
