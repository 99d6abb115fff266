import { ConfigurationError, loadAppConfig } from './app-config';

describe('loadAppConfig', () => {
  it('gives the embedded defaults when nothing is set', () => {
    expect(loadAppConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      databaseUrl: undefined,
      logLevel: 'info',
      kafkaBrokers: undefined,
      kafka: { topicPrefix: 'support', partitions: 6, replicationFactor: undefined, pseudonymSecret: undefined },
      auth: {
        secret: undefined,
        oidcIssuer: undefined,
        oidcAudience: undefined,
        oidcClientId: 'support-console',
        consumerDomains: undefined,
      },
      workersInProcess: true,
      sla: { calendarsDir: 'config/calendars', policyFile: 'config/sla-policy.json' },
      routing: { vendorsFile: 'config/vendors.json' },
      helpCentre: { articlesFile: 'config/help-articles.json' },
      timers: {
        surveyDelayMs: 86_400_000,
        autoCloseDays: 7,
        waitingReminderDays: 3,
        waitingAutoCloseDays: 10,
        autoEscalateOnBreach: false,
        schedulerPollMs: 1_000,
      },
      intakes: { abandonAfterMs: 86_400_000 },
      inboundMail: { port: undefined, host: '127.0.0.1' },
      mail: { smtpUrl: undefined, from: 'Support desk <support@localhost>', publicBaseUrl: 'http://127.0.0.1:3000' },
      attachments: { dir: 'data/attachments', maxBytes: 26_214_400, allowedTypes: undefined },
      console: { dir: 'dist/console' },
      mode: 'embedded',
    });
  });

  it('reads the SLA, timer and mail variables (docs/sla.md)', () => {
    expect(
      loadAppConfig({
        PORT: '8080',
        SMTP_URL: 'smtp://mailer:secret@mail.example:587',
        SMTP_FROM: 'Help <help@acme.example>',
        PUBLIC_BASE_URL: 'https://support.acme.example/',
        INBOUND_DOMAIN: 'Reply.Support.Acme.example',
        SURVEY_DELAY: '0',
        AUTO_CLOSE_DAYS: '14',
        AUTO_ESCALATE_ON_BREACH: 'true',
        SCHEDULER_POLL: '250ms',
        CALENDARS_DIR: '/etc/support/calendars',
        SLA_POLICY_FILE: '/etc/support/sla.json',
        VENDORS_FILE: '/etc/support/vendors.json',
      }),
    ).toMatchObject({
      sla: { calendarsDir: '/etc/support/calendars', policyFile: '/etc/support/sla.json' },
      routing: { vendorsFile: '/etc/support/vendors.json' },
      timers: { surveyDelayMs: 0, autoCloseDays: 14, autoEscalateOnBreach: true, schedulerPollMs: 250 },
      mail: {
        smtpUrl: 'smtp://mailer:secret@mail.example:587',
        from: 'Help <help@acme.example>',
        publicBaseUrl: 'https://support.acme.example',
        inboundDomain: 'reply.support.acme.example',
      },
    });
    expect(loadAppConfig({ SURVEY_DELAY: '90m', PORT: '8080' })).toMatchObject({
      timers: { surveyDelayMs: 5_400_000 },
      mail: { publicBaseUrl: 'http://127.0.0.1:8080' },
    });
  });

  it('R11: reads the waiting timers, in business days: the reminder before the auto-close', () => {
    expect(loadAppConfig({ WAITING_REMINDER: '2', WAITING_AUTO_CLOSE: '5' }).timers).toMatchObject({
      waitingReminderDays: 2,
      waitingAutoCloseDays: 5,
    });
    expect(loadAppConfig({ WAITING_REMINDER: '9' }).timers).toMatchObject({ waitingReminderDays: 9 });
    const refused = (env: Record<string, string>) => {
      try {
        loadAppConfig(env);
      } catch (e) {
        return (e as ConfigurationError).variable;
      }
      return undefined;
    };
    // the one set is the one at fault; both set: the reminder
    expect(refused({ WAITING_REMINDER: '10' })).toBe('WAITING_REMINDER');
    expect(refused({ WAITING_AUTO_CLOSE: '3' })).toBe('WAITING_AUTO_CLOSE');
    expect(refused({ WAITING_REMINDER: '4', WAITING_AUTO_CLOSE: '4' })).toBe('WAITING_REMINDER');
  });

  it('reads the inbound SMTP listener, which needs INBOUND_DOMAIN (libs/inbound-mail)', () => {
    expect(
      loadAppConfig({ INBOUND_DOMAIN: 'reply.desk.example', INBOUND_SMTP_PORT: '2525', INBOUND_SMTP_HOST: '0.0.0.0' }),
    ).toMatchObject({ inboundMail: { port: 2525, host: '0.0.0.0' }, mail: { inboundDomain: 'reply.desk.example' } });
    expect(loadAppConfig({ INBOUND_DOMAIN: 'reply.desk.example', INBOUND_SMTP_PORT: '0' }).inboundMail).toEqual({
      port: 0,
      host: '127.0.0.1',
    });
    expect(loadAppConfig({ INBOUND_SMTP_PORT: '' }).inboundMail.port).toBeUndefined();
  });

  it('reads every variable and switches to server mode with DATABASE_URL', () => {
    const config = loadAppConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/support',
      DATABASE_URL: 'postgres://app@db:5432/support',
      LOG_LEVEL: 'debug',
      KAFKA_BROKERS: '127.0.0.1:9092,kafka-2:9092',
      KAFKA_TOPIC_PREFIX: 'acme.support',
      KAFKA_PARTITIONS: '12',
      KAFKA_REPLICATION_FACTOR: '3',
      PSEUDONYM_SECRET: 'p'.repeat(32),
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/support',
      databaseUrl: 'postgres://app@db:5432/support',
      logLevel: 'debug',
      kafkaBrokers: ['127.0.0.1:9092', 'kafka-2:9092'],
      kafka: { topicPrefix: 'acme.support', partitions: 12, replicationFactor: 3, pseudonymSecret: 'p'.repeat(32) },
      workersInProcess: false,
      mode: 'server',
    });
  });

  it('treats empty values as unset', () => {
    expect(loadAppConfig({ PORT: '', DATABASE_URL: '  ' })).toMatchObject({ port: 3000, mode: 'embedded' });
  });

  it('reads HELP_ARTICLES_FILE; an empty value (not an unset one) turns the starting articles off', () => {
    expect(loadAppConfig({ HELP_ARTICLES_FILE: '/etc/support/articles.json' }).helpCentre).toEqual({
      articlesFile: '/etc/support/articles.json',
    });
    expect(loadAppConfig({}).helpCentre).toEqual({ articlesFile: 'config/help-articles.json' });
    expect(loadAppConfig({ HELP_ARTICLES_FILE: undefined }).helpCentre).toEqual({
      articlesFile: 'config/help-articles.json',
    });
    expect(loadAppConfig({ HELP_ARTICLES_FILE: '' }).helpCentre).toEqual({ articlesFile: undefined });
    expect(loadAppConfig({ HELP_ARTICLES_FILE: '  ' }).helpCentre).toEqual({ articlesFile: undefined });
  });

  it('reads INTAKE_ABANDON_AFTER, the idle time after which the worker abandons an intake (R5–R8)', () => {
    expect(loadAppConfig({ INTAKE_ABANDON_AFTER: '90m' }).intakes).toEqual({ abandonAfterMs: 5_400_000 });
    expect(loadAppConfig({ INTAKE_ABANDON_AFTER: '2d' }).intakes).toEqual({ abandonAfterMs: 172_800_000 });
    expect(loadAppConfig({ INTAKE_ABANDON_AFTER: '' }).intakes).toEqual({ abandonAfterMs: 86_400_000 });
  });

  it('reads the attachment variables: the directory (default under DATA_DIR), the size limit, the allowed types', () => {
    expect(loadAppConfig({ DATA_DIR: '/var/lib/support' }).attachments.dir).toBe('/var/lib/support/attachments');
    expect(
      loadAppConfig({
        ATTACHMENTS_DIR: '/srv/files',
        ATTACHMENT_MAX_BYTES: '1048576',
        ATTACHMENT_TYPES: 'Text/Plain, application/pdf,image/png',
      }).attachments,
    ).toEqual({ dir: '/srv/files', maxBytes: 1_048_576, allowedTypes: ['text/plain', 'application/pdf', 'image/png'] });
  });

  it('reads the web console variables: its OIDC client id and the directory it is served from', () => {
    expect(loadAppConfig({ OIDC_CLIENT_ID: 'desk-console', CONSOLE_DIR: '/srv/console' })).toMatchObject({
      auth: { oidcClientId: 'desk-console' },
      console: { dir: '/srv/console' },
    });
  });

  it('requires an https OIDC_ISSUER, except on a loopback host (an identity provider run for local testing)', () => {
    const issuer = (OIDC_ISSUER: string) => loadAppConfig({ OIDC_ISSUER }).auth.oidcIssuer;
    expect(issuer('https://login.example.com/realms/support')).toBe('https://login.example.com/realms/support');
    expect(issuer('http://127.0.0.1:8080/realms/test')).toBe('http://127.0.0.1:8080/realms/test');
    expect(issuer('http://[::1]:8080')).toBe('http://[::1]:8080');
    expect(issuer('http://localhost:8080')).toBe('http://localhost:8080');

    for (const refused of ['http://idp.example', 'http://127.0.0.1.idp.example', 'http://127.0.0.1@idp.example/']) {
      expect(() => issuer(refused)).toThrow(ConfigurationError);
    }
    expect(() => issuer('http://idp.example')).toThrow(
      'Invalid configuration: OIDC_ISSUER="http://idp.example" is not accepted; OIDC_ISSUER accepts an https:// URL ' +
        'of an OpenID Connect issuer (http:// only on a loopback host, 127.0.0.1, ::1 or localhost, for local testing)',
    );
  });

  it.each([
    ['PORT', 'abc', 'an integer from 1 to 65535'],
    ['PORT', '70000', 'an integer from 1 to 65535'],
    ['PORT', '3.5', 'an integer from 1 to 65535'],
    ['LOG_LEVEL', 'loud', 'fatal, error, warn, info, debug, trace, silent'],
    ['DATABASE_URL', 'mysql://x', 'a postgres:// or postgresql:// connection URL'],
    ['KAFKA_BROKERS', 'localhost', 'a comma-separated list of host:port'],
    ['KAFKA_TOPIC_PREFIX', 'support/cases', 'a Kafka topic name prefix'],
    ['KAFKA_PARTITIONS', '0', 'an integer from 1 to 1000'],
    ['KAFKA_REPLICATION_FACTOR', 'three', 'an integer from 1 to 16'],
    ['PSEUDONYM_SECRET', 'short', 'a secret of at least 32 characters'],
    ['WORKERS_IN_PROCESS', 'yes', 'true or false'],
    ['AUTH_SECRET', 'short', 'a secret of at least 32 characters'],
    ['OIDC_ISSUER', 'issuer.example', 'an https:// URL of an OpenID Connect issuer'],
    ['OIDC_CLIENT_ID', 'support console', 'the OpenID Connect client id of the web console'],
    ['CONSUMER_DOMAINS', 'gmail', 'a comma-separated list of e-mail domains'],
    ['SMTP_URL', 'mail.example:25', 'an smtp:// or smtps:// URL'],
    ['SMTP_FROM', 'support', 'an e-mail address, or "Name <address>"'],
    ['PUBLIC_BASE_URL', 'support.example', 'the http(s) URL the API is reached at'],
    ['INBOUND_DOMAIN', 'reply@support.example', 'a mail domain whose mail reaches this desk'],
    ['INBOUND_DOMAIN', 'localhost', 'a mail domain'],
    ['INBOUND_SMTP_PORT', '70000', 'an integer from 0 to 65535'],
    [
      'INBOUND_SMTP_PORT',
      '2525', // without INBOUND_DOMAIN
      'an integer from 0 to 65535 (0: any free port) for the inbound SMTP listener of e-mail replies, which needs INBOUND_DOMAIN set',
    ],
    ['SURVEY_DELAY', '1 day', 'a duration: 0, or a whole number followed by ms, s, m, h or d'],
    ['SURVEY_DELAY', '-5m', 'a duration'],
    ['AUTO_CLOSE_DAYS', '0', 'an integer from 1 to 365'],
    ['WAITING_REMINDER', '0', 'a whole number of business days from 1 to 365, below WAITING_AUTO_CLOSE'],
    ['WAITING_REMINDER', '2.5', 'a whole number of business days'],
    ['WAITING_AUTO_CLOSE', '366', 'a whole number of business days from 1 to 365, above WAITING_REMINDER'],
    ['WAITING_AUTO_CLOSE', '2', 'a whole number of business days from 1 to 365, above WAITING_REMINDER'], // the default reminder is 3
    ['AUTO_ESCALATE_ON_BREACH', 'yes', 'true or false'],
    ['SCHEDULER_POLL', '10s', 'a whole number of milliseconds (ms) or seconds (s) from 10ms to 5s'],
    ['SCHEDULER_POLL', '5ms', 'a whole number of milliseconds (ms) or seconds (s) from 10ms to 5s'],
    ['SCHEDULER_POLL', '1m', 'a whole number of milliseconds (ms) or seconds (s)'],
    ['INTAKE_ABANDON_AFTER', '0', 'a duration above 0: a whole number followed by ms, s, m, h or d'],
    ['INTAKE_ABANDON_AFTER', '0s', 'a duration above 0'],
    ['INTAKE_ABANDON_AFTER', '1 day', 'a duration above 0'],
    ['ATTACHMENT_MAX_BYTES', '0', 'a whole number of bytes from 1 to 1073741824'],
    ['ATTACHMENT_MAX_BYTES', '25MB', 'a whole number of bytes'],
    ['ATTACHMENT_MAX_BYTES', '2000000000', 'a whole number of bytes'],
    ['ATTACHMENT_TYPES', 'text', 'a comma-separated list of media types'],
    ['ATTACHMENT_TYPES', 'text/plain,,image/png', 'a comma-separated list of media types'],
  ])('refuses %s=%s with one line naming the variable and what it accepts', (variable, value, accepts) => {
    let error: unknown;
    try {
      loadAppConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`${variable}=${JSON.stringify(value)}`);
    expect(message).toContain(`accepts ${accepts}`);
  });
});
