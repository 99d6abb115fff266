import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import { createLogger, type Logger } from '@app/observability';
import { waitFor } from '@app/testing';
import { KafkajsConsumer } from '../kafkajs/kafkajs-consumer';
import type { ConsumedMessage } from '../message-consumer.port';

/**
 * Test support for suites against a real broker (infra/kafka): a logger that keeps kafkajs'
 * lines in memory (quoted only when a test fails: a fresh broker makes kafkajs log errors
 * it then retries by itself), a reader that collects a topic, and a private broker that a
 * test may stop and start.
 */
export interface MemoryLog {
  readonly logger: Logger;
  readonly lines: string[];
  /** the last lines, for a failure message */
  tail(count?: number): string;
}

export const memoryLog = (level = 'warn'): MemoryLog => {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    service: 'test',
    destination: { write: (line: string) => void lines.push(line.trim()) },
  });
  return { logger, lines, tail: (count = 15) => lines.slice(-count).join('\n') };
};

/** Reads a topic from the beginning with a consumer group of its own. */
export class TopicReader {
  readonly messages: ConsumedMessage[] = [];
  private crash?: Error;

  private constructor(
    private readonly consumer: KafkajsConsumer,
    readonly groupId: string,
  ) {}

  static async start(kafka: Kafka, topic: string): Promise<TopicReader> {
    const groupId = `test.reader.${randomUUID()}`;
    let reader: TopicReader | undefined = undefined;
    const consumer = new KafkajsConsumer(kafka, {
      groupId,
      fast: true,
      onCrash: (error) => {
        if (reader) reader.crash = error;
      },
    });
    reader = new TopicReader(consumer, groupId);
    const r = reader;
    await consumer.run({
      topic,
      startOffset: () => undefined,
      eachBatch: async (batch) => {
        r.messages.push(...batch.messages);
      },
    });
    return reader;
  }

  /** Waits until `ready(messages)` holds; fails at the deadline saying what was seen, or at a crash. */
  async until(ready: (messages: readonly ConsumedMessage[]) => boolean, describe: () => string, timeoutMs = 20_000) {
    await waitFor(
      () => {
        if (this.crash) throw this.crash;
        return ready(this.messages);
      },
      () => `${describe()} (${this.messages.length} messages read)`,
      { timeoutMs, intervalMs: 20 },
    );
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }
}

/** Deletes test topics and consumer groups; failures to delete are not test failures. */
export const deleteTopicsAndGroups = async (kafka: Kafka, topics: string[], groups: string[]): Promise<void> => {
  const admin = kafka.admin();
  try {
    await admin.connect();
    if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
    if (topics.length) await admin.deleteTopics({ topics, timeout: 5_000 }).catch(() => undefined);
  } catch {
    // the broker may be gone already
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
};

const INFRA = resolve(__dirname, '../../../../infra/kafka');
const run = promisify(execFile);

const freePort = async (avoid: number[] = []): Promise<number> => {
  for (let tries = 0; tries < 100; tries += 1) {
    // the range start.sh picks from: below the kernel's ephemeral ports, so that no outgoing
    // connection takes it while the broker is down between stop and --reuse
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (avoid.includes(port)) continue;
    const free = await new Promise<boolean>((done) => {
      const server = createServer();
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port found');
};

/**
 * A broker of its own, from infra/kafka's scripts in a private run directory
 * (KAFKA_RUN_DIR), so that a test can stop and restart it (`stop.sh`, `start.sh --reuse`)
 * without disturbing the shared broker other suites use.
 */
export interface PrivateBroker {
  /** `127.0.0.1:<port>`, the same after a restart */
  readonly address: string;
  /** `stop.sh`: SIGTERM, a clean shutdown; the data stays */
  stop(): Promise<void>;
  /** `start.sh --reuse`: the same broker again (address, data, topics, offsets) */
  restart(): Promise<void>;
  /** `stop.sh --clean` and removes the run directory */
  destroy(): Promise<void>;
}

export const startPrivateBroker = async (): Promise<PrivateBroker> => {
  const runDir = await mkdtemp(join(tmpdir(), 'kafka-private-'));
  const port = await freePort();
  const controllerPort = await freePort([port]);
  const env = {
    ...process.env,
    KAFKA_RUN_DIR: runDir,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
  };
  const script = (name: string, ...args: string[]) =>
    run('bash', [join(INFRA, name), ...args], { env, timeout: 120_000 }).catch((error: { stderr?: string }) => {
      throw new Error(`infra/kafka/${name} ${args.join(' ')} failed: ${error.stderr ?? String(error)}`);
    });
  const { stdout } = await script('start.sh');
  const address = /KAFKA_BROKERS=(\S+)\s*$/.exec(stdout)?.[1];
  if (!address) throw new Error(`start.sh printed no KAFKA_BROKERS line: ${stdout}`);
  return {
    address,
    stop: async () => {
      await script('stop.sh');
    },
    restart: async () => {
      const again = await script('start.sh', '--reuse');
      if (!again.stdout.includes(`KAFKA_BROKERS=${address}`))
        throw new Error(`--reuse moved the broker: ${again.stdout}`);
    },
    destroy: async () => {
      await script('stop.sh', '--clean').catch(() => undefined);
      await rm(runDir, { recursive: true, force: true });
    },
  };
};
