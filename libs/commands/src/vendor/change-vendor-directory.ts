import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  VENDOR_DIRECTORY_STREAM,
  vendorDirectoryDecider,
  type Vendor,
  type VendorChangeCommand,
  type VendorDirectoryState,
  type VendorEvent,
} from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@app/event-store';
import { VendorDirectory } from '@app/routing';
import type { IdempotencyClaim } from '../idempotency';
import { StaleVersion } from '../stale-version';
import { StreamWriter } from '../stream-writer';

export interface VendorChange {
  readonly vendor: Vendor;
  /** false when nothing changed (the same vendor again) */
  readonly changed: boolean;
  /** global position of the event written, for read-your-writes */
  readonly position?: number;
  /** the directory's version afterwards */
  readonly version: number;
}

/** Registers or updates a support provider (R16) in the `vendors-directory` stream. */
export class ChangeVendorDirectory extends Command<VendorChange> {
  constructor(
    readonly request: {
      readonly command: VendorChangeCommand;
      readonly actor: EventMetadata['actor'];
      readonly correlationId?: string;
      readonly idempotency?: IdempotencyClaim;
    },
  ) {
    super();
  }
}

/**
 * Vendor changes through the same write path as cases; the in-memory directory the router
 * reads takes the new state at once. Refusals are the decider's (VENDOR.ALREADY_REGISTERED,
 * VENDOR.NOT_FOUND, COMMAND.INVALID).
 */
@CommandHandler(ChangeVendorDirectory)
export class ChangeVendorDirectoryHandler implements ICommandHandler<ChangeVendorDirectory, VendorChange> {
  private readonly writer: StreamWriter<VendorDirectoryState, VendorEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) clock: Clock,
    @Inject(VendorDirectory) private readonly directory: VendorDirectory,
  ) {
    this.writer = new StreamWriter(store, vendorDirectoryDecider, { now: () => clock.now(), cacheSize: 1 });
  }

  async execute({ request: r }: ChangeVendorDirectory): Promise<VendorChange> {
    const result = await this.writer.write({
      streamId: VENDOR_DIRECTORY_STREAM,
      commandName: () => r.command.type,
      idempotency: r.idempotency,
      stale: (expected, actual) => new StaleVersion('The vendor directory', expected, actual),
      metadata: { actor: r.actor, ...(r.correlationId ? { correlationId: r.correlationId } : {}) },
      decide: (state, _version, now) => vendorDirectoryDecider.decide(state, r.command, now),
    });
    this.directory.observe(result.state, result.version);
    const id =
      result.events[0]?.data.id ??
      String(r.command.vendor.id ?? '')
        .trim()
        .toLowerCase();
    return {
      vendor: result.state.vendors.get(id) as Vendor,
      changed: result.events.length > 0,
      position: result.position,
      version: result.version,
    };
  }
}
