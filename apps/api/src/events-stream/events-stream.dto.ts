import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsLogPosition } from '../http/validation';

export class EventStreamQuery {
  @ApiPropertyOptional({
    description:
      'resume after this global position (an event `id` the client was sent, or a progress `position`); ' +
      '`0`: from the start of the log. The `Last-Event-ID` header, when sent, wins. Neither: only new events',
    example: 1234,
  })
  @IsOptional()
  @IsLogPosition()
  after?: number;
}
