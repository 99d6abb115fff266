// The console's first load: the JavaScript index.html loads (its module script and the
// chunks it preloads), gzip-compressed as the browser receives it over a compressing proxy.
// Prints the figure and one JSON line; exits 1 above the 250 KB budget (issue 15). With
// --quiet (as `npm run build` runs it, whose output scripts such as `npm run token` pipe)
// it prints only a failure, on stderr.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = 250 * 1024;
const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/console');
const html = readFileSync(join(dir, 'index.html'), 'utf8');
const files = [
  ...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\brel="modulepreload"[^>]*\bhref)="\/console\/([^"]+\.js)"/g),
].map((m) => m[1]);
if (files.length === 0) throw new Error(`no script found in ${join(dir, 'index.html')}`);
let raw = 0;
let gzip = 0;
for (const file of new Set(files)) {
  const bytes = readFileSync(join(dir, file));
  raw += bytes.length;
  gzip += gzipSync(bytes, { level: 9 }).length;
}
const kb = (n) => (n / 1024).toFixed(1);
const quiet = process.argv.includes('--quiet');
if (!quiet)
  console.log(
    `console first load: ${files.length} JS file(s), ${kb(raw)} KB, ${kb(gzip)} KB gzip (budget ${kb(BUDGET)} KB)`,
  );
if (!quiet)
  console.log(
    JSON.stringify({
      metric: 'console-first-load-js-gzip-bytes',
      files: files.length,
      rawBytes: raw,
      gzipBytes: gzip,
      budgetBytes: BUDGET,
    }),
  );
if (gzip > BUDGET) {
  console.error(`the console's first load is ${kb(gzip)} KB of compressed JavaScript, above ${kb(BUDGET)} KB`);
  process.exit(1);
}
