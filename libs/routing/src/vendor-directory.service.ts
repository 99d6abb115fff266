import {
  VENDOR_DIRECTORY_STREAM,
  vendorDirectoryDecider,
  type Vendor,
  type VendorDirectoryState,
  type VendorEvent,
} from '@app/case-domain';
import type { EventStore } from '@app/event-store';

/** How stale the directory may be when a case is routed: changes made by another process show within this. */
export const VENDOR_DIRECTORY_MAX_AGE_MS = 1_000;

/**
 * The support providers (R16), kept in the event store as one small stream
 * (`vendors-directory`, see @app/case-domain's vendor directory) and in memory here, kept
 * current from the log: a read at most every `maxAgeMs` (default 1 s), of the events since
 * the last one only, shared by concurrent callers; a write through this process is seen at
 * once (`observe`). So routing a new case costs no read of the store. Writes go through the
 * command door (@app/commands), which appends at the stream's version, so two supervisors
 * registering the same id cannot both win.
 */
export class VendorDirectory {
  private known: { state: VendorDirectoryState; version: number } = {
    state: vendorDirectoryDecider.initialState,
    version: 0,
  };
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private refreshing?: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly maxAgeMs = VENDOR_DIRECTORY_MAX_AGE_MS,
    /** a monotonic clock in ms; tests pass their own */
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {}

  /** The directory, as of at most `maxAgeMs` ago. */
  async state(): Promise<VendorDirectoryState> {
    if (this.monotonicMs() - this.refreshedAt > this.maxAgeMs) await this.refresh();
    return this.known.state;
  }

  /** Reads what the log holds since the last read (one statement), then answers. */
  refresh(): Promise<void> {
    this.refreshing ??= this.readNewEvents().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** A state this process just wrote: newer than what it knew, it is taken at once. */
  observe(state: VendorDirectoryState, version: number): void {
    if (version > this.known.version) this.known = { state, version };
  }

  /** Every vendor, in the order they were registered. */
  async list(): Promise<Vendor[]> {
    return [...(await this.state()).vendors.values()];
  }

  async get(vendorId: string): Promise<Vendor | undefined> {
    return (await this.state()).vendors.get(vendorId.trim().toLowerCase());
  }

  private async readNewEvents(): Promise<void> {
    const started = this.monotonicMs();
    let { state, version } = this.known;
    let { events, currentVersion } = await this.store.readStream(VENDOR_DIRECTORY_STREAM, { fromVersion: version + 1 });
    if (currentVersion < version) {
      // shorter than what was seen: another store behind the same name (a test's reset); start over
      ({ events, currentVersion } = await this.store.readStream(VENDOR_DIRECTORY_STREAM));
      ({ state, version } = { state: vendorDirectoryDecider.initialState, version: 0 });
      this.known = { state, version };
    }
    // an `observe` while this read was out may be newer still: never go back
    if (currentVersion > this.known.version)
      this.known = {
        state: (events as unknown as VendorEvent[]).reduce(vendorDirectoryDecider.evolve, state),
        version: currentVersion,
      };
    this.refreshedAt = started;
  }
}
