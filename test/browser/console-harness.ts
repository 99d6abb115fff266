/**
 * What the browser suites share: Debian's Chromium (or CHROMIUM_PATH) driven by
 * playwright-core, the real API as `npm start` runs it (a child process on a build of this
 * suite's own, an embedded store in a temporary DATA_DIR, a free port), axe-core's check,
 * and the screenshots (to SCREENSHOTS_DIR: by default the gitignored test/browser/screenshots/;
 * `SCREENSHOTS_DIR=docs/screenshots` refreshes the committed ones the README shows).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import axe from 'axe-core';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freePort } from '../../libs/testing/src/free-port';
import { ownBuild } from '../../libs/testing/src/own-build';
import { describeWithPrerequisite } from '../../libs/testing/src/services';
import { waitFor } from '../../libs/testing/src/wait-for';

export const ROOT = resolve(__dirname, '../..');
/** where a run writes its screenshots: SCREENSHOTS_DIR (relative to the repository), else test/browser/screenshots */
export const screenshotsDir = (): string =>
  resolve(ROOT, process.env.SCREENSHOTS_DIR?.trim() || join('test', 'browser', 'screenshots'));

export const chromiumPath = (): string => process.env.CHROMIUM_PATH?.trim() || '/usr/bin/chromium';

/**
 * `describe` for a suite that needs Chromium. Present: it runs. Absent and
 * REQUIRE_SERVICES=1: it fails. Absent otherwise: skipped, with one line saying how to get it.
 */
export const describeWithChromium = (name: string, body: () => void): void => {
  const how = `apt-get install chromium (or set CHROMIUM_PATH to a Chromium binary)`;
  describeWithPrerequisite(
    name,
    {
      present: existsSync(chromiumPath()),
      test: `needs Chromium at ${chromiumPath()}: ${how}`,
      failure: `REQUIRE_SERVICES=1 but ${chromiumPath()} does not exist: ${how}`,
      skipLine: `skipped "${name}": no Chromium at ${chromiumPath()}; ${how}`,
    },
    body,
  );
};

export interface RunningApi {
  readonly url: string;
  readonly dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

export interface Build {
  readonly dir: string;
  remove(): Promise<void>;
}

/**
 * Builds the API (swc) and the console (vite) into a directory of this run's own under
 * dist/ (not dist/ itself, which `npm start` elsewhere may be rewriting; inside the
 * repository so the compiled code finds node_modules), as `npm run build` does.
 */
export const buildApiAndConsole = async (): Promise<Build> => {
  const build = await ownBuild('browser');
  await promisify(execFile)(
    join(ROOT, 'node_modules/.bin/vite'),
    ['build', 'apps/console', '--logLevel', 'warn', '--outDir', join(build.dir, 'console')],
    { cwd: ROOT },
  );
  return { dir: build.dir, remove: async () => build.remove() };
};

/**
 * Starts the built API as `npm start` runs it, on a temporary DATA_DIR and a free port, with
 * CONSOLE_DIR at the build's console, and resolves once it is ready.
 */
export const startApi = async (build: Build, env: Record<string, string> = {}): Promise<RunningApi> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'console-browser-'));
  // the bare PGlite template of the run (test/pglite-template.*) spares the child an initdb
  const template = process.env.PGLITE_TEMPLATE_DIR;
  if (template) await cp(template, dataDir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(build.dir, 'apps/api/src/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_NO_WARNINGS: '1',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      CONSOLE_DIR: join(build.dir, 'console'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  // ready: /health/ready answers 200 (the store migrated); a child that exits first fails the start
  let dead = false;
  void exited.then(() => (dead = true));
  const up = await waitFor(
    async () =>
      dead
        ? 'dead'
        : (await fetch(`${url}/health/ready`).then(
              (r) => r.ok,
              () => false,
            ))
          ? 'up'
          : undefined,
    () => `the API at ${url} is not ready:\n${output}`,
    { intervalMs: 50 },
  );
  if (up === 'dead') {
    await stop();
    throw new Error(`the API exited before it was ready:\n${output}`);
  }
  return { url, dataDir, output: () => output, stop };
};

/** one Chromium for the whole file, with a fresh profile directory of its own */
export const launchChromium = async (): Promise<{ context: BrowserContext; close(): Promise<void> }> => {
  const profile = await mkdtemp(join(tmpdir(), 'console-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    locale: 'en-GB',
    viewport: { width: 1280, height: 860 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // a hang guard, not a budget: locators wait for their condition, however slow the machine
  context.setDefaultTimeout(120_000);
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
};

/** axe-core on the page as it stands: the serious and critical violations, described */
export const accessibilityProblems = async (page: Page): Promise<string[]> => {
  // axe-core's own script, evaluated in the page (as @axe-core/playwright does, without its
  // Node 22 engine requirement); evaluation goes through the DevTools protocol, past the CSP
  await page.evaluate(axe.source);
  const results: axe.AxeResults = await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
};

export const screenshot = async (page: Page, name: string): Promise<void> => {
  const dir = screenshotsDir();
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
};
