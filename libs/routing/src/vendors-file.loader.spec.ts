import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_VENDORS } from '@app/case-domain';
import { InvalidVendorsFile, loadVendorsFile } from './vendors-file.loader';

const CALENDARS = new Set(['europe-paris', 'australia-sydney', 'asia-tokyo', 'america-new-york']);

describe('loadVendorsFile', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vendors-file-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const north = EXAMPLE_VENDORS[0];

  it('loads the shipped config/vendors.json: the four example vendors, one per shipped calendar', () => {
    expect(loadVendorsFile('config/vendors.json', CALENDARS)).toEqual(EXAMPLE_VENDORS);
  });

  it('normalises entries as POST /v1/vendors does, and accepts an empty list', () => {
    const path = file(
      'mixed-case.json',
      JSON.stringify({ vendors: [{ ...north, id: 'North-Desk', languages: ['FR', 'en', 'fr'] }] }),
    );
    expect(loadVendorsFile(path, CALENDARS)).toEqual([north]);
    expect(loadVendorsFile(file('empty.json', '{"vendors": []}'), CALENDARS)).toEqual([]);
  });

  it.each([
    ['not JSON', '{"vendors": [', /^Invalid vendors file .*not-json\.json: invalid JSON: /i],
    [
      'not an object with vendors',
      '[]',
      /not-an-object-with-vendors\.json: expected an object \{ "vendors": \[ … \] \}$/,
    ],
    [
      'an entry with a bad language',
      JSON.stringify({ vendors: [north, { ...EXAMPLE_VENDORS[1], languages: ['german!'] }] }),
      /an-entry-with-a-bad-language\.json: vendors\[1\] \("south-desk"\): Invalid languages: .*"german!"/,
    ],
    [
      'an entry without a name',
      JSON.stringify({ vendors: [{ ...north, name: undefined }] }),
      /vendors\[0\] \("north-desk"\): Invalid name/,
    ],
    [
      'an entry that is no object',
      JSON.stringify({ vendors: [north, 'east-desk'] }),
      /vendors\[1\]: expected an object with id, name, languages, regions, calendarId$/,
    ],
    [
      'an unknown calendar',
      JSON.stringify({ vendors: [{ ...north, calendarId: 'europe-lisbon' }] }),
      /vendors\[0\] \("north-desk"\): calendar "europe-lisbon" is not loaded \(known: america-new-york, asia-tokyo, australia-sydney, europe-paris\)$/,
    ],
    [
      'an id listed twice',
      JSON.stringify({ vendors: [north, { ...north, name: 'Again' }] }),
      /vendors\[1\] \("north-desk"\): vendor id "north-desk" is listed twice$/,
    ],
    [
      'an unknown field',
      JSON.stringify({ vendors: [{ ...north, calender: 'europe-paris' }] }),
      /vendors\[0\] \("north-desk"\): unknown field "calender"$/,
    ],
  ])('refuses %s with one line naming the file and the entry', (what, content, message) => {
    const path = file(`${what.replace(/\W+/g, '-')}.json`, content);
    let thrown: unknown;
    try {
      loadVendorsFile(path, CALENDARS);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidVendorsFile);
    const error = thrown as InvalidVendorsFile;
    expect(error.message).toContain(path);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/\n/);
  });

  it('refuses a missing file, naming it', () => {
    expect(() => loadVendorsFile(join(dir, 'absent.json'), CALENDARS)).toThrow(
      new RegExp(`^Invalid vendors file ${join(dir, 'absent.json')}: cannot read the file: .*ENOENT`),
    );
  });
});
