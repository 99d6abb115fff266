/** Removes the PGlite template written by `pglite-template.global-setup.js`. */
const { rmSync } = require('node:fs');

module.exports = async () => {
  if (globalThis.__pgliteTemplateDir) rmSync(globalThis.__pgliteTemplateDir, { recursive: true, force: true });
};
