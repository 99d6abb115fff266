/**
 * `npm run lint:openapi [-- --out <file>]`: builds the API's OpenAPI document the way the
 * running API does (the same controllers and buildOpenApiDocument, on an embedded store in a
 * temporary directory, without listening), optionally writes it to `<file>`, and lints it
 * with Redocly's `recommended` ruleset. Exits 1 on any error or warning, listing them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from '@app/config';
import { createLogger } from '@app/observability';
import { createApiApp } from '../bootstrap';
import { buildOpenApiDocument } from './openapi-document';
import { formatOpenApiProblems, lintOpenApiDocument } from './openapi-lint';

const run = async (args: readonly string[]): Promise<number> => {
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
  if (outIndex >= 0 && !out) {
    console.error('usage: lint:openapi [-- --out <file>]');
    return 2;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'openapi-'));
  try {
    const config = loadAppConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', WORKERS_IN_PROCESS: 'false' });
    const app = await createApiApp({ config, logger: createLogger({ level: 'silent', service: 'lint-openapi' }) });
    try {
      const document = buildOpenApiDocument(app);
      if (out) writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
      const problems = await lintOpenApiDocument(document);
      const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
      const errors = problems.filter((p) => p.severity === 'error').length;
      if (problems.length > 0) console.error(formatOpenApiProblems(problems));
      console.log(
        `OpenAPI ${document.openapi}, ${operations} operations${out ? ` (written to ${out})` : ''}: ` +
          `${errors} errors, ${problems.length - errors} warnings under Redocly's recommended ruleset`,
      );
      return problems.length === 0 ? 0 : 1;
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
};

void run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 2;
  },
);
