/**
 * The starting vendors (VENDORS_FILE, config/vendors.json by default) on PostgreSQL:
 * - a server deployment starts with the file's vendors (no supervisor needed before the
 *   first case is routed);
 * - a vendor changed through the API keeps its change after a restart with the file
 *   unchanged, and a vendor added to the file is registered at the next start;
 * - two instances starting together on an empty database write each vendor once;
 * - a bad file refuses the start with one line naming the file and the entry.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { EXAMPLE_VENDORS, VENDOR_DIRECTORY_STREAM } from '@app/case-domain';
import { createTestDatabase, describeWithService, type TestDatabase } from '@app/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const as = (token: string) => ({ Authorization: `Bearer ${token}` });

describeWithService('DATABASE_URL', 'PostgreSQL', 'the starting vendors file, on PostgreSQL', (serverUrl) => {
  let database: TestDatabase;
  let sql: Client;
  let tok: TestTokens;
  let dir: string;
  const running: ApiTestApp[] = [];

  const start = async (env: Record<string, string> = {}) => {
    const t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET, DATABASE_URL: database.url, ...env });
    running.push(t);
    return t;
  };
  const stop = async (t: ApiTestApp) => {
    running.splice(running.indexOf(t), 1);
    await t.close();
  };
  const directoryLog = async () =>
    (
      await sql.query<{ event_type: string; id: string; by: string }>(
        `SELECT event_type, data->>'id' AS id, data->>'byId' AS by FROM events WHERE stream_id = $1 ORDER BY stream_version`,
        [VENDOR_DIRECTORY_STREAM],
      )
    ).rows.map((r) => `${r.event_type} ${r.id} by ${r.by}`);
  const vendorsOf = async (t: ApiTestApp) =>
    (await request(t.app.getHttpServer()).get('/v1/vendors').set(as(tok.supervisor)).expect(200)).body.items.map(
      ({ id, name, languages, regions, calendarId }: Record<string, unknown>) => ({
        id,
        name,
        languages,
        regions,
        calendarId,
      }),
    );

  beforeAll(async () => {
    tok = await testTokens();
    dir = mkdtempSync(join(tmpdir(), 'vendors-file-int-'));
  });
  beforeEach(async () => {
    database = await createTestDatabase(serverUrl);
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((t) => t.close().catch(() => undefined)));
    await sql.end();
    await database.drop();
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts with the vendors of config/vendors.json: the first French case is routed to north-desk', async () => {
    const t = await start();
    expect(await vendorsOf(t)).toEqual(EXAMPLE_VENDORS);
    expect(await directoryLog()).toEqual(EXAMPLE_VENDORS.map((v) => `VendorRegistered ${v.id} by system:vendor-seed`));
    const opened = await request(t.app.getHttpServer())
      .post('/v1/cases')
      .set(as(tok.admin))
      .send(openCaseBody)
      .expect(201);
    // the routing as staff see it (not in the customer's answer)
    const asStaff = await request(t.app.getHttpServer())
      .get(`/v1/cases/${opened.body.id}`)
      .set(as(tok.supervisor))
      .expect(200);
    expect(asStaff.body.routing).toMatchObject({ vendorId: 'north-desk', reason: 'follow-the-sun' });
  });

  it('a vendor changed through the API keeps its change after a restart; a vendor added to the file is registered then', async () => {
    const first = await start();
    const changed = { name: 'North Desk (Lyon)', languages: ['fr'], regions: ['emea'], calendarId: 'europe-paris' };
    await request(first.app.getHttpServer())
      .put('/v1/vendors/north-desk')
      .set(as(tok.supervisor))
      .send(changed)
      .expect(200);
    await stop(first);

    // the same file: north-desk stays as the API left it, nothing is written
    const second = await start();
    const afterRestart = await vendorsOf(second);
    expect(afterRestart[0]).toEqual({ id: 'north-desk', ...changed });
    expect(afterRestart.slice(1)).toEqual(EXAMPLE_VENDORS.slice(1));
    const log = await directoryLog();
    expect(log).toEqual([
      ...EXAMPLE_VENDORS.map((v) => `VendorRegistered ${v.id} by system:vendor-seed`),
      'VendorUpdated north-desk by sam',
    ]);
    await stop(second);

    // a file that adds a vendor (and still lists north-desk as it was): only the new one is registered
    const lisbon = {
      id: 'lisbon-desk',
      name: 'Lisbon',
      languages: ['pt'],
      regions: ['emea'],
      calendarId: 'europe-paris',
    };
    const file = join(dir, 'with-lisbon.json');
    writeFileSync(file, JSON.stringify({ vendors: [...EXAMPLE_VENDORS, lisbon] }));
    const third = await start({ VENDORS_FILE: file });
    const vendors = await vendorsOf(third);
    expect(vendors.map((v: { id: string }) => v.id)).toEqual([...EXAMPLE_VENDORS.map((v) => v.id), 'lisbon-desk']);
    expect(vendors[0]).toEqual({ id: 'north-desk', ...changed });
    expect(await directoryLog()).toEqual([...log, 'VendorRegistered lisbon-desk by system:vendor-seed']);
  }, 120_000);

  it('two instances starting together on an empty database register each vendor once', async () => {
    await Promise.all([start(), start()]);
    expect(await directoryLog()).toEqual(EXAMPLE_VENDORS.map((v) => `VendorRegistered ${v.id} by system:vendor-seed`));
  }, 120_000);

  it('a bad file refuses the start with one line naming the file and the entry; nothing is written', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ vendors: [EXAMPLE_VENDORS[0], { ...EXAMPLE_VENDORS[1], calendarId: 'europe-lisbon' }] }),
    );
    const started = start({ VENDORS_FILE: file });
    await expect(started).rejects.toThrow(
      `Invalid vendors file ${file}: vendors[1] ("south-desk"): calendar "europe-lisbon" is not loaded`,
    );
    // refused before anything was written: the store was not even migrated
    const { rows } = await sql.query<{ events: string | null }>(`SELECT to_regclass('events')::text AS events`);
    if (rows[0].events !== null) expect(await directoryLog()).toEqual([]);
  });
});
