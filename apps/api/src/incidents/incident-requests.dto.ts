import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsISO8601, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

export class DeclareIncidentRequest {
  @ApiProperty({ maxLength: 200 }) @IsString() @IsNotEmpty() @MaxLength(200) title!: string;
  @ApiProperty({ example: ['sso', 'directory'], description: 'the services it hits' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ArrayUnique()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { each: true, message: 'each service must be a lower-case id such as sso' })
  services!: string[];
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }) startedAt!: string;
}

export class ResolveIncidentRequest {
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }) endedAt!: string;
}

export class IncidentViewResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['ongoing', 'resolved'] }) status!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [String] }) services!: string[];
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) endedAt?: string;
  @ApiProperty() version!: number;
}

export class IncidentListResponse {
  @ApiProperty({ type: [IncidentViewResponse] }) items!: IncidentViewResponse[];
}
