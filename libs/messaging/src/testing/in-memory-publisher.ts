import type { MessagePublisher, OutgoingMessage, TopicMessages, TopicSpec } from '../message-publisher.port';
import { PublishFailed } from '../messaging.errors';

export interface PublishedMessage extends OutgoingMessage {
  readonly topic: string;
}

/**
 * Test double of {@link MessagePublisher}: keeps what it acknowledged, in order, and fails
 * on demand (`failNext`, or `down` for an outage) the way the kafkajs adapter does.
 */
export class InMemoryPublisher implements MessagePublisher {
  readonly messages: PublishedMessage[] = [];
  readonly topics = new Map<string, TopicSpec>();
  /** every publish call, acknowledged or not */
  readonly attempts: (readonly TopicMessages[])[] = [];
  resets = 0;
  /** while true, every call fails as if the broker were unreachable */
  down = false;
  private failures = 0;

  /** the next `count` calls fail */
  failNext(count: number): void {
    this.failures += count;
  }

  on(topic: string): PublishedMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.maybeFail('creating topics');
    for (const spec of topics) if (!this.topics.has(spec.topic)) this.topics.set(spec.topic, spec);
  }

  async publish(batches: readonly TopicMessages[]): Promise<void> {
    this.attempts.push(batches);
    this.maybeFail('sending');
    for (const { topic, messages } of batches) {
      if (!this.topics.has(topic)) throw new PublishFailed(`sending failed: topic ${topic} does not exist`, false);
      for (const message of messages) this.messages.push({ topic, ...message });
    }
  }

  async reset(): Promise<void> {
    this.resets += 1;
  }

  async disconnect(): Promise<void> {}

  private maybeFail(doing: string): void {
    if (this.down) throw new PublishFailed(`${doing} failed: connection refused (the broker is down)`, true);
    if (this.failures > 0) {
      this.failures -= 1;
      throw new PublishFailed(`${doing} failed: request timed out`, true);
    }
  }
}
