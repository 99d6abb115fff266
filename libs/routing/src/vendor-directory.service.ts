import {
  VENDOR_DIRECTORY_STREAM,
  vendorDirectoryDecider,
  type Actor,
  type Vendor,
  type VendorDirectoryState,
  type VendorEvent,
} from '@app/case-domain';
import { derivedUuid, EventIdConflict, ExpectedVersionConflict, type EventStore } from '@app/event-store';

/** The actor of the starting vendors (VENDORS_FILE) seeded at start. */
export const VENDOR_SEEDER: Actor = Object.freeze({ id: 'system:vendor-seed', role: 'system' });

/** A stable id for the seed's event of a vendor: two processes seeding at once write the same events. */
const seedEventId = (vendorId: string): string => derivedUuid('vendor-seed', vendorId);

/** Rounds of read-and-append a seed makes when other writers keep moving the directory on. */
const MAX_SEED_ATTEMPTS = 10;

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

  /**
   * Registers each of `vendors` (the starting vendors file, VENDORS_FILE) that the
   * directory's log does not have yet, and only those: a vendor the log has, registered or
   * changed through the API, is never touched, whatever the file says. Safe when several
   * processes start together: each append expects the version it read, and a vendor's seed
   * event has a stable id (derived from the vendor id), so the same batch twice is stored
   * once; on a conflict it reads again and seeds what is still missing.
   * Resolves to the number of vendors this call registered.
   */
  async seedMissing(now: Date, vendors: readonly Vendor[]): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      await this.refresh();
      const { state, version } = this.known;
      const missing = vendors.filter((vendor) => !state.vendors.has(vendor.id));
      if (missing.length === 0) return 0;
      const at = now.toISOString();
      const events = missing.map((vendor) => ({
        eventId: seedEventId(vendor.id),
        type: 'VendorRegistered' as const,
        schemaVersion: 1,
        data: { ...vendor, at, byId: VENDOR_SEEDER.id },
        metadata: { actor: VENDOR_SEEDER },
      }));
      try {
        const appended = await this.store.appendToStream(
          VENDOR_DIRECTORY_STREAM,
          events,
          version === 0 ? 'no-stream' : version,
        );
        if (appended.duplicate) {
          await this.refresh();
          return 0;
        }
        // appended at the version read: the directory is now exactly that plus these events
        const after = (events as unknown as VendorEvent[]).reduce(vendorDirectoryDecider.evolve, state);
        this.observe(after, version + events.length);
        this.refreshedAt = this.monotonicMs();
        return missing.length;
      } catch (error) {
        // another process seeded, or a supervisor wrote, meanwhile: read again and seed what is still missing
        const raced = error instanceof ExpectedVersionConflict || error instanceof EventIdConflict;
        if (!raced || attempt >= MAX_SEED_ATTEMPTS) throw error;
      }
    }
  }
}
