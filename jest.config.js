/**
 * One jest config, three levels chosen by file name (see docs/testing.md):
 *   unit  *.spec.ts       pure code, PGlite, in-memory; no service needed
 *   int   *.int-spec.ts   the running PostgreSQL and the Kafka broker from infra/kafka
 *   e2e   *.e2e-spec.ts   a whole app through HTTP (supertest), embedded PGlite
 * `npm test` runs all three; `npm run test:unit|test:int|test:e2e` run one.
 *
 * NestJS 12 packages are published as ESM only; Node 20.19+ loads them from CommonJS
 * (require(esm)), but jest's own module loader does not, so jest compiles them to
 * CommonJS with swc (transformIgnorePatterns below).
 */
const swcTs = [
  '@swc/jest',
  {
    swcrc: false,
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
const swcJs = ['@swc/jest', { swcrc: false, jsc: { target: 'es2022' }, module: { type: 'commonjs' } }];

const esmPackages = [
  '@nestjs',
  '@redocly/openapi-core',
  'jose',
  'file-type',
  'strtok3',
  'token-types',
  'uint8array-extras',
  '@tokenizer',
  '@borewit',
  'cookie',
  'content-disposition',
  'email-reply-parser',
];

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  setupFilesAfterEnv: ['<rootDir>/test/pglite-template.setup.ts'],
  transform: { '^.+\\.ts$': swcTs, '^.+\\.m?js$': swcJs },
  // ignore node_modules except ESM-only packages, wherever they are nested
  transformIgnorePatterns: [`^(?!.*/node_modules/(${esmPackages.join('|')})/).*/node_modules/`],
  // keep in sync with tsconfig.json "paths" and .swcrc "jsc.paths"
  moduleNameMapper: {
    '^@app/case-domain/testing$': '<rootDir>/libs/case-domain/src/testing',
    '^@app/([^/]+)$': '<rootDir>/libs/$1/src',
    // file-type exports its Node entry under `import` only, a condition jest's resolver does not ask for
    '^file-type$': '<rootDir>/node_modules/file-type/index.js',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  // A hang guard, not a budget: tests wait for conditions (waitFor, catchUp), and a loaded
  // 2-core machine only makes them slower. Keep it above waitFor's own guard (120 s).
  testTimeout: 300_000,
  // one initialised PGlite per run, copied by every test that opens one (test/pglite-template.*)
  globalSetup: '<rootDir>/test/pglite-template.global-setup.js',
  globalTeardown: '<rootDir>/test/pglite-template.global-teardown.js',
  // jest's default on a 2-core machine is one worker (cores - 1). Suites are isolated (own
  // PGlite, own PostgreSQL database, own Kafka topics), so several run side by side, and a
  // suite often waits (on the PostgreSQL server, the broker, a child process): on the 2-core
  // CI machine three workers finish the run in about 245 s where two took about 330
  maxWorkers: 3,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  testSequencer: '<rootDir>/test/long-suites-first.sequencer.js',
  projects: [
    { ...base, displayName: 'unit', testRegex: '.*\\.spec\\.ts$' },
    { ...base, displayName: 'int', testRegex: '.*\\.int-spec\\.ts$' },
    { ...base, displayName: 'e2e', testRegex: '.*\\.e2e-spec\\.ts$' },
    // the web console in Debian's Chromium against the real API (test/browser; skipped, saying
    // how to install it, when Chromium is missing; failed then under REQUIRE_SERVICES=1)
    { ...base, displayName: 'browser', testRegex: '.*\\.browser-spec\\.ts$' },
  ],
};
