import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The tags of the document, each with what its routes are for (clients group operations by them). */
const TAGS: readonly (readonly [string, string])[] = [
  [
    'cases',
    'The case lifecycle: open, claim, converse, escalate, resolve, reopen; credits and incident reports (R9–R15)',
  ],
  ['queues', "The agents' queues per language and priority, from the case_queue read model (R4, R16)"],
  ['incidents', 'Incidents of the status dashboard that cases link to (R14)'],
  ['vendors', 'The support providers cases are routed to (R16), managed by supervisors'],
  ['reports', "The supervisors' reports, JSON or CSV"],
  ['audit', 'Hash-chain verification, point-in-time replay and export of the log, for auditors'],
  ['surveys', 'The satisfaction survey reached from its e-mail link, without a login (R15)'],
  ['health', 'Liveness and readiness probes, without a token'],
];

/**
 * The OpenAPI document of the API, built from the controllers' decorators: what `/docs-json`
 * serves and `npm run lint:openapi` lints (Redocly's `recommended` ruleset, clean). The
 * server is relative (`/`): the document describes the API on the host that serves it.
 */
export const buildOpenApiDocument = (app: INestApplication): OpenAPIObject => {
  const builder = new DocumentBuilder()
    .setTitle('Support case backend')
    .setDescription(
      'Event-sourced case lifecycle for enterprise support desks. Every error is an RFC 9457 problem document ' +
        '(`application/problem+json`, schema `Problem`) with a stable `code`. Every route but the health probes and ' +
        'the survey links takes a bearer token (`Authorization: Bearer <JWT>`).',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://spdx.org/licenses/MIT.html')
    .addServer('/', 'the server that serves this document')
    .addBearerAuth();
  for (const [name, description] of TAGS) builder.addTag(name, description);
  return SwaggerModule.createDocument(app, builder.build());
};
