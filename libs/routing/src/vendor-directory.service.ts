import { createHash } from 'node:crypto';
import {
  EXAMPLE_VENDORS,
  VENDOR_DIRECTORY_STREAM,
  vendorDirectoryDecider,
  type Actor,
  type Vendor,
  type VendorCommand,
  type VendorDirectoryState,
  type VendorEvent,
} from '@app/case-domain';
import { ExpectedVersionConflict, handleCommand, type EventMetadata, type EventStore } from '@app/event-store';

/** The actor of the example vendors seeded on a first start. */
export const VENDOR_SEEDER: Actor = Object.freeze({ id: 'system:vendor-seed', role: 'system' });

export interface VendorWrite {
  readonly vendor: Vendor;
  /** false when nothing changed (the same vendor again) */
  readonly changed: boolean;
  /** global position of the event written, for read-your-writes */
  readonly position?: number;
  /** the directory's version afterwards */
  readonly version: number;
}

/** A stable id for the seed's i-th event: two processes seeding at once write the same events. */
const seedEventId = (vendorId: string): string => {
  const hex = createHash('sha256').update(`vendor-seed\u0000${vendorId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/**
 * The support providers (R16), kept in the event store as one small stream
 * (`vendors-directory`, see @app/case-domain's vendor directory). Reading it folds a handful
 * of events, so callers read it whenever they route; writes go through the decider with
 * the stream's version, so two supervisors registering the same id cannot both win.
 */
export class VendorDirectory {
  constructor(private readonly store: EventStore) {}

  async state(): Promise<VendorDirectoryState> {
    const { events } = await this.store.readStream(VENDOR_DIRECTORY_STREAM);
    return (events as unknown as VendorEvent[]).reduce(
      vendorDirectoryDecider.evolve,
      vendorDirectoryDecider.initialState,
    );
  }

  /** Every vendor, in the order they were registered. */
  async list(): Promise<Vendor[]> {
    return [...(await this.state()).vendors.values()];
  }

  async get(vendorId: string): Promise<Vendor | undefined> {
    return (await this.state()).vendors.get(vendorId.trim().toLowerCase());
  }

  /** Registers or updates a vendor (refusals are the decider's: VENDOR.ALREADY_REGISTERED, VENDOR.NOT_FOUND, COMMAND.INVALID). */
  async execute(command: VendorCommand, metadata: EventMetadata, now: Date): Promise<VendorWrite> {
    const result = await handleCommand(this.store, VENDOR_DIRECTORY_STREAM, vendorDirectoryDecider, command, {
      eventMetadata: metadata,
      now,
    });
    const id =
      result.newEvents[0]?.data.id ??
      String(command.vendor.id ?? '')
        .trim()
        .toLowerCase();
    return {
      vendor: result.newState.vendors.get(id) as Vendor,
      changed: result.newEvents.length > 0,
      position: result.appended?.globalPositions.at(-1),
      version: result.nextExpectedVersion,
    };
  }

  /**
   * Registers the example vendors when the directory is empty (a first start), and only
   * then: a directory a supervisor has filled is never touched. Safe when several processes
   * start together: the append expects an empty stream and uses stable event ids, so the
   * second one finds the same events there (or a conflict) and does nothing.
   * Resolves to the number of vendors registered.
   */
  async seedIfEmpty(now: Date, vendors: readonly Vendor[] = EXAMPLE_VENDORS): Promise<number> {
    if ((await this.store.streamVersion(VENDOR_DIRECTORY_STREAM)) > 0) return 0;
    const at = now.toISOString();
    const events = vendors.map((vendor) => ({
      eventId: seedEventId(vendor.id),
      type: 'VendorRegistered' as const,
      schemaVersion: 1,
      data: { ...vendor, at, byId: VENDOR_SEEDER.id },
      metadata: { actor: VENDOR_SEEDER },
    }));
    try {
      const appended = await this.store.appendToStream(VENDOR_DIRECTORY_STREAM, events, 'no-stream');
      return appended.duplicate ? 0 : vendors.length;
    } catch (error) {
      if (error instanceof ExpectedVersionConflict) return 0; // another process seeded, or a supervisor was first
      throw error;
    }
  }
}
