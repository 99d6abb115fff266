import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, MaxLength, MinLength } from 'class-validator';

const ID = /^[a-z0-9][a-z0-9._:-]{0,99}$/i;
const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;

/** The vendor's details (R16); PUT /v1/vendors/{id} takes the same without `id`. */
export class VendorDetailsRequest {
  @ApiProperty({ example: 'North Desk (Paris)' }) @IsString() @MinLength(1) @MaxLength(200) readonly name!: string;
  @ApiProperty({ example: ['fr', 'en'], description: 'BCP 47 language tags; `fr` also takes `fr-CA` cases' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(LANGUAGE, { each: true })
  readonly languages!: string[];
  @ApiProperty({ example: ['emea'], description: 'the customer regions it covers (a routing tie-break)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(ID, { each: true })
  readonly regions!: string[];
  @ApiProperty({ example: 'europe-paris', description: 'its working calendar: a calendar of CALENDARS_DIR' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,99}$/)
  readonly calendarId!: string;
}

export class RegisterVendorRequest extends VendorDetailsRequest {
  @ApiProperty({ example: 'north-desk', description: 'the id agents’ tokens carry as `vendor`' })
  @IsString()
  @Matches(ID)
  readonly id!: string;
}

export class VendorResponse {
  @ApiProperty({ example: 'north-desk' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) languages!: string[];
  @ApiProperty({ type: [String] }) regions!: string[];
  @ApiProperty() calendarId!: string;
  @ApiProperty({ description: 'whether its calendar says it is at work now (follow-the-sun)' }) atWork!: boolean;
}

export class VendorListResponse {
  @ApiProperty({ type: [VendorResponse] }) items!: VendorResponse[];
}
