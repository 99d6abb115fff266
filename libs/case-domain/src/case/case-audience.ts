import type { CaseEventType } from './case.events';
import type { CaseView } from './case.view';
import type { EscalationTarget, Instant } from './case.types';

/**
 * What each audience may see of a case: the ONE place that decides it, for the case view
 * (GET /v1/cases/{id} and every write's answer), the case's events (GET /v1/cases/{id}/events)
 * and the items of the case list (GET /v1/cases). Pure, like the rest of the domain: the API
 * passes the audience and what the case's stream says of its people (`caseCastOf`).
 *
 * - `staff` (agents of the case's vendor, supervisors, auditors, the system): everything,
 *   unchanged; internal notes included.
 * - `customer` (the organisation's administrators): never an internal note (the view has no
 *   `notes`, the events leave `InternalNoteAdded` out); staff are shown by a display name
 *   (`byName`, `agentName`, `previousAgentName`, `assigneeName`), never their id, e-mail
 *   address or vendor; no routing (vendor, candidates, queue decision); an escalation shows
 *   as having happened (target, when, by whom), never its reason. An event type this file
 *   has no rule for is not shown to customers at all (a new type stays staff-only until
 *   someone decides here, as the Kafka allow-list does).
 *
 * docs/domain-model.md, "Audiences", says the same in prose.
 */
export type Audience = 'customer' | 'staff';

/** The customers' roles (as `@app/auth` names them): everyone else is staff. */
export const CUSTOMER_ROLES: readonly string[] = ['support-admin', 'customer-admin'];

export const audienceOfRole = (role: string): Audience => (CUSTOMER_ROLES.includes(role) ? 'customer' : 'staff');

/** What a customer is shown for a person of staff whose token carried no `name` claim. */
export const STAFF_LABEL = 'Support agent';
/** … and for the system (timers, the router, the survey sender). */
export const SYSTEM_LABEL = 'Support team';

/**
 * The people of one case as its stream knows them, from the events' metadata: who is a
 * customer (the requester, and whoever acted with a customer role), and the display name
 * (the `name` claim of their token, recorded in `metadata.actor.name`) and role of staff.
 */
export interface CaseCast {
  readonly customerIds: ReadonlySet<string>;
  /** staff id → the latest display name their tokens carried */
  readonly names: ReadonlyMap<string, string>;
  /** staff id → role, for the neutral label */
  readonly roles: ReadonlyMap<string, string>;
}

export const EMPTY_CAST: CaseCast = { customerIds: new Set(), names: new Map(), roles: new Map() };

/** An event as the audience function reads it: a recorded case event or a plain one. */
export interface AudienceEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const actorOf = (metadata: unknown): { id: string; role: string; name?: string } | undefined => {
  const actor = isRecord(metadata) ? metadata.actor : undefined;
  if (!isRecord(actor) || typeof actor.id !== 'string' || typeof actor.role !== 'string') return undefined;
  return typeof actor.name === 'string' && actor.name !== ''
    ? { id: actor.id, role: actor.role, name: actor.name }
    : { id: actor.id, role: actor.role };
};

/** The cast of a case from its events (oldest first): the later name of a person wins. */
export const caseCastOf = (events: readonly AudienceEvent[]): CaseCast => {
  const customerIds = new Set<string>();
  const names = new Map<string, string>();
  const roles = new Map<string, string>();
  for (const event of events) {
    if (event.type === 'Opened' && isRecord(event.data) && isRecord(event.data.requester)) {
      const id = event.data.requester.id;
      if (typeof id === 'string') customerIds.add(id);
    }
    const actor = actorOf(event.metadata);
    if (!actor) continue;
    if (audienceOfRole(actor.role) === 'customer') customerIds.add(actor.id);
    else {
      roles.set(actor.id, actor.role);
      if (actor.name) names.set(actor.id, actor.name);
    }
  }
  return { customerIds, names, roles };
};

/**
 * How a customer is shown a person of staff: their display name when a token of theirs
 * carried one on this case, else "Support team" for the system (its role, or an id such as
 * `system:timer`), "Support agent" for anyone else. Never the id (often an e-mail address).
 * `role`: the role the caller knows (an event's actor), else the cast's.
 */
export const staffNameFor = (staffId: string, cast: CaseCast = EMPTY_CAST, role?: string): string => {
  const name = cast.names.get(staffId);
  if (name) return name;
  const known = role ?? cast.roles.get(staffId);
  return known === 'system' || (known === undefined && staffId.startsWith('system:')) ? SYSTEM_LABEL : STAFF_LABEL;
};

// ── the case view ─────────────────────────────────────────────────────────────

/** An escalation as customers see it: that it happened, where to and by whom; not why. */
export interface CustomerEscalation {
  readonly target: EscalationTarget;
  readonly at: Instant;
  readonly byName: string;
}

/** The case as a customer sees it. */
export type CustomerCaseView = Omit<CaseView, 'assigneeId' | 'escalations' | 'notes' | 'routing'> & {
  /** the display name of the person holding the case */
  readonly assigneeName?: string;
  readonly escalations: readonly CustomerEscalation[];
};

export function caseViewFor(view: CaseView, audience: 'staff', cast?: CaseCast): CaseView;
export function caseViewFor(view: CaseView, audience: 'customer', cast?: CaseCast): CustomerCaseView;
export function caseViewFor(view: CaseView, audience: Audience, cast?: CaseCast): CaseView | CustomerCaseView;
/** The case view as `audience` may see it (staff: unchanged). */
export function caseViewFor(
  view: CaseView,
  audience: Audience,
  cast: CaseCast = EMPTY_CAST,
): CaseView | CustomerCaseView {
  if (audience === 'staff') return view;
  const { assigneeId, escalations, notes: _notes, routing: _routing, ...shown } = view;
  return {
    ...shown,
    ...(assigneeId === undefined ? {} : { assigneeName: staffNameFor(assigneeId, cast) }),
    escalations: escalations.map(({ target, at, byId }) => ({ target, at, byName: staffNameFor(byId, cast) })),
  };
}

// ── the case list ─────────────────────────────────────────────────────────────

/**
 * An item of the case list as `audience` may see it: customers get `assigneeName` (the
 * neutral label: the list is a read model that keeps no names) instead of `assigneeId`.
 */
export const caseListItemFor = <T extends { readonly assigneeId?: string }>(
  item: T,
  audience: Audience,
): T | (Omit<T, 'assigneeId'> & { readonly assigneeName?: string }) => {
  if (audience === 'staff') return item;
  const { assigneeId, ...shown } = item;
  return assigneeId === undefined ? shown : { ...shown, assigneeName: staffNameFor(assigneeId) };
};

// ── the events ───────────────────────────────────────────────────────────────

/**
 * What customers see of each event type's data: `shown` with the listed fields left out;
 * `staff-only` never shown. Staff ids (`byId` of staff, `agentId`, `previousAgentId`) become
 * display names in every shown event. A type with no rule here is not shown to customers.
 */
type CustomerRule = { readonly shown: true; readonly without?: readonly string[] } | 'staff-only';

const shown = (...without: string[]): CustomerRule => ({ shown: true, without });

export const CUSTOMER_EVENT_RULES: Partial<Record<CaseEventType, CustomerRule>> = {
  Opened: shown(),
  PriorityChanged: shown(),
  AgentAssigned: shown(),
  AgentResponded: shown(),
  InfoRequested: shown(),
  InfoProvided: shown(),
  CustomerReplied: shown(),
  Escalated: shown('reason'),
  SlaBreached: shown(),
  LinkedToIncident: shown(),
  Resolved: shown(),
  Reopened: shown(),
  CreditRequested: shown(),
  CreditIssued: shown(),
  IncidentReportRequested: shown(),
  IncidentReportSent: shown(),
  SurveySent: shown(),
  SurveyAnswered: shown(),
  Closed: shown(),
  // routing is the desk's business: which vendors could, which one does, and why
  Routed: shown('vendorId', 'previousVendorId', 'candidates', 'reason', 'trigger'),
  InternalNoteAdded: 'staff-only',
  NotificationsChanged: shown(),
  CustomerReminded: shown(),
};

/** staff id fields of event data, and the name each becomes for customers */
const STAFF_ID_FIELDS: Readonly<Record<string, string>> = {
  agentId: 'agentName',
  previousAgentId: 'previousAgentName',
};

/**
 * The event as `audience` may see it, or null when that audience does not see it at all.
 * Staff: unchanged. Customers: the data by {@link CUSTOMER_EVENT_RULES}; the metadata only
 * `actor` and `tenant` (plus the rest when a customer wrote it: their own correlation and
 * idempotency keys), a staff actor shown as `{role, name}`.
 */
export const caseEventFor = <E extends AudienceEvent>(
  event: E,
  audience: Audience,
  cast: CaseCast = EMPTY_CAST,
): E | null => {
  if (audience === 'staff') return event;
  const rule = Object.hasOwn(CUSTOMER_EVENT_RULES, event.type)
    ? CUSTOMER_EVENT_RULES[event.type as CaseEventType]
    : undefined;
  if (rule === undefined || rule === 'staff-only') return null;
  const actor = actorOf(event.metadata);
  const data = customerData(event.data, rule.without ?? [], cast, actor);
  return { ...event, data, ...customerMetadata(event, cast, actor) };
};

type EventActor = ReturnType<typeof actorOf>;

const isCustomerActor = (actor: EventActor): boolean =>
  actor !== undefined && audienceOfRole(actor.role) === 'customer';

const customerData = (
  data: unknown,
  without: readonly string[],
  cast: CaseCast,
  actor: EventActor,
): Record<string, unknown> => {
  // the event's author is known by its metadata; other ids by the cast
  const role = (id: string) => (actor?.id === id ? actor.role : undefined);
  const isCustomer = (id: string) => cast.customerIds.has(id) || (actor?.id === id && isCustomerActor(actor));
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(isRecord(data) ? data : {})) {
    if (without.includes(field)) continue;
    if (field === 'byId' && typeof value === 'string' && !isCustomer(value)) {
      out.byName = staffNameFor(value, cast, role(value));
    } else if (Object.hasOwn(STAFF_ID_FIELDS, field)) {
      if (typeof value === 'string') out[STAFF_ID_FIELDS[field]] = staffNameFor(value, cast, role(value));
    } else out[field] = value;
  }
  return out;
};

const customerMetadata = (event: AudienceEvent, cast: CaseCast, actor: EventActor): { metadata?: unknown } => {
  if (!('metadata' in event) || !isRecord(event.metadata)) return {};
  // a customer's own event: their metadata as recorded (their organisation, their keys)
  if (isCustomerActor(actor)) return { metadata: event.metadata };
  const { tenant } = event.metadata;
  return {
    metadata: {
      ...(actor ? { actor: { role: actor.role, name: staffNameFor(actor.id, cast, actor.role) } } : {}),
      ...(tenant === undefined ? {} : { tenant }),
    },
  };
};
