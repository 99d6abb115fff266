import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

class ProblemFieldDto {
  @ApiProperty({ description: 'the failing field, nested ones with dots', example: 'impact.scope' })
  field!: string;

  @ApiProperty({ type: [String], example: ['scope must be one of the following values: one-user, several-users'] })
  messages!: string[];
}

/**
 * The body of every error answer (RFC 9457 `application/problem+json`), as
 * `http/problem-details.filter.ts` writes it: documentation only. One shared component
 * (`#/components/schemas/Problem`) that every documented 4xx and 503 response refers to.
 */
@ApiSchema({
  name: 'Problem',
  description:
    'RFC 9457 problem details. `code` is stable and says which rule or check refused; other members may be added (e.g. the report of a broken audit chain).',
})
export class ProblemDocument {
  @ApiProperty({
    format: 'uri',
    description: 'identifies the kind of problem (derived from `code`)',
    example: 'https://support-backend.dev/problems/case-credit-already-issued',
  })
  type!: string;

  @ApiProperty({ description: 'the HTTP reason phrase of `status`', example: 'Conflict' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 409 })
  status!: number;

  @ApiProperty({ description: 'a sentence for a person: what was refused and why' })
  detail!: string;

  @ApiProperty({
    description: 'stable machine-readable code: `CASE.*`, `AUTH.*`, `HTTP.*`, `WRITE.CONTENTION`, …',
    example: 'CASE.CREDIT_ALREADY_ISSUED',
  })
  code!: string;

  @ApiPropertyOptional({
    description: 'the request path',
    example: '/v1/cases/0b9f3e0c-3f4e-4d55-9d47-5d1f2a9e4b11/credits',
  })
  instance?: string;

  @ApiPropertyOptional({ description: 'the X-Correlation-Id of the request, when it carried one' })
  correlationId?: string;

  @ApiPropertyOptional({ description: 'whether sending the same request again later can succeed' })
  retriable?: boolean;

  @ApiPropertyOptional({ type: [ProblemFieldDto], description: '400 only: every failing field' })
  errors?: ProblemFieldDto[];
}
