/**
 * Most of a fresh PGlite's start is initdb, run in WASM: seconds on a busy 2-core machine.
 * A template is the data directory of a freshly initialised PGlite, dumped once as a tarball
 * (`PGlite.dumpDataDir`); a database opened from it, in memory or on an empty data directory,
 * skips initdb. Test runs set one (see `test/pglite-template.setup.ts`); a process that opens
 * one store does not need it.
 */
let template: Blob | undefined;

/** Makes every later {@link PgliteDatabase.open} of a new database start from `tarball` (none: initdb). */
export const usePgliteTemplate = (tarball: Blob | undefined): void => {
  template = tarball;
};

export const pgliteTemplate = (): Blob | undefined => template;
