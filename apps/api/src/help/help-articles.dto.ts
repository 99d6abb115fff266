import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ARTICLE_LANGUAGES, MAX_ARTICLE_BODY, MAX_ARTICLE_TITLE } from '@app/case-domain';
import { MAX_HELP_SEARCH_RESULTS } from '@app/read-models';
import { IsLogPosition } from '../http/validation';

/** An article id as `parseArticle` takes it (lower-cased there): letters, digits and inner hyphens. */
export const ARTICLE_ID = /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/i;
/** A product or problem category id as `parseArticle` takes it (lower-cased there). */
const LIST_ID = /^[a-z0-9][a-z0-9._:-]{0,99}$/i;
/** Longest search text: a whole problem description; only its first 32 words are searched. */
export const MAX_HELP_QUERY = 2_000;
export const DEFAULT_HELP_SEARCH_LIMIT = 10;

// ── requests ───────────────────────────────────────────────────────────────

/** The whole article but its id: `PUT /v1/help/articles/{id}` (a revision replaces it all). */
export class ArticleContentRequest {
  @ApiProperty({ enum: ARTICLE_LANGUAGES, description: 'fixed at creation: a translation is another article' })
  @IsIn(ARTICLE_LANGUAGES)
  readonly language!: string;

  @ApiProperty({ maxLength: MAX_ARTICLE_TITLE, example: 'Reset your administrator password when you cannot sign in' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_ARTICLE_TITLE)
  readonly title!: string;

  @ApiProperty({
    maxLength: MAX_ARTICLE_BODY,
    description: 'Markdown',
    example: '## Steps\n1. Go to the sign-in page…',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_ARTICLE_BODY)
  readonly body!: string;

  @ApiProperty({ type: [String], example: ['cloud-identity'], description: 'the products it is about; at least one' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(LIST_ID, { each: true, message: 'each product must be a lower-case id such as cloud-identity' })
  readonly products!: string[];

  @ApiProperty({
    type: [String],
    example: ['passwords'],
    description: 'problem categories (sso, passwords, billing…); may be empty',
  })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(LIST_ID, { each: true, message: 'each problem category must be a lower-case id such as sso' })
  readonly problemCategories!: string[];

  @ApiProperty({ description: 'false: kept, but neither searched nor shown to anyone but supervisors' })
  @IsBoolean()
  readonly published!: boolean;
}

/** `PUT /v1/help/articles/{id}`: the id may be repeated in the body, and must then be the path's. */
export class ReviseArticleRequest extends ArticleContentRequest {
  @ApiPropertyOptional({ example: 'admin-password-recovery-en', description: 'if given, the id of the path' })
  @IsOptional()
  @IsString()
  @Matches(ARTICLE_ID)
  readonly id?: string;
}

/** `POST /v1/help/articles`: the whole article. */
export class CreateArticleRequest extends ArticleContentRequest {
  @ApiProperty({
    example: 'admin-password-recovery-en',
    description: 'a slug (lower-case letters, digits, inner hyphens), by convention ending in its language',
  })
  @IsString()
  @Matches(ARTICLE_ID)
  readonly id!: string;
}

const AFTER =
  "a write's x-log-position: wait (at most 2 s) until the search includes that write (`caughtUp` says whether it did)";

export class HelpSearchQuery {
  @ApiProperty({
    maxLength: MAX_HELP_QUERY,
    example: 'forgot admin password',
    description: 'a few words or a whole problem description',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_HELP_QUERY)
  q!: string;

  @ApiProperty({
    enum: ARTICLE_LANGUAGES,
    description: 'the reader’s language: its articles come first, the other’s fill the rest',
  })
  @IsIn(ARTICLE_LANGUAGES)
  language!: string;

  @ApiPropertyOptional({ example: 'cloud-identity', description: 'only articles about this product' })
  @IsOptional()
  @IsString()
  @Matches(LIST_ID)
  product?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_HELP_SEARCH_RESULTS, default: DEFAULT_HELP_SEARCH_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HELP_SEARCH_RESULTS)
  limit?: number;

  @ApiPropertyOptional({ description: AFTER }) @IsOptional() @IsLogPosition() after?: number;
}

export class ArticleRevisionQuery {
  @ApiPropertyOptional({ minimum: 1, description: 'a revision number: the article as that revision left it' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  version?: number;
}

// ── responses ──────────────────────────────────────────────────────────────

export class HelpSearchHitResponse {
  @ApiProperty({ example: 'admin-password-recovery-en' }) articleId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ example: '/v1/help/articles/admin-password-recovery-en' }) url!: string;
  @ApiProperty({ description: 'the rank for this query (six significant digits); comparable within one language' })
  score!: number;
  @ApiProperty({ enum: ARTICLE_LANGUAGES }) language!: string;
  @ApiProperty({ description: 'the revision found: `GET {url}?version=` reads it back' }) version!: number;
}

export class HelpSearchResponse {
  @ApiProperty({
    type: [HelpSearchHitResponse],
    description: 'published articles only, best first, those in `language` first',
  })
  items!: HelpSearchHitResponse[];
  @ApiProperty({ description: 'false when `after` was given and the search had not reached it within 2 s' })
  caughtUp!: boolean;
}

export class ArticleResponse {
  @ApiProperty({ example: 'admin-password-recovery-en' }) id!: string;
  @ApiProperty({ enum: ARTICLE_LANGUAGES }) language!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'Markdown' }) body!: string;
  @ApiProperty({ type: [String] }) products!: string[];
  @ApiProperty({ type: [String] }) problemCategories!: string[];
  @ApiProperty() published!: boolean;
  @ApiProperty({ description: 'the revision number: 1 at creation, then 2, 3…' }) version!: number;
  @ApiProperty({ format: 'date-time', description: 'when this revision was written' }) revisedAt!: string;
}
