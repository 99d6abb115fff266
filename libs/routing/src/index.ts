/**
 * @app/routing: vendors and follow-the-sun routing (R4, R16) around the pure policy of
 * @app/case-domain: the vendor directory (an event stream), the case router (vendors +
 * calendars + clock → the at-work predicate → `RouteCase`), and their Nest module, which
 * also loads the starting vendors of VENDORS_FILE (registered by @app/commands' VendorSeeder). docs/routing.md.
 */
export { VendorDirectory, VENDOR_DIRECTORY_MAX_AGE_MS } from './vendor-directory.service';
export { CaseRouter, type CalendarLookup } from './case-router';
export { RoutingModule, STARTING_VENDORS } from './routing.module';
export { loadVendorsFile, InvalidVendorsFile } from './vendors-file.loader';
