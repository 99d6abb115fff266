const UNIQUE_VIOLATION = '23505';

/** The constraint a unique violation hit (pg and PGlite both report it), or undefined for any other error. */
export const uniqueViolation = (error: unknown): string | undefined => {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  if (code !== UNIQUE_VIOLATION) return undefined;
  return typeof constraint === 'string' ? constraint : 'unknown';
};
