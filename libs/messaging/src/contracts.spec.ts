import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CASE_EVENT_SCHEMA_VERSIONS,
  CHANNELS,
  INCIDENT_EVENT_SCHEMA_VERSIONS,
  INTAKE_EVENT_SCHEMA_VERSIONS,
  OUTCOMES,
  PRIORITIES,
} from '@app/case-domain';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { toPublishableEvent } from './case-events/case-event-envelope';
import { evolveCaseState, type CaseStateSummary } from './case-events/case-state';
import { isPublished, rulesFor } from './case-events/publication-policy';
import { envelopeHeaders } from './case-events/case-event-envelope';
import { hmacPseudonymiser } from './pseudonymiser';
import { runFullLifecycle } from './testing/case-lifecycle';
import {
  allEventSchemas,
  asyncApiDocument,
  caseEventMessageErrors,
  caseStateMessageErrors,
  caseStateSchema,
  CONTRACTS_DIR,
  intakeEventMessageErrors,
} from './testing/contracts';
import { assertSupportedSchema, type JsonSchema } from './testing/json-schema';
import { caseTopics, relayTopicNames } from './topics';

/** every event type the relay publishes (not an internal note: NEVER_PUBLISHED_CASE_EVENT_TYPES) */
const domainTypes = [
  ...Object.entries(CASE_EVENT_SCHEMA_VERSIONS).filter(([type]) => isPublished(type, 'case')),
  ...Object.entries(INCIDENT_EVENT_SCHEMA_VERSIONS),
  ...Object.entries(INTAKE_EVENT_SCHEMA_VERSIONS),
];
const intakeTypes = new Set(Object.keys(INTAKE_EVENT_SCHEMA_VERSIONS));
const props = (schema: JsonSchema, ...path: string[]) =>
  path.reduce<JsonSchema>((s, p) => (s.properties as Record<string, JsonSchema>)[p], schema);

describe('contracts/ (JSON Schemas and the AsyncAPI document)', () => {
  it('has one schema per event type and schema version the relay publishes, and none for anything else', () => {
    const schemas = allEventSchemas().map((s) => `${s.type}.v${s.schemaVersion}`);
    expect(schemas).toEqual(domainTypes.map(([type, version]) => `${type}.v${version}`).sort());
  });

  it.each(allEventSchemas().map((s) => [s.file, s] as const))(
    '%s is draft-07, names its type and version, and lists exactly the published fields',
    (_file, { type, schemaVersion, schema }) => {
      assertSupportedSchema(schema);
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(String(schema.$id)).toMatch(new RegExp(`/events/${type}\\.v${schemaVersion}\\.schema\\.json$`));
      expect(props(schema, 'type')).toEqual({ const: type });
      expect(props(schema, 'schemaVersion')).toEqual({ const: schemaVersion });
      expect(props(schema, 'data').additionalProperties).toBe(false);
      // an intake's envelope names its intake (its own topic), a case or incident event's its case
      const envelope = Object.keys(schema.properties as object).sort();
      const named = intakeTypes.has(type) ? 'intakeId' : 'caseId';
      expect(envelope).toEqual(
        [named, 'data', 'eventId', 'occurredAt', 'position', 'schemaVersion', 'tenant', 'type'].sort(),
      );
      expect(schema.required).toEqual(expect.arrayContaining(envelope));
      const published = Object.keys(rulesFor(type, schemaVersion) ?? {}).sort();
      expect(Object.keys(props(schema, 'data').properties as object).sort()).toEqual(published);
    },
  );

  it("uses the domain's lists for priorities and outcomes", () => {
    const [opened, resolved] = ['Opened', 'Resolved'].map((t) => allEventSchemas().find((s) => s.type === t)!.schema);
    expect(props(opened, 'data', 'priority').enum).toEqual([...PRIORITIES]);
    expect(props(resolved, 'data', 'outcome').enum).toEqual([...OUTCOMES]);
    expect(props(caseStateSchema(), 'outcome').enum).toEqual([...OUTCOMES]);
    const caseRequested = allEventSchemas().find((s) => s.type === 'CaseRequested')!.schema;
    expect(props(caseRequested, 'data', 'channel').enum).toEqual([...CHANNELS]);
  });

  it('has a case-state schema the validator supports', () => {
    expect(() => assertSupportedSchema(caseStateSchema())).not.toThrow();
  });

  it('describes the three topics in AsyncAPI 3, with every schema as a message payload', () => {
    const doc = asyncApiDocument() as {
      asyncapi: string;
      channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
      components: { messages: Record<string, { payload: { $ref: string }; headers: JsonSchema }> };
    };
    expect(doc.asyncapi).toBe('3.0.0');
    const topics = caseTopics();
    expect(
      Object.values(doc.channels)
        .map((c) => c.address)
        .sort(),
    ).toEqual(relayTopicNames(topics).sort());
    // each event's message is on its own topic's channel: intake events on the intake topic
    const channelOf = (type: string) =>
      Object.values(doc.channels).find((c) => Object.hasOwn(c.messages, type))?.address;
    for (const [type] of domainTypes)
      expect([type, channelOf(type)]).toEqual([type, intakeTypes.has(type) ? topics.intakeEvents : topics.caseEvents]);
    const payloads = Object.values(doc.components.messages).map((m) => m.payload.$ref);
    for (const { file } of allEventSchemas()) expect(payloads).toContain(`./events/${file}`);
    expect(payloads).toContain('./state/case-state.v1.schema.json');
    for (const ref of payloads) expect(existsSync(join(CONTRACTS_DIR, ref))).toBe(true);
    // every message of a channel is a component, and the other way round
    const channelMessages = Object.values(doc.channels).flatMap((c) => Object.values(c.messages).map((m) => m.$ref));
    expect(channelMessages.sort()).toEqual(
      Object.keys(doc.components.messages)
        .map((name) => `#/components/messages/${name}`)
        .sort(),
    );
    for (const message of Object.values(doc.components.messages)) assertSupportedSchema(message.headers);
    // every event message may carry the traceparent the command door recorded (docs/tracing.md); the state none
    for (const [name, message] of Object.entries(doc.components.messages)) {
      const headers = message.headers as { properties: Record<string, { pattern?: string }> };
      const isEvent = Object.hasOwn(headers.properties, 'event-id');
      expect([name, headers.properties.traceparent?.pattern]).toEqual([
        name,
        isEvent ? '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' : undefined,
      ]);
    }
  });

  describe('what the relay would publish for a whole case lifecycle, with its intakes', () => {
    let handle: EventStoreHandle;
    beforeAll(async () => {
      handle = await createEventStore();
    });
    afterAll(() => handle.store.close());

    it('validates against the contracts, every event type of the domain included', async () => {
      const run = await runFullLifecycle(handle.store);
      const { events } = await handle.store.readAll();
      const pseudonymise = hmacPseudonymiser('k'.repeat(32));
      let state: CaseStateSummary | null = null;
      const types = new Set<string>();
      for (const event of events) {
        const p = toPublishableEvent(event, pseudonymise);
        if (!p) {
          expect(run.unpublishedEventTypes).toContain(event.type); // an internal note: no message at all
          continue;
        }
        types.add(p.envelope.type);
        const message = {
          key: p.key,
          value: JSON.stringify(p.envelope),
          headers: {
            ...envelopeHeaders(p.envelope),
            traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
          },
        };
        expect(caseEventMessageErrors({ ...message, headers: { ...message.headers, traceparent: 'x' } })).toContain(
          'header traceparent x is not a W3C trace context',
        );
        if (p.stream === 'intake') {
          expect(intakeEventMessageErrors(message)).toEqual([]);
          expect(caseEventMessageErrors(message)).not.toEqual([]); // not a message of the case topic
          continue;
        }
        expect(caseEventMessageErrors(message)).toEqual([]);
        if (p.stream !== 'case') continue;
        state = evolveCaseState(state, p.envelope, p.streamVersion);
        const stateMessage = { key: run.caseId, value: JSON.stringify(state), headers: { 'schema-version': '1' } };
        expect(caseStateMessageErrors(stateMessage)).toEqual([]);
      }
      expect([...types].sort()).toEqual(domainTypes.map(([type]) => type).sort());
      expect(run.unpublishedEventTypes).toEqual(['InternalNoteAdded']);
    });
  });
});
