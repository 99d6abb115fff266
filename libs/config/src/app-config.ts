import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The process environment the apps read, validated once at start. Each property's
 * `accepts` text is what the one-line error says the variable accepts.
 */
export class EnvironmentVariables {
  @IsOptional() @IsInt() @Min(1) @Max(65535)
  PORT: number = 3000;

  @IsOptional() @IsString() @MinLength(1)
  HOST: string = '127.0.0.1';

  @IsOptional() @IsString() @MinLength(1)
  DATA_DIR: string = './data';

  @IsOptional() @Matches(/^postgres(ql)?:\/\/\S+$/)
  DATABASE_URL?: string;

  @IsOptional() @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @IsOptional() @Matches(/^[A-Za-z0-9._-]+:\d{1,5}(,[A-Za-z0-9._-]+:\d{1,5})*$/)
  KAFKA_BROKERS?: string;

  @IsOptional() @IsIn(['true', 'false'])
  WORKERS_IN_PROCESS?: string;

  @IsOptional() @IsString() @MinLength(32)
  AUTH_SECRET?: string;

  @IsOptional() @Matches(/^https?:\/\/\S+$/)
  OIDC_ISSUER?: string;

  @IsOptional() @IsString() @MinLength(1)
  OIDC_AUDIENCE?: string;

  @IsOptional() @Matches(/^[a-z0-9.-]+\.[a-z]{2,}(,[a-z0-9.-]+\.[a-z]{2,})*$/i)
  CONSUMER_DOMAINS?: string;
}

const ACCEPTS: Record<keyof EnvironmentVariables, string> = {
  PORT: 'an integer from 1 to 65535',
  HOST: 'a host name or IP address to listen on',
  DATA_DIR: 'a directory path',
  DATABASE_URL: 'a postgres:// or postgresql:// connection URL',
  LOG_LEVEL: LOG_LEVELS.join(', '),
  KAFKA_BROKERS: 'a comma-separated list of host:port',
  WORKERS_IN_PROCESS: 'true or false',
  AUTH_SECRET: 'a secret of at least 32 characters (HS256 key for local tokens)',
  OIDC_ISSUER: 'an http(s) URL of an OpenID Connect issuer',
  OIDC_AUDIENCE: 'the audience your tokens carry',
  CONSUMER_DOMAINS: 'a comma-separated list of e-mail domains (e.g. gmail.com,yahoo.com)',
};

/** A bad configuration value: its message is one line naming the variable and what it accepts. */
export class ConfigurationError extends Error {
  readonly code = 'CONFIG.INVALID';
  constructor(
    readonly variable: string,
    readonly value: unknown,
  ) {
    super(
      `Invalid configuration: ${variable}=${JSON.stringify(value)} is not accepted; ${variable} accepts ${
        ACCEPTS[variable as keyof EnvironmentVariables] ?? 'another value'
      }`,
    );
    this.name = 'ConfigurationError';
  }
}

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly logLevel: LogLevel;
  readonly kafkaBrokers?: readonly string[];
  readonly auth: {
    /** HS256 secret for local tokens; when unset, one is created in dataDir on first start */
    readonly secret?: string;
    /** verify tokens against this issuer's JWKS instead of the local secret */
    readonly oidcIssuer?: string;
    readonly oidcAudience?: string;
    /** consumer e-mail domains refused (R2); unset means the built-in list */
    readonly consumerDomains?: readonly string[];
  };
  /** run projections, timers and the relay inside the API process (default: true in embedded mode) */
  readonly workersInProcess: boolean;
  /** 'server' with DATABASE_URL, else 'embedded' (PGlite in dataDir) */
  readonly mode: 'server' | 'embedded';
}

/** Validates the environment; throws {@link ConfigurationError} on the first bad variable. */
export const loadAppConfig = (env: Record<string, string | undefined> = process.env): AppConfig => {
  const known = Object.keys(ACCEPTS);
  // an empty or blank value counts as unset, so `PORT= npm start` means the default
  const raw = Object.fromEntries(
    Object.entries(env)
      .filter(([k, v]) => known.includes(k) && v !== undefined && v.trim() !== '')
      .map(([k, v]) => [k, v!.trim()]),
  );
  const parsed = plainToInstance(EnvironmentVariables, raw, { enableImplicitConversion: true });
  const [first] = validateSync(parsed, { skipMissingProperties: false });
  if (first) throw new ConfigurationError(first.property, raw[first.property]);
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    dataDir: parsed.DATA_DIR,
    databaseUrl: parsed.DATABASE_URL,
    logLevel: parsed.LOG_LEVEL,
    kafkaBrokers: parsed.KAFKA_BROKERS?.split(','),
    auth: {
      secret: parsed.AUTH_SECRET,
      oidcIssuer: parsed.OIDC_ISSUER,
      oidcAudience: parsed.OIDC_AUDIENCE,
      consumerDomains: parsed.CONSUMER_DOMAINS?.toLowerCase().split(','),
    },
    workersInProcess: parsed.WORKERS_IN_PROCESS ? parsed.WORKERS_IN_PROCESS === 'true' : !parsed.DATABASE_URL,
    mode: parsed.DATABASE_URL ? 'server' : 'embedded',
  };
};
