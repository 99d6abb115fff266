import { openAsBlob } from 'node:fs';
import { recycleInMemoryPglite, usePgliteTemplate } from '../libs/event-store/src/pglite/pglite-template';

// Each test file opens its PGlite databases from the run's template (pglite-template.global-setup.js),
// and reuses its closed in-memory ones, wiped (libs/event-store/src/pglite/pglite-template.ts).
// The tarball (40 MB) is a file-backed Blob, made when an in-memory database is first opened:
// copying it into memory for each of the run's test files cost more than half a second each.
const file = process.env.PGLITE_TEMPLATE_FILE;
if (file) usePgliteTemplate({ tarball: () => openAsBlob(file), directory: process.env.PGLITE_TEMPLATE_DIR });
void recycleInMemoryPglite(true);
afterAll(() => recycleInMemoryPglite(false));
