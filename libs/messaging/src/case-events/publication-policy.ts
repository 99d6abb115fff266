import type {
  CASE_EVENT_SCHEMA_VERSIONS,
  CaseEventDataMap,
  CaseEventType,
  INCIDENT_EVENT_SCHEMA_VERSIONS,
  IncidentEventDataMap,
  IncidentEventType,
  INTAKE_EVENT_SCHEMA_VERSIONS,
  IntakeEventDataMap,
  IntakeEventType,
} from '@app/case-domain';

/**
 * What of an event's data goes to the analytics topics: an explicit ALLOW-list per event
 * type and schema version. A field that is not listed is never published, so a free-text
 * field added to an event later (a note, a title, an address) stays private until someone
 * lists it here on purpose; a deny-list would leak it on the day it is added.
 *
 * Each listed field also says what kind of value it must hold, and a value of another kind
 * is dropped: `product` is published when it is an id such as `cloud-identity-premium`,
 * not when a customer typed a sentence into it.
 *
 * Left out on purpose: subjects, descriptions, messages, summaries, recommendations,
 * reasons, comments, incident titles, attachment names and checksums, URLs, what an admin
 * typed into the help assistant (its description, its search queries), and the requester's
 * e-mail address. Person ids (requester, agents, actors) are pseudonymised.
 */
export type FieldRule =
  /** an id, code or enum value: a string of 1 to 128 characters without whitespace or `@` */
  | 'token'
  /** an ISO 8601 instant in UTC, as the domain writes them (`2026-03-02T09:30:00.000Z`) */
  | 'instant'
  | 'number'
  | 'boolean'
  /** a version: a number, or a string as for 'token' */
  | 'version'
  /** a person's id, replaced by its keyed hash (HMAC-SHA-256, see `pseudonymiser.ts`) */
  | 'pseudonym'
  /** an object: only the listed fields of it */
  | { readonly object: DataRules }
  /** an array: each element by this rule (elements that do not fit are dropped) */
  | { readonly each: FieldRule }
  /** null kept as null (it means something, e.g. "no vendor"), anything else by the inner rule */
  | { readonly orNull: FieldRule };

export type DataRules = { readonly [field: string]: FieldRule };

/** Only fields the event's data type declares: a typo does not compile. */
type RulesFor<D> = { readonly [K in keyof D]?: FieldRule };

type VersionedRules<
  Types extends string,
  Versions extends Record<Types, number>,
  Data extends Record<Types, unknown>,
> = {
  readonly [T in Types]?: { readonly [V in Versions[T]]: RulesFor<Data[T]> };
};

/**
 * Case event types the relay never publishes, not even their base fields: staff's internal
 * notes are for staff alone, and that a note was written at all is no consumer's business.
 * No message on the events topic, no change of the case's summary on the state topic, no
 * schema in contracts/. They can have no rules below (`CASE_EVENT_RULES` does not compile
 * with one).
 */
export const NEVER_PUBLISHED_CASE_EVENT_TYPES = ['InternalNoteAdded'] as const satisfies readonly CaseEventType[];
type NeverPublished = (typeof NEVER_PUBLISHED_CASE_EVENT_TYPES)[number];

/** False for a type of `NEVER_PUBLISHED_CASE_EVENT_TYPES` on a case stream: the relay skips it entirely. */
export const isPublished = (type: string, stream: PublishedStream): boolean =>
  stream !== 'case' || !(NEVER_PUBLISHED_CASE_EVENT_TYPES as readonly string[]).includes(type);

const caseBase = { caseId: 'token', at: 'instant', byId: 'pseudonym' } as const;
const slaMeasure = { calendarId: 'token', calendarVersion: 'version', policyVersion: 'version' } as const;

export const CASE_EVENT_RULES = {
  Opened: {
    1: {
      ...caseBase,
      tenant: 'token',
      requester: { object: { id: 'pseudonym' } }, // not the e-mail address
      product: 'token',
      language: 'token',
      channel: 'token',
      impact: { object: { serviceState: 'token', scope: 'token', collaborationHarmed: 'boolean' } },
      workaround: 'token',
      relatedCaseId: 'token',
      intakeId: 'token',
      priority: 'token',
      sla: {
        object: { ...slaMeasure, region: 'token', firstResponseTargetMs: 'number', firstResponseDueAt: 'instant' },
      },
    },
  },
  PriorityChanged: { 1: { ...caseBase, from: 'token', to: 'token' } },
  AgentAssigned: {
    1: { ...caseBase, agentId: 'pseudonym', previousAgentId: 'pseudonym', forced: 'boolean' },
  },
  AgentResponded: { 1: { ...caseBase, agentId: 'pseudonym', firstResponse: 'boolean' } },
  InfoRequested: { 1: { ...caseBase, agentId: 'pseudonym', items: { each: 'token' }, firstResponse: 'boolean' } },
  InfoProvided: {
    1: {
      ...caseBase,
      attachments: { each: { object: { size: 'number', contentType: 'token' } } },
      endsWait: 'boolean',
    },
  },
  // attachments as InfoProvided's (a reply without files has none)
  CustomerReplied: {
    1: {
      ...caseBase,
      attachments: { each: { object: { size: 'number', contentType: 'token' } } },
      endsWait: 'boolean',
    },
  },
  Escalated: { 1: { ...caseBase, target: 'token' } },
  SlaBreached: {
    1: {
      ...caseBase,
      clock: 'token',
      cycle: 'number',
      priority: 'token',
      dueAt: 'instant',
      targetMs: 'number',
      ...slaMeasure,
    },
  },
  // vendors are support providers (organisations), not people: their ids are published
  Routed: {
    1: {
      ...caseBase,
      vendorId: { orNull: 'token' },
      queueId: 'token',
      reason: 'token',
      trigger: 'token',
      candidates: { each: { object: { vendorId: 'token', atWork: 'boolean' } } },
      previousVendorId: { orNull: 'token' },
    },
  },
  LinkedToIncident: { 1: { ...caseBase, incidentId: 'token' } },
  Resolved: { 1: { ...caseBase, outcome: 'token', incidentId: 'token', cycle: 'number' } },
  Reopened: { 1: { ...caseBase, cycle: 'number' } },
  CreditRequested: { 1: { ...caseBase, incidentId: 'token' } },
  CreditIssued: { 1: { ...caseBase, incidentId: 'token', amount: 'number', currency: 'token' } },
  IncidentReportRequested: { 1: { ...caseBase, incidentId: 'token' } },
  IncidentReportSent: { 1: { ...caseBase, incidentId: 'token' } },
  SurveySent: { 1: { ...caseBase, surveyId: 'token', cycle: 'number' } },
  SurveyAnswered: { 1: { ...caseBase, surveyId: 'token', rating: 'number', cycle: 'number' } },
  Closed: { 1: { ...caseBase, outcome: 'token', cycle: 'number' } },
  NotificationsChanged: { 1: { ...caseBase, enabled: 'boolean' } },
  CustomerReminded: { 1: { ...caseBase, cycle: 'number', waitingSince: 'instant' } },
} as const satisfies VersionedRules<
  Exclude<CaseEventType, NeverPublished>,
  typeof CASE_EVENT_SCHEMA_VERSIONS,
  CaseEventDataMap
>;

const incidentBase = { incidentId: 'token', at: 'instant', byId: 'pseudonym' } as const;

export const INCIDENT_EVENT_RULES = {
  IncidentDeclared: { 1: { ...incidentBase, services: { each: 'token' }, startedAt: 'instant' } }, // not the title
  IncidentResolved: { 1: { ...incidentBase, startedAt: 'instant', endedAt: 'instant' } },
} as const satisfies VersionedRules<IncidentEventType, typeof INCIDENT_EVENT_SCHEMA_VERSIONS, IncidentEventDataMap>;

const intakeBase = { intakeId: 'token', at: 'instant', byId: 'pseudonym' } as const;

/**
 * The help assistant's intake sessions (R5–R8), on their own topic. What the admin typed
 * (the description, each search query, the case request's subject and description) is
 * never published, nor the requester's e-mail address: only ids, enums, numbers and
 * instants. An article is its id, the revision shown and its score.
 */
export const INTAKE_EVENT_RULES = {
  IntakeStarted: { 1: { ...intakeBase, tenant: 'token', product: 'token', language: 'token' } }, // not the description
  ArticlesSuggested: {
    1: { ...intakeBase, suggestions: { each: { object: { articleId: 'token', version: 'number', score: 'number' } } } },
  }, // not the query
  SearchRepeated: { 1: { ...intakeBase } }, // not the query: that a search was repeated is the fact
  RecentCasesOffered: { 1: { ...intakeBase, caseIds: { each: 'token' } } },
  ProblemDescribed: { 1: { ...intakeBase, problemCategory: 'token' } },
  AttachedToRecentCase: { 1: { ...intakeBase, caseId: 'token' } },
  Deflected: { 1: { ...intakeBase, articleId: 'token', articleVersion: 'number' } },
  StillNeedsHelp: { 1: { ...intakeBase } },
  CaseRequested: {
    1: {
      ...intakeBase,
      caseId: 'token',
      requester: { object: { id: 'pseudonym' } }, // not the e-mail address
      product: 'token',
      channel: 'token',
      language: 'token',
      impact: { object: { serviceState: 'token', scope: 'token', collaborationHarmed: 'boolean' } },
      workaround: 'token',
    }, // not the subject, not the description
  },
  Abandoned: { 1: { ...intakeBase, idleSince: 'instant' } },
} as const satisfies VersionedRules<IntakeEventType, typeof INTAKE_EVENT_SCHEMA_VERSIONS, IntakeEventDataMap>;

/**
 * For an event type or version this release does not know (written by a newer release):
 * only what every event of its stream is known to carry. Its other fields wait for a
 * release that lists them.
 */
export const BASE_RULES: { readonly case: DataRules; readonly incident: DataRules; readonly intake: DataRules } = {
  case: caseBase,
  incident: incidentBase,
  intake: intakeBase,
};

/** The streams whose events are published: `case-<id>`, `incident-<id>`, `intake-<id>`. */
export type PublishedStream = keyof typeof BASE_RULES;

type RulesByType = Record<string, Record<number, DataRules> | undefined>;

const STREAM_RULES: Record<PublishedStream, RulesByType> = {
  case: CASE_EVENT_RULES,
  incident: INCIDENT_EVENT_RULES,
  intake: INTAKE_EVENT_RULES,
};

/**
 * The rules of one event type and schema version, or undefined when none are listed. With
 * `stream`, only that stream's types: an intake event is never published by a case
 * event's rules, whatever its type is called.
 */
export const rulesFor = (type: string, schemaVersion: number, stream?: PublishedStream): DataRules | undefined => {
  for (const [name, rules] of Object.entries(STREAM_RULES)) {
    if (stream !== undefined && name !== stream) continue;
    if (Object.hasOwn(rules, type)) return rules[type]?.[schemaVersion];
  }
  return undefined;
};

const TOKEN = /^[^\s@]{1,128}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * Applies `rules` to `data`: a new object with the listed fields that hold a value of
 * their kind, nothing else. Pure; `pseudonymise` is the keyed hash.
 */
export const applyRules = (
  data: unknown,
  rules: DataRules,
  pseudonymise: (id: string) => string,
): Record<string, unknown> => {
  const source = isPlainObject(data) ? data : {};
  const out: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(rules)) {
    if (!Object.hasOwn(source, field)) continue;
    const value = applyRule(source[field], rule, pseudonymise);
    if (value !== undefined) out[field] = value;
  }
  return out;
};

const applyRule = (value: unknown, rule: FieldRule, pseudonymise: (id: string) => string): unknown => {
  switch (rule) {
    case 'token':
      return typeof value === 'string' && TOKEN.test(value) ? value : undefined;
    case 'instant':
      return typeof value === 'string' && INSTANT.test(value) ? value : undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'version':
      return applyRule(value, 'number', pseudonymise) ?? applyRule(value, 'token', pseudonymise);
    case 'pseudonym':
      return typeof value === 'string' && value !== '' ? pseudonymise(value) : undefined;
  }
  if ('orNull' in rule) return value === null ? null : applyRule(value, rule.orNull, pseudonymise);
  if ('object' in rule) return isPlainObject(value) ? applyRules(value, rule.object, pseudonymise) : undefined;
  if (!Array.isArray(value)) return undefined;
  return value.map((item) => applyRule(item, rule.each, pseudonymise)).filter((item) => item !== undefined);
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
