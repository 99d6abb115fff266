import { UnknownProjection } from './projection.errors';
import type { ParkedCounts, RetryParkedResult } from './parked-events';
import type { RebuildOptions, RebuildResult } from './projection-rebuild';
import type { ProjectionRunner } from './projection.runner';

/** The runners of one application, by projection name (what the `PROJECTIONS` token gives). */
export class ProjectionRegistry {
  private readonly runners = new Map<string, ProjectionRunner>();

  constructor(runners: readonly ProjectionRunner[]) {
    for (const runner of runners) {
      if (this.runners.has(runner.name)) throw new TypeError(`Two projections are named ${runner.name}`);
      this.runners.set(runner.name, runner);
    }
  }

  /** @throws UnknownProjection */
  get(name: string): ProjectionRunner {
    const runner = this.runners.get(name);
    if (!runner) throw new UnknownProjection(name);
    return runner;
  }

  names(): string[] {
    return [...this.runners.keys()];
  }

  all(): ProjectionRunner[] {
    return [...this.runners.values()];
  }

  /** Starts every runner; if one fails to start, stops those already started and throws. */
  async startAll(): Promise<void> {
    const started: ProjectionRunner[] = [];
    try {
      for (const runner of this.runners.values()) {
        await runner.start();
        started.push(runner);
      }
    } catch (error) {
      await Promise.allSettled(started.map((runner) => runner.stop()));
      throw error;
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.all().map((runner) => runner.stop()));
  }

  rebuild(name: string, options?: RebuildOptions): Promise<RebuildResult> {
    return this.get(name).rebuild(options);
  }

  retryParked(name: string, streamId?: string): Promise<RetryParkedResult> {
    return this.get(name).retryParked(streamId);
  }

  /** Parked counts of every projection, for /metrics and the CLI. */
  async parkedCounts(): Promise<Record<string, ParkedCounts>> {
    const entries = await Promise.all(this.all().map(async (runner) => [runner.name, await runner.parked()] as const));
    return Object.fromEntries(entries);
  }
}
