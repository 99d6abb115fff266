import { InvalidCommand } from '../shared/domain-rule-violation';
import { requireText } from '../shared/validation';

/**
 * A support provider (R16): a vetted third party whose agents work cases. Agents belong to
 * one vendor (their token's `vendor` claim); a case is routed to one vendor at a time, and
 * only that vendor's agents see it (R4).
 */
export interface Vendor {
  /** lower-case id, e.g. `north-desk`: the agents' tokens name it */
  readonly id: string;
  readonly name: string;
  /** lower-case BCP 47 tags, e.g. `['fr', 'en']`; `fr` also covers `fr-ca` */
  readonly languages: readonly string[];
  /** lower-case region ids, e.g. `['emea']`: a tie-break between vendors at work (routing.policy.ts) */
  readonly regions: readonly string[];
  /** the id of its working calendar (a file of CALENDARS_DIR): whether it is at work now */
  readonly calendarId: string;
}

/** the same shapes as agent tokens' claims (libs/auth principal.ts) */
const IDENT = /^[a-z0-9][a-z0-9._:-]{0,99}$/;
const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/;
const CALENDAR_ID = /^[a-z0-9][a-z0-9_-]{0,99}$/;

const list = (field: string, value: unknown, item: RegExp, what: string): string[] => {
  if (!Array.isArray(value) || value.length === 0)
    throw new InvalidCommand(field, `must be a non-empty list of ${what}`);
  const items = value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v));
  const bad = items.find((v) => typeof v !== 'string' || !item.test(v));
  if (bad !== undefined)
    throw new InvalidCommand(field, `must be a non-empty list of ${what} (${JSON.stringify(bad)} is not)`);
  return [...new Set(items as string[])];
};

/**
 * Checks a vendor's values and normalises them (lower case, duplicates dropped, order
 * kept). The calendar's existence is the shell's check: the domain does not hold calendars.
 */
export const parseVendor = (raw: {
  readonly id?: unknown;
  readonly name?: unknown;
  readonly languages?: unknown;
  readonly regions?: unknown;
  readonly calendarId?: unknown;
}): Vendor => {
  const id = typeof raw.id === 'string' ? raw.id.trim().toLowerCase() : raw.id;
  if (typeof id !== 'string' || !IDENT.test(id))
    throw new InvalidCommand('id', 'must be a vendor id: lower-case letters, digits and . _ : -');
  const name = requireText('name', raw.name).trim();
  if (name.length > 200) throw new InvalidCommand('name', 'must be at most 200 characters');
  const calendarId = requireText('calendarId', raw.calendarId).trim();
  if (!CALENDAR_ID.test(calendarId))
    throw new InvalidCommand('calendarId', 'must be a calendar id such as europe-paris');
  return {
    id,
    name,
    languages: list('languages', raw.languages, LANGUAGE, 'language codes such as fr, en'),
    regions: list('regions', raw.regions, IDENT, 'region ids such as emea'),
    calendarId,
  };
};

/**
 * Whether someone speaking `spoken` can take a case in `language`: the same tag, or the
 * case's regional variant of a spoken base language (`fr` covers `fr-ca`, `pt-br` does not
 * cover `pt`). The same rule as agents' tokens (libs/auth canSeeCase).
 */
export const speaks = (spoken: readonly string[], language: string): boolean => {
  const tag = language.trim().toLowerCase();
  const primary = tag.split('-')[0];
  return spoken.some((s) => s === tag || s === primary);
};
