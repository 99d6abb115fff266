import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RequiresAction } from '@app/auth';
import { WEEKDAYS, workingIntervals, type Calendar } from '@app/business-time';
import { CLOCK, type Clock } from '@app/clock';
import { SlaService } from '@app/sla';
import { ApiReadProblems } from '../openapi/api-problems';

const DAY_MS = 86_400_000;

class WorkingIntervalView {
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time' }) end!: string;
}

class WeekView {
  @ApiProperty({ type: [String], example: ['09:00-12:30', '13:30-18:00'] }) mon!: string[];
  @ApiProperty({ type: [String] }) tue!: string[];
  @ApiProperty({ type: [String] }) wed!: string[];
  @ApiProperty({ type: [String] }) thu!: string[];
  @ApiProperty({ type: [String] }) fri!: string[];
  @ApiProperty({ type: [String], example: [] }) sat!: string[];
  @ApiProperty({ type: [String], example: [] }) sun!: string[];
}

class CalendarView {
  @ApiProperty({ example: 'europe-paris' }) id!: string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }], example: 3 }) version!: number | string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'Europe/Paris', description: 'the IANA time zone its hours are in' }) timeZone!: string;
  @ApiProperty({ type: WeekView, description: 'the working hours of each weekday, local time; [] for a day off' })
  week!: WeekView;
  @ApiProperty({
    type: [WorkingIntervalView],
    description: 'its working time over the next 24 hours from `from`, in UTC: holidays and time-zone changes applied',
  })
  next24h!: WorkingIntervalView[];
}

export class CalendarListResponse {
  @ApiProperty({ format: 'date-time', description: 'now: the start of every next24h' }) from!: string;
  @ApiProperty({ type: [CalendarView] }) items!: CalendarView[];
}

const viewOf = (c: Calendar, from: Date): CalendarView => ({
  id: c.id,
  version: c.version,
  name: c.name,
  timeZone: c.timeZone,
  week: Object.fromEntries(
    WEEKDAYS.map((d) => [d, c.week[d].map((h) => `${h.start}-${h.end}`)]),
  ) as unknown as WeekView,
  next24h: workingIntervals(from, new Date(from.getTime() + DAY_MS), c).map((i) => ({
    start: i.start.toISOString(),
    end: i.end.toISOString(),
  })),
});

/**
 * The business calendars the app loaded (CALENDARS_DIR, R10): each one's week and its working
 * time over the next 24 hours, for the console's follow-the-sun strip of the vendors at work.
 */
@ApiTags('vendors')
@ApiBearerAuth()
@Controller('v1/calendars')
export class CalendarsController {
  constructor(
    @Inject(SlaService) private readonly sla: SlaService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @RequiresAction('calendar.read')
  @ApiOperation({
    summary:
      'The business calendars: id, version, time zone, the week’s working hours, and the working time of the next 24 hours in UTC',
  })
  @ApiOkResponse({ type: CalendarListResponse })
  @ApiReadProblems()
  list(): CalendarListResponse {
    const from = this.clock.now();
    return { from: from.toISOString(), items: [...this.sla.calendars.values()].map((c) => viewOf(c, from)) };
  }
}
