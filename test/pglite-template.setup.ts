import { readFileSync } from 'node:fs';
import { usePgliteTemplate } from '../libs/event-store/src/pglite/pglite-template';

// each test file opens its PGlite databases from the run's template (see pglite-template.global-setup.js)
const file = process.env.PGLITE_TEMPLATE_FILE;
if (file) usePgliteTemplate(new Blob([readFileSync(file)]));
