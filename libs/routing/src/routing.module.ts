import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { SlaService } from '@app/sla';
import { CaseRouter } from './case-router';
import { VendorDirectory } from './vendor-directory.service';
import { loadVendorsFile } from './vendors-file.loader';

/** The starting vendors, read from VENDORS_FILE and validated when the module is built. */
export const STARTING_VENDORS = Symbol('STARTING_VENDORS');

/**
 * Vendors and routing (R4, R16) for the API and the worker: the vendor directory and the
 * case router over the store and the calendars (SlaService), and the starting vendors
 * (VENDORS_FILE), which the command door's VendorSeeder (@app/commands) registers at start
 * when the log does not have them. Static and global, so that the
 * API and the worker features it hosts in embedded mode share one instance.
 */
@Global()
@Module({
  providers: [
    { provide: VendorDirectory, inject: [EVENT_STORE], useFactory: (store: EventStore) => new VendorDirectory(store) },
    {
      provide: CaseRouter,
      inject: [SlaService],
      useFactory: (sla: SlaService) => new CaseRouter((id) => sla.calendars.get(id)),
    },
    {
      provide: STARTING_VENDORS,
      inject: [APP_CONFIG, SlaService],
      // a bad file stops the start here, with one line naming the file and the entry
      useFactory: (config: AppConfig, sla: SlaService) =>
        loadVendorsFile(config.routing.vendorsFile, new Set(sla.calendars.keys())),
    },
  ],
  exports: [VendorDirectory, CaseRouter, STARTING_VENDORS],
})
export class RoutingModule {}
