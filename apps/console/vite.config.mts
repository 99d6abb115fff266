import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console: built into <repo>/dist/console, which the API serves at /console (hashed
 * assets under /console/assets, index.html for every other /console path). In development
 * (`npx vite apps/console`) the dev server proxies the API's routes to CONSOLE_API
 * (default http://127.0.0.1:3000, where `npm start` listens).
 */
export default defineConfig({
  root: here,
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: resolve(here, '../../dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
  },
  server: {
    proxy: { '/v1': { target: process.env.CONSOLE_API ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
