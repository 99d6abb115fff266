import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PgliteDatabase } from './pglite-database';
import { pgliteTemplate, recycleInMemoryPglite, usePgliteTemplate } from './pglite-template';

describe('PGlite template', () => {
  const runTemplate = pgliteTemplate();
  let marked: Blob;
  let markedDirectory: string;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pglite-template-'));
    // the run's template: no initdb
    const pg = await PGlite.create(runTemplate ? { loadDataDir: await runTemplate.tarball() } : {});
    await pg.exec(`CREATE TABLE template_marker (v text); INSERT INTO template_marker VALUES ('from the template')`);
    marked = await pg.dumpDataDir('none');
    await pg.close();
    markedDirectory = join(root, 'marked');
    await (await PGlite.create({ dataDir: markedDirectory, loadDataDir: marked })).close();
  });
  afterEach(() => usePgliteTemplate(runTemplate));
  afterAll(() => rm(root, { recursive: true, force: true }));

  const marker = async (db: PgliteDatabase) =>
    (await db.query<{ v: string }>('SELECT v FROM template_marker')).rows.map((row) => row.v);

  it('starts a database in memory from the template', async () => {
    usePgliteTemplate({ tarball: () => marked, directory: markedDirectory });
    const db = await PgliteDatabase.open();
    expect(await marker(db)).toEqual(['from the template']);
    await db.close();
  });

  it.each([
    ['its tarball', () => ({ tarball: () => marked })],
    ['a copy of its unpacked directory', () => ({ tarball: () => marked, directory: markedDirectory })],
  ])('starts a new data directory from %s and keeps what is written there', async (how, template) => {
    usePgliteTemplate(template());
    const dataDir = join(root, `new from ${how}`);
    const db = await PgliteDatabase.open(dataDir);
    await db.exec(`INSERT INTO template_marker VALUES ('written later')`);
    await db.close();
    const again = await PgliteDatabase.open(dataDir);
    expect(await marker(again)).toEqual(['from the template', 'written later']);
    await again.close();
    // the template itself is only read
    const original = await PGlite.create({ dataDir: markedDirectory });
    expect((await original.query('SELECT v FROM template_marker')).rows).toEqual([{ v: 'from the template' }]);
    await original.close();
  });

  it('never replaces an existing data directory', async () => {
    usePgliteTemplate(runTemplate);
    const dataDir = join(root, 'existing');
    const first = await PgliteDatabase.open(dataDir);
    await first.exec(`CREATE TABLE own (v text)`);
    await first.close();
    usePgliteTemplate({ tarball: () => marked, directory: markedDirectory });
    const again = await PgliteDatabase.open(dataDir);
    await expect(again.query('SELECT v FROM template_marker')).rejects.toThrow(/template_marker/);
    expect((await again.query('SELECT count(*)::int AS n FROM own')).rows).toEqual([{ n: 0 }]);
    await again.close();
  });

  it("the run's template (test/pglite-template.global-setup.js) starts with 16 MB of shared buffers, in memory and on disk", async () => {
    expect(runTemplate).toBeDefined();
    const inMemory = await PgliteDatabase.open();
    const onDisk = await PgliteDatabase.open(join(root, 'run template'));
    for (const db of [inMemory, onDisk]) {
      expect((await db.query('SHOW shared_buffers')).rows).toEqual([{ shared_buffers: '16MB' }]);
      await db.close();
    }
  });
});

describe('recycled in-memory PGlite', () => {
  afterAll(() => recycleInMemoryPglite(true)); // as the test setup leaves it

  it('a closed in-memory database comes back wiped: no tables, no listeners, no session state', async () => {
    await recycleInMemoryPglite(false);
    await recycleInMemoryPglite(true);
    const first = await PgliteDatabase.open();
    await first.exec(
      `CREATE SCHEMA side; CREATE TABLE side.t (v int); CREATE TABLE kept (v int); INSERT INTO kept VALUES (1)`,
    );
    await first.exec(`SET statement_timeout = 1234`);
    const heard: string[] = [];
    await first.listen('ping', (payload) => heard.push(payload));
    await first.close();
    await expect(first.query('SELECT 1')).rejects.toThrow(/closed/);

    const second = await PgliteDatabase.open();
    const schemas = await second.query<{ nspname: string }>(
      `SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%' ORDER BY 1`,
    );
    expect(schemas.rows.map((r) => r.nspname)).toEqual(['public']);
    await expect(second.query('SELECT v FROM kept')).rejects.toThrow(/kept/);
    expect((await second.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows).toEqual([
      { statement_timeout: '0' },
    ]);
    await second.notify('ping', 'after');
    await second.close();
    expect(heard).toEqual([]);
  });
});
