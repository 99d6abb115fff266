import { createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core';

/** One finding of the linter, flattened for a message or an assertion. */
export interface OpenApiLintProblem {
  readonly severity: 'error' | 'warn';
  readonly rule: string;
  readonly message: string;
  /** a JSON pointer into the document, e.g. `#/paths/~1v1~1cases/post/responses` */
  readonly at: string;
}

const toProblem = (p: NormalizedProblem): OpenApiLintProblem => {
  const where = p.location[0];
  return {
    severity: p.severity,
    rule: p.ruleId,
    message: p.message,
    at: where && 'pointer' in where && where.pointer ? where.pointer : '#/',
  };
};

/**
 * Lints an OpenAPI document with Redocly's `recommended` ruleset (the rules `redocly lint`
 * applies by default), nothing switched off. An empty list means the document is clean:
 * no error and no warning.
 */
export const lintOpenApiDocument = async (document: object): Promise<OpenApiLintProblem[]> => {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
  return problems.filter((p) => !p.ignored).map(toProblem);
};

/** One line per problem: `error operation-summary #/paths/… Operation object should contain summary field.` */
export const formatOpenApiProblems = (problems: readonly OpenApiLintProblem[]): string =>
  problems.map((p) => `${p.severity} ${p.rule} ${p.at} ${p.message}`).join('\n');
