import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidSlaPolicy } from '@app/business-time';
import { testSla } from './testing/test-sla';
import { SlaService } from './sla.service';

const config = join(__dirname, '../../../config');

describe('SlaService', () => {
  const sla = testSla();

  it('R10: a tenant without a region gets the default calendar; the terms record its version and the policy version', () =>
    expect(
      sla.termsFor({ tenant: 'acme.example', priority: 'P3', openedAt: new Date('2026-03-06T15:00:00Z') }),
    ).toEqual({
      calendarId: 'europe-paris',
      calendarVersion: 1,
      policyVersion: 'test-1',
      firstResponseTargetMs: 8 * 3_600_000,
      firstResponseDueAt: '2026-03-09T15:00:00.000Z', // Friday 16:00 Paris + 8 h → Monday 16:00
    }));

  it("R10: the policy's region of the tenant, or a region given, chooses the calendar", () => {
    const at = new Date('2026-03-16T14:00:00Z');
    expect(sla.termsFor({ tenant: 'globex.example', priority: 'P1', openedAt: at })).toMatchObject({
      calendarId: 'america-new-york',
      region: 'amer',
    });
    expect(sla.termsFor({ tenant: 'acme.example', region: 'amer', priority: 'P1', openedAt: at })).toMatchObject({
      calendarId: 'america-new-york',
      region: 'amer',
    });
    expect(sla.termsFor({ tenant: 'acme.example', region: 'mars', priority: 'P1', openedAt: at })).toMatchObject({
      calendarId: 'europe-paris',
      region: 'mars',
    });
  });

  it('loads the shipped files; a bad policy stops the start with one line naming the file', () => {
    expect(
      SlaService.load({ calendarsDir: join(config, 'calendars'), policyFile: join(config, 'sla-policy.json') }).policy
        .version,
    ).toBe(1);
    const dir = mkdtempSync(join(tmpdir(), 'sla-'));
    try {
      const file = join(dir, 'sla.json');
      writeFileSync(file, JSON.stringify({ version: 1, firstResponseBusinessDays: { P1: 1 } }));
      expect(() => SlaService.load({ calendarsDir: join(config, 'calendars'), policyFile: file })).toThrow(
        InvalidSlaPolicy,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
