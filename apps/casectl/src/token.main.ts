/**
 * Entry point of `casectl token` (see token.command.ts):
 *   node dist/apps/casectl/src/token.main.js --role agent --vendor acme-support --languages fr,en --regions emea --email eve@vendor.example
 */
import { runTokenCommand } from './token.command';

void runTokenCommand(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
