/**
 * Runs once before a test run: initialises one PGlite (initdb, the slow part of its start),
 * with 16 MB of shared buffers instead of 128 (postgresql.auto.conf), dumps its data
 * directory as a tarball named by PGLITE_TEMPLATE_FILE, and unpacks it once
 * on disk, in the directory named by PGLITE_TEMPLATE_DIR. The test files' setup
 * (`pglite-template.setup.ts`) hands both to the store: every PGlite a test opens then starts
 * from a copy (the tarball in memory, the directory for a new data directory) instead of
 * running initdb again.
 */
const { mkdtempSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async () => {
  if (process.env.PGLITE_TEMPLATE_FILE) return;
  const { PGlite } = require('@electric-sql/pglite');
  const dir = mkdtempSync(join(tmpdir(), 'pglite-template-'));
  globalThis.__pgliteTemplateDir = dir;
  const pg = await PGlite.create();
  let tarball;
  try {
    // PostgreSQL zeroes its shared buffers at every start: PGlite's default 128 MB took about
    // half of each start (in WASM); a test database holds a few MB. Only the cache is smaller.
    await pg.exec(`ALTER SYSTEM SET shared_buffers = '16MB'`);
    tarball = await pg.dumpDataDir('none');
  } finally {
    await pg.close();
  }
  const file = join(dir, 'pgdata.tar');
  writeFileSync(file, Buffer.from(await tarball.arrayBuffer()));
  const directory = join(dir, 'pgdata');
  const unpacked = await PGlite.create({ dataDir: directory, loadDataDir: tarball });
  await unpacked.close();
  process.env.PGLITE_TEMPLATE_FILE = file;
  process.env.PGLITE_TEMPLATE_DIR = directory;
};
