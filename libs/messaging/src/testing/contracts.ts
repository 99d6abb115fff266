import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CaseEventEnvelope, IntakeEventEnvelope } from '../case-events/case-event-envelope';
import { validateJson, type JsonSchema } from './json-schema';

/** `contracts/` at the repository root: JSON Schemas of what the relay publishes, and the AsyncAPI document. */
export const CONTRACTS_DIR = resolve(__dirname, '../../../../contracts');

const readJson = (path: string): JsonSchema => JSON.parse(readFileSync(path, 'utf8')) as JsonSchema;

/** `contracts/events/<type>.v<n>.schema.json`, or undefined when there is none. */
export const eventSchemaFile = (type: string, schemaVersion: number): string =>
  join(CONTRACTS_DIR, 'events', `${type}.v${schemaVersion}.schema.json`);

export const eventSchema = (type: string, schemaVersion: number): JsonSchema | undefined => {
  const file = eventSchemaFile(type, schemaVersion);
  return existsSync(file) ? readJson(file) : undefined;
};

/** Every event schema: `{ type, schemaVersion, file, schema }`. */
export const allEventSchemas = () =>
  readdirSync(join(CONTRACTS_DIR, 'events'))
    .filter((name) => name.endsWith('.schema.json'))
    .sort()
    .map((name) => {
      const match = /^(.+)\.v(\d+)\.schema\.json$/.exec(name);
      if (!match) throw new Error(`contracts/events/${name}: expected <type>.v<n>.schema.json`);
      return {
        type: match[1],
        schemaVersion: Number(match[2]),
        file: name,
        schema: readJson(join(CONTRACTS_DIR, 'events', name)),
      };
    });

export const caseStateSchema = (): JsonSchema => readJson(join(CONTRACTS_DIR, 'state', 'case-state.v1.schema.json'));

export const asyncApiDocument = (): Record<string, unknown> =>
  JSON.parse(readFileSync(join(CONTRACTS_DIR, 'asyncapi.json'), 'utf8')) as Record<string, unknown>;

export interface MessageLike {
  readonly key: string | null;
  readonly value: string | null;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * What is wrong with a message of the case-events topic (empty when nothing): its value
 * against the schema of its type and version, its headers against its value, its key.
 * An intake event is wrong here: it belongs on the intake-events topic.
 */
export const caseEventMessageErrors = (message: MessageLike): string[] => eventMessageErrors(message, 'case');

/** What is wrong with a message of the intake-events topic (empty when nothing), as {@link caseEventMessageErrors}. */
export const intakeEventMessageErrors = (message: MessageLike): string[] => eventMessageErrors(message, 'intake');

const eventMessageErrors = (message: MessageLike, topic: 'case' | 'intake'): string[] => {
  const envelope = JSON.parse(message.value ?? 'null') as Partial<CaseEventEnvelope & IntakeEventEnvelope> | null;
  if (!envelope) return ['no envelope'];
  const schema = eventSchema(String(envelope.type), Number(envelope.schemaVersion));
  if (!schema) return [`no schema for ${envelope.type}.v${envelope.schemaVersion}`];
  const errors = validateJson(schema, envelope).map((e) => `${envelope.type}.v${envelope.schemaVersion}: ${e}`);
  // the schema says which topic: an intake envelope names its intake, a case one its case
  const names = topic === 'intake' ? 'intakeId' : 'caseId';
  if (!Object.hasOwn((schema.properties as object) ?? {}, names))
    errors.push(`${envelope.type} is not a message of the ${topic}-events topic`);
  const h = message.headers ?? {};
  if (h['event-id'] !== envelope.eventId) errors.push(`header event-id ${h['event-id']} is not ${envelope.eventId}`);
  if (h['event-type'] !== envelope.type) errors.push(`header event-type ${h['event-type']} is not ${envelope.type}`);
  if (h['schema-version'] !== String(envelope.schemaVersion))
    errors.push(`header schema-version ${h['schema-version']} is not ${envelope.schemaVersion}`);
  // optional (docs/tracing.md): the W3C trace context of the command that appended the event
  if (h.traceparent !== undefined && !/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/.test(h.traceparent))
    errors.push(`header traceparent ${h.traceparent} is not a W3C trace context`);
  const key =
    topic === 'intake' ? envelope.intakeId : (envelope.caseId ?? `incident-${String(envelope.data?.incidentId)}`);
  if (message.key !== key) errors.push(`key ${message.key} is not ${key}`);
  return errors;
};

/** What is wrong with a message of the case-state topic (empty when nothing). */
export const caseStateMessageErrors = (message: MessageLike): string[] => {
  const state = JSON.parse(message.value ?? 'null') as { caseId?: string };
  const errors = validateJson(caseStateSchema(), state).map((e) => `case state: ${e}`);
  if (message.key !== state?.caseId) errors.push(`key ${message.key} is not the case id ${state?.caseId}`);
  if (message.headers?.['schema-version'] !== '1') errors.push('header schema-version is not 1');
  return errors;
};
