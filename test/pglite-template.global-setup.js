/**
 * Runs once before a test run: initialises one PGlite (initdb, the slow part of its start),
 * dumps its data directory as a tarball and names the file in PGLITE_TEMPLATE_FILE, which the
 * test files' setup (`pglite-template.setup.ts`) hands to the store. Every PGlite a test opens
 * then starts from that copy instead of running initdb again.
 */
const { mkdtempSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async () => {
  if (process.env.PGLITE_TEMPLATE_FILE) return;
  const { PGlite } = require('@electric-sql/pglite');
  const pg = await PGlite.create();
  try {
    const tarball = await pg.dumpDataDir('none');
    const dir = mkdtempSync(join(tmpdir(), 'pglite-template-'));
    const file = join(dir, 'pgdata.tar');
    writeFileSync(file, Buffer.from(await tarball.arrayBuffer()));
    process.env.PGLITE_TEMPLATE_FILE = file;
    globalThis.__pgliteTemplateDir = dir;
  } finally {
    await pg.close();
  }
};
