import { caseIdFromStreamId, incidentIdFromStreamId, intakeIdFromStreamId } from '@app/case-domain';
import type { RecordedEvent } from '@app/event-store';
import type { Pseudonymise } from '../pseudonymiser';
import { applyRules, BASE_RULES, isPublished, rulesFor } from './publication-policy';

/** What every published event's envelope carries, whatever its topic. */
interface EventEnvelopeBase {
  /** the event's id in the store: delivery is at-least-once, so consumers dedupe by it */
  readonly eventId: string;
  readonly type: string;
  /** the event's shape: a changed shape is a new version, never a renamed type */
  readonly schemaVersion: number;
  /** the customer organisation; null for incident events (and when it is not an id) */
  readonly tenant: string | null;
  /** when it happened (the event's `at`), ISO 8601 UTC */
  readonly occurredAt: string;
  /** the event's global position in the store (unique; increasing in insertion order) */
  readonly position: number;
  /** the published fields of the event's data: see `publication-policy.ts` */
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * The value of a message on `<prefix>.case-events.v1` (JSON, UTF-8). One JSON Schema per
 * event type and schema version describes it: `contracts/events/<type>.v<n>.schema.json`.
 */
export interface CaseEventEnvelope extends EventEnvelopeBase {
  /** the case; null for an incident's own events */
  readonly caseId: string | null;
}

/**
 * The value of a message on `<prefix>.intake-events.v1`: the same envelope, naming the
 * help assistant intake (R5–R8) where a case event names its case. Its schemas are in
 * `contracts/events/` as well (intake event types are named apart from case event types).
 */
export interface IntakeEventEnvelope extends EventEnvelopeBase {
  readonly intakeId: string;
}

interface Publishable<S extends string, E extends EventEnvelopeBase> {
  /** the message key: the case id, `incident-<id>` for an incident's events, the intake id for an intake's */
  readonly key: string;
  readonly stream: S;
  readonly envelope: E;
  /** false when the policy lists no fields for this type and version (only the base fields went out) */
  readonly listed: boolean;
  readonly streamVersion: number;
}

/** A recorded event as it goes out: case and incident events to the case-events topic, intake events to their own. */
export type PublishableEvent =
  Publishable<'case' | 'incident', CaseEventEnvelope> | Publishable<'intake', IntakeEventEnvelope>;

/**
 * Message headers: the event id (to dedupe without parsing), type and schema version (to
 * route without parsing). Values are JSON (`defaultContentType` in asyncapi.json); no
 * content-type header, since every header costs the relay's client time per message.
 */
export const envelopeHeaders = (envelope: EventEnvelopeBase): Record<string, string> => ({
  'event-id': envelope.eventId,
  'event-type': envelope.type,
  'schema-version': String(envelope.schemaVersion),
});

const TOKEN = /^[^\s@]{1,128}$/;

/**
 * The envelope of a recorded case, incident or intake event, with only the allow-listed
 * fields of its data and person ids pseudonymised; null for events of other streams and for
 * the case event types that are never published (`NEVER_PUBLISHED_CASE_EVENT_TYPES`: an
 * internal note): not published.
 */
export const toPublishableEvent = (event: RecordedEvent, pseudonymise: Pseudonymise): PublishableEvent | null => {
  const caseId = caseIdFromStreamId(event.streamId);
  const intakeId = intakeIdFromStreamId(event.streamId);
  const stream =
    caseId !== null
      ? 'case'
      : incidentIdFromStreamId(event.streamId) !== null
        ? 'incident'
        : intakeId
          ? 'intake'
          : null;
  if (stream === null || !isPublished(event.type, stream)) return null;
  const rules = rulesFor(event.type, event.schemaVersion, stream);
  const data = applyRules(event.data, rules ?? BASE_RULES[stream], pseudonymise);
  const tenant = event.metadata.tenant;
  const head = { eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion };
  const tail = {
    tenant: stream !== 'incident' && typeof tenant === 'string' && TOKEN.test(tenant) ? tenant : null,
    occurredAt: typeof data.at === 'string' ? data.at : event.recordedAt.toISOString(),
    position: event.globalPosition,
    data,
  };
  const common = { listed: rules !== undefined, streamVersion: event.streamVersion };
  if (stream === 'intake') {
    const id = intakeId as string;
    return { key: id, stream, envelope: { ...head, intakeId: id, ...tail }, ...common };
  }
  return { key: caseId ?? event.streamId, stream, envelope: { ...head, caseId, ...tail }, ...common };
};
