import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { BodyTooDeep, MalformedRequest, UnstorableText, UnsupportedMediaType } from './http.errors';
import { toProblem } from './problem-mapping';

/**
 * The checks every request passes before a route sees it, once for all routes (bootstrap.ts):
 *
 * - bodies are JSON only (`application/json`, or `application/<x>+json` such as
 *   `application/merge-patch+json`); any other media type is a 415 (`HTTP.UNSUPPORTED_MEDIA_TYPE`),
 *   refused before its body is read;
 * - a JSON body nesting objects and arrays more than {@link MAX_JSON_DEPTH} levels is a 400
 *   (`HTTP.BODY_TOO_DEEP`), found by one pass over the text before it is parsed, so that
 *   neither the parser nor validation walks it;
 * - `__proto__` and `constructor.prototype` keys are refused by Fastify's secure JSON parser
 *   (400, `HTTP.MALFORMED_BODY`);
 * - a NUL character or an unpaired UTF-16 surrogate in any string of the body (a value or a
 *   key), of the query or of the path parameters is a 400 naming the fields
 *   (`HTTP.VALIDATION_FAILED`): PostgreSQL cannot store either in text or JSON.
 *
 * One route reads `multipart/form-data` instead, the attachment upload: {@link allowMultipartRoutes}.
 */

/** The deepest request of this API nests 3 levels (a case's `attachments[i]`); 32 leaves room. */
export const MAX_JSON_DEPTH = 32;

/** At most this many fields are named in one `UnstorableText` refusal. */
const MAX_REPORTED_FIELDS = 20;

/** `application/json` is registered by name; this covers the `+json` structured syntax suffix. */
const JSON_SUFFIX_TYPE = /^application\/[a-z0-9!#$&^_.-]+\+json(?:\s*;|$)/;

/** True when `text` opens more than `max` objects or arrays inside one another (strings skipped). */
export const jsonNestingExceeds = (text: string, max: number): boolean => {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // skip the string: to its closing quote, past escaped characters
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
};

const hasNul = (text: string) => text.includes('\u0000');
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const faultOf = (text: string): string | undefined =>
  hasNul(text)
    ? 'must not contain a NUL character (U+0000)'
    : LONE_SURROGATE.test(text)
      ? 'must be well-formed Unicode (it contains an unpaired surrogate)'
      : undefined;

/**
 * The fields of `value` (a parsed body, query or path parameters) whose string value or
 * key the store cannot keep, as `impact.scope` / `attachments.0.name`. Iterative: it does not
 * depend on the nesting depth.
 */
export const findUnstorableText = (
  value: unknown,
  limit = MAX_REPORTED_FIELDS,
): { field: string; messages: string[] }[] => {
  const found: { field: string; messages: string[] }[] = [];
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0 && found.length < limit) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      const fault = faultOf(node);
      if (fault) found.push({ field: path || '(body)', messages: [`${path || 'the body'} ${fault}`] });
    } else if (node !== null && typeof node === 'object') {
      const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        const field = path ? `${path}.${key}` : key;
        const keyFault = faultOf(key);
        if (keyFault) found.push({ field, messages: [`the property name ${keyFault}`] });
        else stack.push([child, field]);
      }
    }
  }
  return found.slice(0, limit);
};

const checkText = async (request: FastifyRequest): Promise<void> => {
  const errors = [
    ...findUnstorableText(request.params),
    ...findUnstorableText(request.query),
    ...findUnstorableText(request.body),
  ];
  if (errors.length > 0) throw new UnstorableText(errors.slice(0, MAX_REPORTED_FIELDS));
};

/**
 * Replaces Fastify's body parsers (JSON and text/plain; Nest's JSON and form parsers are
 * turned off with `bodyParser: false`) by one JSON parser, and adds the text check. Call it
 * on the adapter's instance before the application is created.
 */
export const installRequestGuards = (fastify: FastifyInstance, bodyLimit: number): void => {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  const jsonParser = (
    request: FastifyRequest,
    body: string | Buffer,
    done: (err: Error | null, body?: unknown) => void,
  ) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonNestingExceeds(text, MAX_JSON_DEPTH)) {
      done(new BodyTooDeep(MAX_JSON_DEPTH));
      return;
    }
    parseJson(request, text, done);
  };
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, jsonParser);
  fastify.addContentTypeParser(JSON_SUFFIX_TYPE, { parseAs: 'string', bodyLimit }, jsonParser);
  // anything else (a form, text, XML, a body without a Content-Type): 415, without reading the body
  fastify.addContentTypeParser('*', (request, _payload, done) => {
    // an unknown route stays a 404, whatever it was sent
    if (request.is404) done(null, undefined);
    else done(new UnsupportedMediaType(request.headers['content-type'], readsMultipart(request) ? 'multipart' : 'json'));
  });
  fastify.addHook('preValidation', checkText);
};

/**
 * The Fastify route config (`@RouteConfig(MULTIPART_ROUTE)` of @nestjs/platform-fastify) of a
 * route that reads `multipart/form-data`: the attachment upload, and no other.
 */
export const MULTIPART_ROUTE = { multipart: true } as const;

const readsMultipart = (request: FastifyRequest): boolean =>
  (request.routeOptions.config as { multipart?: unknown } | undefined)?.multipart === true;

/**
 * The one exception to "JSON only": @fastify/multipart's parser for `multipart/form-data`,
 * which reads nothing (it marks the request; the route streams the parts itself, under its
 * own limits: `request.parts({ limits })`), and a 415 for a multipart body on any route not
 * configured with {@link MULTIPART_ROUTE}, as before, before its body is read. Call it after
 * {@link installRequestGuards}.
 */
export const allowMultipartRoutes = (fastify: FastifyInstance): void => {
  void fastify.register(fastifyMultipart, { throwFileSizeLimit: true });
  fastify.addHook('preValidation', async (request) => {
    if (request.is404 || !request.isMultipart() || readsMultipart(request)) return;
    throw new UnsupportedMediaType(request.headers['content-type']);
  });
};

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refuses (a malformed request
 * line or header: 400, headers over the size limit: 431, too slow: 408) is answered on the
 * socket, before any route or hook, as a problem document too; then the connection closes.
 */
export const answerClientError = (err: Error & { code?: string }, socket: Socket): void => {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const refusal =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new MalformedRequest(408, 'HTTP.REQUEST_TIMEOUT', 'The request was not received in time.')
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? new MalformedRequest(
            431,
            'HTTP.HEADERS_TOO_LARGE',
            'The request headers are larger than this server accepts.',
          )
        : new MalformedRequest(400, 'HTTP.MALFORMED_REQUEST', 'The request is not valid HTTP/1.1.');
  const body = JSON.stringify(toProblem(refusal));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n` +
        `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
};
