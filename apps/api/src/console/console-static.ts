import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { type ArgumentsHost, ServiceUnavailableException } from '@nestjs/common';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProblemDetailsFilter } from '../http/problem-details.filter';

/** Where the API serves the web console (apps/console, built by `npm run build` with Vite's `base: '/console/'`). */
export const CONSOLE_PATH = '/console';

/** a hashed asset never changes under its name: a year, immutable */
const ASSET_MAX_AGE_MS = 365 * 24 * 3600 * 1000;
/** the entry page and other unhashed files: revalidated on every load, so a new build is picked up */
const NO_CACHE = 'no-cache';

const isFile = async (path: string): Promise<boolean> => (await stat(path).catch(() => undefined))?.isFile() ?? false;

/**
 * Serves the built console from `dir` (CONSOLE_DIR) with @fastify/static's `sendFile`:
 * `/console/assets/*` with `Cache-Control: public, max-age=31536000, immutable` (their names
 * carry a content hash); any other file of the build as it is, revalidated (`no-cache`); and
 * `/console` and every other `/console/*` path `index.html` (`no-cache`), so the console's own
 * routes (deep links such as `/console/survey/<token>`) load it. Without an `index.html` (the
 * console not built), those answer 503 CONSOLE.NOT_BUILT saying to run `npm run build`.
 * Public: the console signs in itself; the API's routes keep their own guards.
 */
export const serveConsole = async (
  instance: FastifyInstance,
  { dir, problems }: { readonly dir: string; readonly problems: ProblemDetailsFilter },
): Promise<void> => {
  const root = resolve(dir);
  // sendFile only (serve: false): this plugin decides which file answers which path
  await instance.register(fastifyStatic, { serve: false });

  const notBuilt = (request: FastifyRequest, reply: FastifyReply) => {
    const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) };
    problems.catch(
      new ServiceUnavailableException({
        code: 'CONSOLE.NOT_BUILT',
        message: `The web console is not built (no index.html in ${dir}): run \`npm run build\`, then reload.`,
      }),
      host as unknown as ArgumentsHost,
    );
    return reply;
  };

  const handler = async (request: FastifyRequest<{ Params: { '*'?: string } }>, reply: FastifyReply) => {
    const path = request.params['*'] ?? '';
    if (path.startsWith('assets/')) {
      // a missing asset is the router's 404 (@fastify/static calls the not-found handler)
      return reply.sendFile(path, root, { maxAge: ASSET_MAX_AGE_MS, immutable: true });
    }
    const file = resolve(root, path);
    if (path !== '' && file.startsWith(root + sep) && (await isFile(file))) {
      return reply.header('cache-control', NO_CACHE).sendFile(path, root, { cacheControl: false });
    }
    if (!(await isFile(resolve(root, 'index.html')))) return notBuilt(request, reply);
    return reply
      .header('cache-control', NO_CACHE)
      .type('text/html; charset=utf-8')
      .sendFile('index.html', root, { cacheControl: false });
  };

  instance.get(CONSOLE_PATH, handler);
  instance.get(`${CONSOLE_PATH}/*`, handler);
};
