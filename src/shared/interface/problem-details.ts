import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One invalid input, named. */
export class InvalidParameterDto {
  /** The parameter or field, as the client sent it. */
  @ApiProperty({ example: 'limit' })
  name!: string;

  /** What is wrong with it (never echoes the value). */
  @ApiProperty({ example: 'limit must not be greater than 100' })
  reason!: string;
}

/** An RFC 9457 problem details body (`application/problem+json`). */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'urn:problem-type:request-validation-failed' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'The request has 1 invalid parameter: limit.' })
  detail!: string;

  /** The request path (query strings are left out: they may hold health data). */
  @ApiProperty({ example: '/api/health/symptoms' })
  instance!: string;

  /** Stable machine-readable code. */
  @ApiProperty({ example: 'REQUEST.VALIDATION_FAILED' })
  code!: string;

  /** The request id, also sent as the `x-request-id` header; quote it when reporting a problem. */
  @ApiProperty({ example: '3f8c1f1e-2a76-4a39-9a6e-0c1d2e3f4a5b' })
  requestId!: string;

  @ApiPropertyOptional({ type: [InvalidParameterDto] })
  errors?: InvalidParameterDto[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `urn:problem-type:<code in kebab case>` for a stable code such as `DIARY.TIMEOUT`. */
export function problemType(code: string): string {
  return `urn:problem-type:${code.toLowerCase().replace(/[._]/g, '-')}`;
}
