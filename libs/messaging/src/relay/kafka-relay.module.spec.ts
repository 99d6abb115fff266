import { loadAppConfig } from '@app/config';
import { RelayMisconfigured } from '../messaging.errors';
import { KAFKA_RELAY } from '../messaging.tokens';
import { KafkaRelayModule } from './kafka-relay.module';

describe('KafkaRelayModule.forRoot', () => {
  it('is an empty module when KAFKA_BROKERS is unset: nothing starts, nothing connects', () => {
    const module = KafkaRelayModule.forRoot(loadAppConfig({}));
    expect(module.providers ?? []).toEqual([]);
    expect(module.exports ?? []).toEqual([]);
  });

  it('binds the relay when KAFKA_BROKERS is set', () => {
    const module = KafkaRelayModule.forRoot(
      loadAppConfig({ KAFKA_BROKERS: '127.0.0.1:9092', PSEUDONYM_SECRET: 'p'.repeat(32) }),
    );
    expect(module.exports).toContain(KAFKA_RELAY);
  });

  it('refuses to start without PSEUDONYM_SECRET, naming the variable', () => {
    expect(() => KafkaRelayModule.forRoot(loadAppConfig({ KAFKA_BROKERS: '127.0.0.1:9092' }))).toThrow(
      RelayMisconfigured,
    );
    expect(() => KafkaRelayModule.forRoot(loadAppConfig({ KAFKA_BROKERS: '127.0.0.1:9092' }))).toThrow(
      /PSEUDONYM_SECRET/,
    );
  });
});
