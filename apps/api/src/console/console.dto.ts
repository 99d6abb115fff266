import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';

/** The roles the console's local sign-in offers (customer admins without the privilege and the system have no console). */
export const CONSOLE_ROLES = ['agent', 'supervisor', 'auditor', 'support-admin'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** The scope the console asks an OpenID Connect issuer for. */
export const CONSOLE_OIDC_SCOPE = 'openid profile email';

export class ConsoleConfigResponse {
  @ApiProperty({
    enum: ['local', 'oidc'],
    description:
      '`local`: POST /v1/console/sign-in mints a token; `oidc`: the authorization-code flow with PKCE at `issuer`',
  })
  signIn!: 'local' | 'oidc';
  @ApiPropertyOptional({ enum: CONSOLE_ROLES, isArray: true, description: 'local: the roles one may sign in as' })
  roles?: ConsoleRole[];
  @ApiPropertyOptional({
    description: 'oidc: the issuer (OIDC_ISSUER)',
    example: 'https://login.example.com/realms/support',
  })
  issuer?: string;
  @ApiPropertyOptional({ description: 'oidc: the console’s client id (OIDC_CLIENT_ID)', example: 'support-console' })
  clientId?: string;
  @ApiPropertyOptional({ description: 'oidc: the scope to ask for', example: CONSOLE_OIDC_SCOPE })
  scope?: string;
}

const VENDOR = /^[a-z0-9][a-z0-9._:-]{0,99}$/;
const LANGUAGE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;
const REGION = /^[a-z0-9][a-z0-9._-]{0,49}$/i;
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

/**
 * Whom to sign in as (local mode): the claims `npm run token` signs for the role. Fields that
 * do not apply to the role are left out of the token.
 */
export class ConsoleSignInRequest {
  @ApiProperty({ enum: CONSOLE_ROLES })
  @IsIn(CONSOLE_ROLES)
  role!: ConsoleRole;

  @ApiProperty({ example: 'eve@north.example', description: 'the e-mail address, also the subject (`sub`)' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ example: 'Eve Martin', description: 'the display name customers are shown of staff' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ example: 'north-desk', description: 'agent (required): the vendor they work for' })
  @IsOptional()
  @Matches(VENDOR, { message: 'vendor must be a vendor id such as north-desk' })
  vendor?: string;

  @ApiPropertyOptional({ example: ['fr', 'en'], description: 'agent (required): the languages they speak' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(LANGUAGE, { each: true, message: 'each of languages must be a language tag such as fr or en-GB' })
  languages?: string[];

  @ApiPropertyOptional({ example: ['emea'], description: 'agent (required): the regions they cover' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(REGION, { each: true, message: 'each of regions must be a region id such as emea' })
  regions?: string[];

  @ApiPropertyOptional({
    example: 'acme.example',
    description: "support-admin: the organisation's domain (default: the e-mail address's domain)",
  })
  @IsOptional()
  @Matches(DOMAIN, { message: 'org must be a domain such as acme.example' })
  @MaxLength(253)
  org?: string;
}

export class ConsoleSignInResponse {
  @ApiProperty({ description: 'a local bearer token (HS256), as `npm run token` prints it' })
  token!: string;
  @ApiProperty({ example: '2026-03-02T17:00:00.000Z', description: 'when it expires (8 hours after signing in)' })
  expiresAt!: string;
}
