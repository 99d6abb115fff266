import { caseIdFromStreamId, incidentIdFromStreamId } from '@app/case-domain';
import type { RecordedEvent } from '@app/event-store';
import type { Pseudonymise } from '../pseudonymiser';
import { applyRules, BASE_RULES, rulesFor } from './publication-policy';

/**
 * The value of a message on `<prefix>.case-events.v1` (JSON, UTF-8). One JSON Schema per
 * event type and schema version describes it: `contracts/events/<type>.v<n>.schema.json`.
 */
export interface CaseEventEnvelope {
  /** the event's id in the store: delivery is at-least-once, so consumers dedupe by it */
  readonly eventId: string;
  readonly type: string;
  /** the event's shape: a changed shape is a new version, never a renamed type */
  readonly schemaVersion: number;
  /** the case; null for an incident's own events */
  readonly caseId: string | null;
  /** the customer organisation; null for incident events */
  readonly tenant: string | null;
  /** when it happened (the event's `at`), ISO 8601 UTC */
  readonly occurredAt: string;
  /** the event's global position in the store (unique; increasing in insertion order) */
  readonly position: number;
  /** the published fields of the event's data: see `publication-policy.ts` */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface PublishableEvent {
  /** the message key: the case id, or `incident-<id>` for an incident's events */
  readonly key: string;
  readonly stream: 'case' | 'incident';
  readonly envelope: CaseEventEnvelope;
  /** false when the policy lists no fields for this type and version (only the base fields went out) */
  readonly listed: boolean;
  readonly streamVersion: number;
}

/**
 * Message headers: the event id (to dedupe without parsing), type and schema version (to
 * route without parsing). Values are JSON (`defaultContentType` in asyncapi.json); no
 * content-type header, since every header costs the relay's client time per message.
 */
export const envelopeHeaders = (envelope: CaseEventEnvelope): Record<string, string> => ({
  'event-id': envelope.eventId,
  'event-type': envelope.type,
  'schema-version': String(envelope.schemaVersion),
});

const TOKEN = /^[^\s@]{1,128}$/;

/**
 * The envelope of a recorded case or incident event, with only the allow-listed fields of
 * its data and person ids pseudonymised; null for events of other streams (not published).
 */
export const toPublishableEvent = (event: RecordedEvent, pseudonymise: Pseudonymise): PublishableEvent | null => {
  const caseId = caseIdFromStreamId(event.streamId);
  const incidentId = caseId === null ? incidentIdFromStreamId(event.streamId) : null;
  if (caseId === null && incidentId === null) return null;
  const stream = caseId !== null ? 'case' : 'incident';
  const rules = rulesFor(event.type, event.schemaVersion);
  const data = applyRules(event.data, rules ?? BASE_RULES[stream], pseudonymise);
  const tenant = event.metadata.tenant;
  return {
    key: caseId ?? event.streamId,
    stream,
    listed: rules !== undefined,
    streamVersion: event.streamVersion,
    envelope: {
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      caseId,
      tenant: stream === 'case' && typeof tenant === 'string' && TOKEN.test(tenant) ? tenant : null,
      occurredAt: typeof data.at === 'string' ? data.at : event.recordedAt.toISOString(),
      position: event.globalPosition,
      data,
    },
  };
};
