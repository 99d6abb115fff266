import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  VENDOR_DIRECTORY_STREAM,
  vendorDirectoryDecider,
  type Actor,
  type Vendor,
  type VendorDirectoryState,
  type VendorEvent,
} from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { STARTING_VENDORS, VendorDirectory } from '@app/routing';
import { StaleVersion } from '../stale-version';
import { StreamWriter } from '../stream-writer';

/** The actor of the starting vendors (VENDORS_FILE) registered at start. */
export const VENDOR_SEEDER: Actor = Object.freeze({ id: 'system:vendor-seed', role: 'system' });

/**
 * Registers each of `vendors` (the starting vendors file) that the directory's log does not
 * have yet, and only those (`RegisterMissingVendors`): a vendor the log has, registered or
 * changed through the API, keeps what the log says. Resolves to the number registered.
 */
export class SeedVendors extends Command<number> {
  constructor(readonly vendors: readonly Vendor[]) {
    super();
  }
}

/**
 * The seed through the same write path as every other write (stream-writer.ts): several
 * processes starting together each decide on the directory they read and append at its
 * version; the one that loses the race decides again on the new version, where nothing is
 * missing any more, so each vendor is registered once.
 */
@CommandHandler(SeedVendors)
export class SeedVendorsHandler implements ICommandHandler<SeedVendors, number> {
  private readonly writer: StreamWriter<VendorDirectoryState, VendorEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) clock: Clock,
    @Inject(VendorDirectory) private readonly directory: VendorDirectory,
  ) {
    this.writer = new StreamWriter(store, vendorDirectoryDecider, { now: () => clock.now(), cacheSize: 1 });
  }

  async execute({ vendors }: SeedVendors): Promise<number> {
    const result = await this.writer.write({
      streamId: VENDOR_DIRECTORY_STREAM,
      commandName: () => 'RegisterMissingVendors',
      stale: (expected, actual) => new StaleVersion('The vendor directory', expected, actual),
      metadata: { actor: VENDOR_SEEDER },
      decide: (state, _version, now) =>
        vendorDirectoryDecider.decide(state, { type: 'RegisterMissingVendors', vendors, actor: VENDOR_SEEDER }, now),
    });
    this.directory.observe(result.state, result.version);
    return result.events.length;
  }
}

/**
 * At every start, in both modes: the starting vendors (VENDORS_FILE) the directory's log
 * does not have yet are registered, through the command door's handler. Called directly, not
 * through the CommandBus: the bus learns its handlers in CqrsModule's own
 * onApplicationBootstrap, which Nest may run after this one.
 */
@Injectable()
export class VendorSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Vendors');

  constructor(
    @Inject(SeedVendorsHandler) private readonly handler: SeedVendorsHandler,
    @Inject(STARTING_VENDORS) private readonly vendors: readonly Vendor[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const seeded = await this.handler.execute(new SeedVendors(this.vendors));
    if (seeded > 0)
      this.logger.log(
        `registered ${seeded} vendors from ${this.config.routing.vendorsFile}; manage them with /v1/vendors`,
      );
  }
}
