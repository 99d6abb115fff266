import 'reflect-metadata';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  validateSync,
} from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** the highest ATTACHMENT_MAX_BYTES: 1 GiB */
const ATTACHMENT_MAX_BYTES_LIMIT = 1024 * 1024 * 1024;

/** `0`, or a whole number followed by ms, s, m, h or d: `0`, `500ms`, `90s`, `15m`, `24h`, `2d` */
const DURATION = /^(0|\d+(ms|s|m|h|d))$/;
const DURATION_UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a {@link DURATION} text (validated before). */
export const durationMs = (text: string): number => {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  return match ? Number(match[1]) * DURATION_UNIT_MS[match[2] as keyof typeof DURATION_UNIT_MS] : 0;
};

/** the hosts an OIDC issuer may be reached on over plain http: this machine only */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * An OIDC issuer URL: https, or http on a loopback host (an identity provider run on this
 * machine for local testing). Keys fetched over http anywhere else could be swapped on the
 * way, and with them every token the API accepts.
 */
export const isAcceptedIssuerUrl = (value: unknown): boolean => {
  if (typeof value !== 'string' || !/^https?:\/\/\S+$/.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
};

const IsIssuerUrl = () => ValidateBy({ name: 'isIssuerUrl', validator: { validate: isAcceptedIssuerUrl } });

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

  @IsOptional() @Matches(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/)
  KAFKA_TOPIC_PREFIX: string = 'support';

  @IsOptional() @IsInt() @Min(1) @Max(1000)
  KAFKA_PARTITIONS: number = 6;

  @IsOptional() @IsInt() @Min(1) @Max(16)
  KAFKA_REPLICATION_FACTOR?: number;

  @IsOptional() @IsString() @MinLength(32)
  PSEUDONYM_SECRET?: string;

  @IsOptional() @IsIn(['true', 'false'])
  WORKERS_IN_PROCESS?: string;

  @IsOptional() @IsString() @MinLength(32)
  AUTH_SECRET?: string;

  @IsOptional() @IsIssuerUrl()
  OIDC_ISSUER?: string;

  @IsOptional() @IsString() @MinLength(1)
  OIDC_AUDIENCE?: string;

  @IsOptional() @Matches(/^[\x21-\x7e]{1,200}$/)
  OIDC_CLIENT_ID: string = 'support-console';

  @IsOptional() @IsString() @MinLength(1)
  CONSOLE_DIR: string = 'dist/console';

  @IsOptional() @Matches(/^[a-z0-9.-]+\.[a-z]{2,}(,[a-z0-9.-]+\.[a-z]{2,})*$/i)
  CONSUMER_DOMAINS?: string;

  @IsOptional() @Matches(/^smtps?:\/\/\S+$/)
  SMTP_URL?: string;

  @IsOptional() @Matches(/^([^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/)
  SMTP_FROM: string = 'Support desk <support@localhost>';

  @IsOptional() @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/)
  PUBLIC_BASE_URL?: string;

  @IsOptional() @Matches(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i)
  INBOUND_DOMAIN?: string;

  @IsOptional() @IsInt() @Min(0) @Max(65535)
  INBOUND_SMTP_PORT?: number;

  @IsOptional() @IsString() @MinLength(1)
  INBOUND_SMTP_HOST: string = '127.0.0.1';

  @IsOptional() @Matches(DURATION)
  SURVEY_DELAY: string = '24h';

  @IsOptional() @IsInt() @Min(1) @Max(365)
  AUTO_CLOSE_DAYS: number = 7;

  @IsOptional() @IsInt() @Min(1) @Max(365)
  WAITING_REMINDER: number = 3;

  @IsOptional() @IsInt() @Min(1) @Max(365)
  WAITING_AUTO_CLOSE: number = 10;

  @IsOptional() @IsIn(['true', 'false'])
  AUTO_ESCALATE_ON_BREACH: string = 'false';

  @IsOptional() @Matches(/^\d+(ms|s)$/)
  SCHEDULER_POLL: string = '1s';

  @IsOptional() @IsString() @MinLength(1)
  CALENDARS_DIR: string = 'config/calendars';

  @IsOptional() @IsString() @MinLength(1)
  SLA_POLICY_FILE: string = 'config/sla-policy.json';

  @IsOptional() @IsString() @MinLength(1)
  VENDORS_FILE: string = 'config/vendors.json';

  @IsOptional() @IsString() @MinLength(1)
  HELP_ARTICLES_FILE: string = 'config/help-articles.json';

  @IsOptional() @Matches(DURATION)
  INTAKE_ABANDON_AFTER: string = '24h';

  @IsOptional() @IsString() @MinLength(1)
  ATTACHMENTS_DIR?: string;

  @IsOptional() @IsInt() @Min(1) @Max(ATTACHMENT_MAX_BYTES_LIMIT)
  ATTACHMENT_MAX_BYTES: number = 25 * 1024 * 1024;

  @IsOptional() @Matches(/^[\w.+-]+\/[\w.+-]+(\s*,\s*[\w.+-]+\/[\w.+-]+)*$/)
  ATTACHMENT_TYPES?: string;
}

const ACCEPTS: Record<keyof EnvironmentVariables, string> = {
  PORT: 'an integer from 1 to 65535',
  HOST: 'a host name or IP address to listen on',
  DATA_DIR: 'a directory path',
  DATABASE_URL: 'a postgres:// or postgresql:// connection URL',
  LOG_LEVEL: LOG_LEVELS.join(', '),
  KAFKA_BROKERS: 'a comma-separated list of host:port',
  KAFKA_TOPIC_PREFIX: 'a Kafka topic name prefix: letters, digits, ".", "_", "-" (at most 100)',
  KAFKA_PARTITIONS: 'an integer from 1 to 1000',
  KAFKA_REPLICATION_FACTOR: 'an integer from 1 to 16',
  PSEUDONYM_SECRET: 'a secret of at least 32 characters (HMAC key for person ids published to Kafka)',
  WORKERS_IN_PROCESS: 'true or false',
  AUTH_SECRET: 'a secret of at least 32 characters (HS256 key for local tokens)',
  OIDC_ISSUER:
    'an https:// URL of an OpenID Connect issuer (http:// only on a loopback host, 127.0.0.1, ::1 or localhost, for local testing)',
  OIDC_AUDIENCE: 'the audience your tokens carry',
  OIDC_CLIENT_ID: 'the OpenID Connect client id of the web console (printable ASCII, no spaces, at most 200 characters)',
  CONSOLE_DIR: 'a directory path (the built web console: index.html and assets/)',
  CONSUMER_DOMAINS: 'a comma-separated list of e-mail domains (e.g. gmail.com,yahoo.com)',
  SMTP_URL: 'an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example:587',
  SMTP_FROM: 'an e-mail address, or "Name <address>"',
  PUBLIC_BASE_URL: 'the http(s) URL the API is reached at from outside, without query (e.g. https://support.example)',
  INBOUND_DOMAIN:
    'a mail domain whose mail reaches this desk (e.g. reply.support.example): the Reply-To of case e-mails is case+<id>.<signature>@<domain>',
  INBOUND_SMTP_PORT:
    'an integer from 0 to 65535 (0: any free port) for the inbound SMTP listener of e-mail replies, which needs INBOUND_DOMAIN set',
  INBOUND_SMTP_HOST: 'a host name or IP address for the inbound SMTP listener to listen on',
  SURVEY_DELAY: 'a duration: 0, or a whole number followed by ms, s, m, h or d (e.g. 24h)',
  AUTO_CLOSE_DAYS: 'an integer from 1 to 365',
  WAITING_REMINDER: 'a whole number of business days from 1 to 365, below WAITING_AUTO_CLOSE',
  WAITING_AUTO_CLOSE: 'a whole number of business days from 1 to 365, above WAITING_REMINDER',
  AUTO_ESCALATE_ON_BREACH: 'true or false',
  SCHEDULER_POLL: 'a whole number of milliseconds (ms) or seconds (s) from 10ms to 5s',
  CALENDARS_DIR: 'a directory of calendar files (<id>.json)',
  SLA_POLICY_FILE: 'the path of the SLA policy file (JSON)',
  VENDORS_FILE: 'the path of the starting vendors file (JSON)',
  HELP_ARTICLES_FILE: 'the path of the starting help-centre articles file (JSON), or an empty value for none',
  INTAKE_ABANDON_AFTER: 'a duration above 0: a whole number followed by ms, s, m, h or d (e.g. 24h)',
  ATTACHMENTS_DIR: 'a directory path (the attachment files, named by their SHA-256)',
  ATTACHMENT_MAX_BYTES: 'a whole number of bytes from 1 to 1073741824 (1 GiB)',
  ATTACHMENT_TYPES: 'a comma-separated list of media types (e.g. text/plain,application/pdf)',
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
  /** the Kafka relay's topics and privacy key; used only when `kafkaBrokers` is set */
  readonly kafka: {
    /** topics are `<prefix>.case-events.v1`, `<prefix>.case-state.v1` and `<prefix>.intake-events.v1` */
    readonly topicPrefix: string;
    readonly partitions: number;
    /** unset: the broker's `default.replication.factor` */
    readonly replicationFactor?: number;
    /** HMAC-SHA-256 key for requester and agent ids (required by the relay) */
    readonly pseudonymSecret?: string;
  };
  readonly auth: {
    /** HS256 secret for local tokens; when unset, one is created in dataDir on first start */
    readonly secret?: string;
    /** verify tokens against this issuer's JWKS instead of the local secret */
    readonly oidcIssuer?: string;
    readonly oidcAudience?: string;
    /** OIDC_CLIENT_ID: the client id the web console signs in with at `oidcIssuer` (GET /v1/console/config) */
    readonly oidcClientId: string;
    /** consumer e-mail domains refused (R2); unset means the built-in list */
    readonly consumerDomains?: readonly string[];
  };
  /** run projections, timers and the relay inside the API process (default: true in embedded mode) */
  readonly workersInProcess: boolean;
  /** R10: where the business calendars and the SLA policy are read from at start (docs/sla.md) */
  readonly sla: { readonly calendarsDir: string; readonly policyFile: string };
  /**
   * R16: the vendors every start registers when the directory's log does not have them yet
   * (docs/routing.md); one changed through the API keeps its change
   */
  readonly routing: { readonly vendorsFile: string };
  /**
   * R5: the help-centre articles the API creates at start when the log does not have them
   * yet (libs/help-centre); undefined (HELP_ARTICLES_FILE set to an empty value): none
   */
  readonly helpCentre: { readonly articlesFile?: string };
  /** the durable timers run by the worker features (docs/sla.md) */
  readonly timers: {
    /** R15: the survey goes out this long after the resolution (0: at once) */
    readonly surveyDelayMs: number;
    /** R15: a resolved case left alone is closed after this many days */
    readonly autoCloseDays: number;
    /** R11: a case awaiting the customer this many business days (its calendar's) gets a reminder (WAITING_REMINDER) */
    readonly waitingReminderDays: number;
    /** R11: …and is resolved `no-customer-answer` after this many, unanswered (WAITING_AUTO_CLOSE) */
    readonly waitingAutoCloseDays: number;
    /** R10/R13: escalate P1 and P2 cases to supervisors when they breach */
    readonly autoEscalateOnBreach: boolean;
    /** how often the scheduler looks for due timers */
    readonly schedulerPollMs: number;
  };
  /** the help assistant's intakes (R5–R8), swept by the worker features */
  readonly intakes: {
    /** an intake still suggesting with no action for this long is abandoned (INTAKE_ABANDON_AFTER) */
    readonly abandonAfterMs: number;
  };
  /** the survey e-mail (R15): SMTP when `smtpUrl` is set, else .eml files in `<dataDir>/outbox` */
  readonly mail: {
    readonly smtpUrl?: string;
    readonly from: string;
    /** the base of the links in e-mails: `<publicBaseUrl>/console/survey/<token>`, `<publicBaseUrl>/v1/cases/<id>` */
    readonly publicBaseUrl: string;
    /**
     * INBOUND_DOMAIN, lower-cased: the domain of the signed reply addresses (`ReplyAddresses`),
     * the `Reply-To` of every case e-mail; unset: no `Reply-To` (replies go to SMTP_FROM)
     */
    readonly inboundDomain?: string;
  };
  /**
   * The listener of the customers' e-mail replies (libs/inbound-mail), run by the worker
   * features; off while `port` is undefined (INBOUND_SMTP_PORT unset). It receives mail for
   * `mail.inboundDomain`, which it then requires.
   */
  readonly inboundMail: {
    /** INBOUND_SMTP_PORT; 0: any free port (tests) */
    readonly port?: number;
    /** INBOUND_SMTP_HOST, default 127.0.0.1: behind the organisation's own mail server (libs/inbound-mail/README.md) */
    readonly host: string;
  };
  /** the files attached to cases (libs/attachments), stored by their SHA-256 */
  readonly attachments: {
    /** ATTACHMENTS_DIR, default `<dataDir>/attachments` */
    readonly dir: string;
    /** ATTACHMENT_MAX_BYTES: a bigger file is refused (default 25 MiB) */
    readonly maxBytes: number;
    /** ATTACHMENT_TYPES, lower-cased; undefined: the built-in list (`DEFAULT_ATTACHMENT_TYPES` of @app/attachments) */
    readonly allowedTypes?: readonly string[];
  };
  /** the web console (apps/console), served by the API at /console */
  readonly console: {
    /** CONSOLE_DIR, default `dist/console` (what `npm run build` writes): index.html and assets/ */
    readonly dir: string;
  };
  /** 'server' with DATABASE_URL, else 'embedded' (PGlite in dataDir) */
  readonly mode: 'server' | 'embedded';
}

/** A variable present in the environment with an empty or blank value. */
const isSetEmpty = (value: string | undefined): boolean => value !== undefined && value.trim() === '';

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
  const pollMs = durationMs(parsed.SCHEDULER_POLL);
  if (pollMs < 10 || pollMs > 5_000) throw new ConfigurationError('SCHEDULER_POLL', raw.SCHEDULER_POLL);
  const abandonAfterMs = durationMs(parsed.INTAKE_ABANDON_AFTER);
  if (abandonAfterMs <= 0 || !Number.isSafeInteger(abandonAfterMs))
    throw new ConfigurationError('INTAKE_ABANDON_AFTER', raw.INTAKE_ABANDON_AFTER);
  // R11: the reminder comes before the auto-close; the variable set alone is the one at fault
  if (parsed.WAITING_REMINDER >= parsed.WAITING_AUTO_CLOSE) {
    const variable = raw.WAITING_REMINDER === undefined ? 'WAITING_AUTO_CLOSE' : 'WAITING_REMINDER';
    throw new ConfigurationError(variable, raw[variable]);
  }
  // the listener receives the replies to the signed addresses of INBOUND_DOMAIN: without it, none exists
  if (parsed.INBOUND_SMTP_PORT !== undefined && !parsed.INBOUND_DOMAIN)
    throw new ConfigurationError('INBOUND_SMTP_PORT', raw.INBOUND_SMTP_PORT);
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    dataDir: parsed.DATA_DIR,
    databaseUrl: parsed.DATABASE_URL,
    logLevel: parsed.LOG_LEVEL,
    kafkaBrokers: parsed.KAFKA_BROKERS?.split(','),
    kafka: {
      topicPrefix: parsed.KAFKA_TOPIC_PREFIX,
      partitions: parsed.KAFKA_PARTITIONS,
      replicationFactor: parsed.KAFKA_REPLICATION_FACTOR,
      pseudonymSecret: parsed.PSEUDONYM_SECRET,
    },
    auth: {
      secret: parsed.AUTH_SECRET,
      oidcIssuer: parsed.OIDC_ISSUER,
      oidcAudience: parsed.OIDC_AUDIENCE,
      oidcClientId: parsed.OIDC_CLIENT_ID,
      consumerDomains: parsed.CONSUMER_DOMAINS?.toLowerCase().split(','),
    },
    workersInProcess: parsed.WORKERS_IN_PROCESS ? parsed.WORKERS_IN_PROCESS === 'true' : !parsed.DATABASE_URL,
    sla: { calendarsDir: parsed.CALENDARS_DIR, policyFile: parsed.SLA_POLICY_FILE },
    routing: { vendorsFile: parsed.VENDORS_FILE },
    // the one variable whose empty value is not the default: HELP_ARTICLES_FILE= seeds no article
    helpCentre: { articlesFile: isSetEmpty(env.HELP_ARTICLES_FILE) ? undefined : parsed.HELP_ARTICLES_FILE },
    timers: {
      surveyDelayMs: durationMs(parsed.SURVEY_DELAY),
      autoCloseDays: parsed.AUTO_CLOSE_DAYS,
      waitingReminderDays: parsed.WAITING_REMINDER,
      waitingAutoCloseDays: parsed.WAITING_AUTO_CLOSE,
      autoEscalateOnBreach: parsed.AUTO_ESCALATE_ON_BREACH === 'true',
      schedulerPollMs: pollMs,
    },
    intakes: { abandonAfterMs },
    mail: {
      smtpUrl: parsed.SMTP_URL,
      from: parsed.SMTP_FROM,
      publicBaseUrl: (parsed.PUBLIC_BASE_URL ?? `http://127.0.0.1:${parsed.PORT}`).replace(/\/+$/, ''),
      inboundDomain: parsed.INBOUND_DOMAIN?.toLowerCase(),
    },
    inboundMail: { port: parsed.INBOUND_SMTP_PORT, host: parsed.INBOUND_SMTP_HOST },
    attachments: {
      dir: parsed.ATTACHMENTS_DIR ?? join(parsed.DATA_DIR, 'attachments'),
      maxBytes: parsed.ATTACHMENT_MAX_BYTES,
      allowedTypes: parsed.ATTACHMENT_TYPES?.toLowerCase().split(',').map((type) => type.trim()),
    },
    console: { dir: parsed.CONSOLE_DIR },
    mode: parsed.DATABASE_URL ? 'server' : 'embedded',
  };
};
