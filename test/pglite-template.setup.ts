import { readFileSync } from 'node:fs';
import { recycleInMemoryPglite, usePgliteTemplate } from '../libs/event-store/src/pglite/pglite-template';

// Each test file opens its PGlite databases from the run's template (pglite-template.global-setup.js),
// and reuses its closed in-memory ones, wiped (libs/event-store/src/pglite/pglite-template.ts).
const file = process.env.PGLITE_TEMPLATE_FILE;
if (file) usePgliteTemplate({ tarball: new Blob([readFileSync(file)]), directory: process.env.PGLITE_TEMPLATE_DIR });
void recycleInMemoryPglite(true);
afterAll(() => recycleInMemoryPglite(false));
