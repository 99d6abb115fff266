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
      auth: { secret: undefined, oidcIssuer: undefined, oidcAudience: undefined, consumerDomains: undefined },
      workersInProcess: true,
      mode: 'embedded',
    });
  });

  it('reads every variable and switches to server mode with DATABASE_URL', () => {
    const config = loadAppConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/support',
      DATABASE_URL: 'postgres://app@db:5432/support',
      LOG_LEVEL: 'debug',
      KAFKA_BROKERS: '127.0.0.1:9092,kafka-2:9092',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/support',
      databaseUrl: 'postgres://app@db:5432/support',
      logLevel: 'debug',
      kafkaBrokers: ['127.0.0.1:9092', 'kafka-2:9092'],
      workersInProcess: false,
      mode: 'server',
    });
  });

  it('treats empty values as unset', () => {
    expect(loadAppConfig({ PORT: '', DATABASE_URL: '  ' })).toMatchObject({ port: 3000, mode: 'embedded' });
  });

  it.each([
    ['PORT', 'abc', 'an integer from 1 to 65535'],
    ['PORT', '70000', 'an integer from 1 to 65535'],
    ['PORT', '3.5', 'an integer from 1 to 65535'],
    ['LOG_LEVEL', 'loud', 'fatal, error, warn, info, debug, trace, silent'],
    ['DATABASE_URL', 'mysql://x', 'a postgres:// or postgresql:// connection URL'],
    ['KAFKA_BROKERS', 'localhost', 'a comma-separated list of host:port'],
    ['WORKERS_IN_PROCESS', 'yes', 'true or false'],
    ['AUTH_SECRET', 'short', 'a secret of at least 32 characters'],
    ['OIDC_ISSUER', 'issuer.example', 'an http(s) URL of an OpenID Connect issuer'],
    ['CONSUMER_DOMAINS', 'gmail', 'a comma-separated list of e-mail domains'],
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
