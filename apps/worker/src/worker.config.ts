import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, validateSync } from 'class-validator';
import { ConfigurationError, type AppConfig } from '@app/config';

/** The worker's /metrics port unless WORKER_METRICS_PORT says otherwise (the Prometheus exporters' usual 9464). */
export const DEFAULT_WORKER_METRICS_PORT = 9464;

/**
 * The worker's own variables, validated at start in libs/config's way: defaults on the
 * class, one line naming the variable and what it accepts when a value is refused. (The
 * API does not read them: in embedded mode its own /metrics carries the same metrics.)
 */
export class WorkerEnvironmentVariables {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_METRICS_PORT: number = DEFAULT_WORKER_METRICS_PORT;
}

const ACCEPTS: Record<keyof WorkerEnvironmentVariables, string> = {
  WORKER_METRICS_PORT: 'an integer from 1 to 65535, or 0 for any free port (logged at start)',
};

/** A refused worker variable; a {@link ConfigurationError}, so `main` reports it the same way. */
export class WorkerConfigurationError extends ConfigurationError {
  constructor(variable: keyof WorkerEnvironmentVariables, value: unknown) {
    super(variable, value);
    this.message = `Invalid configuration: ${variable}=${JSON.stringify(value)} is not accepted; ${variable} accepts ${ACCEPTS[variable]}`;
  }
}

export interface WorkerConfig {
  /** where GET /metrics listens: HOST (the interface the API uses too) and WORKER_METRICS_PORT */
  readonly metrics: { readonly host: string; readonly port: number };
}

/** Validates the worker's variables; throws {@link WorkerConfigurationError} on a bad one. */
export const loadWorkerConfig = (
  app: AppConfig,
  env: Record<string, string | undefined> = process.env,
): WorkerConfig => {
  const known = Object.keys(ACCEPTS);
  // as in loadAppConfig: an empty or blank value counts as unset
  const raw = Object.fromEntries(
    Object.entries(env)
      .filter(([k, v]) => known.includes(k) && v !== undefined && v.trim() !== '')
      .map(([k, v]) => [k, v!.trim()]),
  );
  const parsed = plainToInstance(WorkerEnvironmentVariables, raw, { enableImplicitConversion: true });
  const [first] = validateSync(parsed, { skipMissingProperties: false });
  if (first) {
    const variable = first.property as keyof WorkerEnvironmentVariables;
    throw new WorkerConfigurationError(variable, raw[variable]);
  }
  return { metrics: { host: app.host, port: parsed.WORKER_METRICS_PORT } };
};
