import { InvalidCommand } from './domain-rule-violation';

/**
 * Checks for values the types cannot stop. Commands come from JSON through the API's DTOs,
 * which validate too, but the domain keeps its own guard: a worker, a CLI or a test can
 * build a command without going through HTTP.
 */

export const requireText = (field: string, value: unknown): string => {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidCommand(field, 'must not be empty');
  return value;
};

export const optionalText = (field: string, value: unknown): string | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidCommand(field, 'must be text');
  return value.trim() === '' ? undefined : value;
};

export const requireOneOf = <T extends string>(field: string, value: unknown, allowed: readonly T[]): T => {
  if (!allowed.includes(value as T)) throw new InvalidCommand(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
};

export const requireBoolean = (field: string, value: unknown): boolean => {
  if (typeof value !== 'boolean') throw new InvalidCommand(field, 'must be true or false');
  return value;
};

export const requireHttpUrl = (field: string, value: unknown): string => {
  const text = requireText(field, value);
  if (!/^https?:\/\/[^\s/]+\S*$/i.test(text)) throw new InvalidCommand(field, 'must be an http(s) URL');
  return text;
};

export const requireValidDate = (field: string, value: unknown): Date => {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new InvalidCommand(field, 'must be a valid date');
  return value;
};

/** The instant as stored in events: ISO 8601 in UTC, so events survive JSON unchanged. */
export const isoInstant = (field: string, value: unknown): string => requireValidDate(field, value).toISOString();

/** An ISO 8601 instant given as text (e.g. a due time computed by the shell), normalised to UTC. */
export const requireInstant = (field: string, value: unknown): string => {
  const text = requireText(field, value);
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms))
    throw new InvalidCommand(field, 'must be an ISO 8601 instant');
  return new Date(ms).toISOString();
};

/** A version as calendars and policies carry it: a non-negative integer or a non-empty string. */
export const requireVersion = (field: string, value: unknown): number | string => {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new InvalidCommand(field, 'must be a non-negative integer or a non-empty string');
};

/** A duration in whole milliseconds, 0 or more. */
export const requireDurationMs = (field: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new InvalidCommand(field, 'must be a whole number of milliseconds, 0 or more');
  return value;
};
