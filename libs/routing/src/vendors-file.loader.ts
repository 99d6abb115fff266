import { readFileSync } from 'node:fs';
import { parseVendor, type Vendor } from '@app/case-domain';

/**
 * A starting vendors file (VENDORS_FILE) that cannot be used. The message is one line,
 * `<file>: <fault>`, and a fault in an entry names it (`vendors[2] ("east-desk")`), so a
 * boot log points at what to fix.
 */
export class InvalidVendorsFile extends Error {
  readonly code = 'ROUTING.INVALID_VENDORS_FILE';
  /** a bad configuration file stays bad: retrying does not help */
  readonly retriable = false;

  constructor(
    readonly file: string,
    readonly fault: string,
  ) {
    super(`Invalid vendors file ${file}: ${fault}`.replace(/\s*[\r\n]+\s*/g, ' ').trim());
    this.name = 'InvalidVendorsFile';
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Reads and validates the starting vendors (`config/vendors.json` by default):
 * `{ "vendors": [{ "id", "name", "languages", "regions", "calendarId" }, …] }`, each checked
 * as `POST /v1/vendors` checks it (parseVendor), its calendar one of `calendarIds` (the
 * loaded calendars), no id twice. An empty list is allowed (a deployment whose supervisors
 * register every vendor). Synchronous: it runs once at start. Any fault throws
 * {@link InvalidVendorsFile}; the first bad entry stops the load.
 */
export const loadVendorsFile = (file: string, calendarIds: ReadonlySet<string>): Vendor[] => {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'invalid JSON' : 'cannot read the file';
    throw new InvalidVendorsFile(file, `${reason}: ${describe(error)}`);
  }
  const list = (raw as { vendors?: unknown } | null)?.vendors;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !Array.isArray(list))
    throw new InvalidVendorsFile(file, 'expected an object { "vendors": [ … ] }');
  const vendors: Vendor[] = [];
  list.forEach((entry: unknown, index) => {
    const id = (entry as { id?: unknown } | null)?.id;
    const where = `vendors[${index}]${typeof id === 'string' ? ` (${JSON.stringify(id)})` : ''}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new InvalidVendorsFile(file, `${where}: expected an object with id, name, languages, regions, calendarId`);
    const unknown = Object.keys(entry).filter((k) => !['id', 'name', 'languages', 'regions', 'calendarId'].includes(k));
    if (unknown.length > 0) throw new InvalidVendorsFile(file, `${where}: unknown field ${JSON.stringify(unknown[0])}`);
    let vendor: Vendor;
    try {
      vendor = parseVendor(entry);
    } catch (error) {
      throw new InvalidVendorsFile(file, `${where}: ${describe(error)}`);
    }
    if (!calendarIds.has(vendor.calendarId))
      throw new InvalidVendorsFile(
        file,
        `${where}: calendar "${vendor.calendarId}" is not loaded (known: ${[...calendarIds].sort().join(', ')})`,
      );
    if (vendors.some((v) => v.id === vendor.id))
      throw new InvalidVendorsFile(file, `${where}: vendor id "${vendor.id}" is listed twice`);
    vendors.push(vendor);
  });
  return vendors;
};
