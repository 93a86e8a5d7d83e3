import { Body, Controller, HttpCode, Logger, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { ProblemDetailsDto } from '../../../shared/interface/api-problems.decorator';
import { PROBLEM_CONTENT_TYPE } from '../../../shared/interface/problem-details';
import { Public } from '../../../shared/interface/public.decorator';
import {
  CSP_REPORT_BODY_LIMIT_BYTES,
  CSP_REPORT_CONTENT_TYPES,
  CSP_REPORT_PATH,
  CSP_REPORTS_PER_MINUTE,
  violationsOf,
} from '../domain/csp-report';

/** A problem+json answer of this endpoint, documented. */
const ApiProblemAnswer = (status: number, description: string) =>
  ApiResponse({
    status,
    description,
    content: {
      [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } },
    },
  });

/**
 * Accepts CSP violation reports and logs what is safe of them: the directive, the blocked
 * resource's origin and the document's path (never query strings, samples or anything else a
 * page could put there). Browsers send reports without credentials, so the endpoint is public;
 * anyone can post here, so it has a rate limit of its own and the body is bounded.
 */
@Public()
@ApiTags('security')
@ApiExtraModels(ProblemDetailsDto)
@Controller(CSP_REPORT_PATH.slice(1))
export class CspReportController {
  private readonly logger = new Logger('CspReport');

  /**
   * Receives Content-Security-Policy violation reports from browsers, either legacy
   * `application/csp-report` bodies or Reporting API `application/reports+json` batches
   * (at most 8 KiB). Answers 204 whatever the report says.
   */
  @Post()
  @HttpCode(204)
  @Throttle({ default: { limit: CSP_REPORTS_PER_MINUTE, ttl: 60_000 } })
  @ApiOperation({ operationId: 'reportCspViolation' })
  @ApiConsumes(...CSP_REPORT_CONTENT_TYPES, 'application/json')
  @ApiBody({
    description: 'A CSP violation report as browsers send it.',
    schema: {
      oneOf: [
        {
          type: 'object',
          description: 'application/csp-report',
          properties: { 'csp-report': { type: 'object', additionalProperties: true } },
          example: {
            'csp-report': {
              'document-uri': 'https://api.example/docs',
              'blocked-uri': 'https://cdn.example/x.js',
              'effective-directive': 'script-src-elem',
            },
          },
        },
        {
          type: 'array',
          description: 'application/reports+json',
          // Bounds implied by the body limit: `[{},{}]` is the densest array (3 bytes an item).
          maxItems: Math.floor((CSP_REPORT_BODY_LIMIT_BYTES - 1) / 3),
          items: {
            type: 'object',
            properties: {
              type: {
                type: 'string',
                maxLength: CSP_REPORT_BODY_LIMIT_BYTES,
                example: 'csp-violation',
              },
              body: { type: 'object', additionalProperties: true },
            },
          },
        },
      ],
    },
  })
  @ApiNoContentResponse({ description: 'Received (and logged when it describes a violation).' })
  @ApiProblemAnswer(400, 'The body is not valid JSON.')
  @ApiProblemAnswer(413, 'The report is larger than 8 KiB.')
  @ApiProblemAnswer(415, 'Not a report content type.')
  @ApiProblemAnswer(429, 'Too many reports from this address; retry after `Retry-After` seconds.')
  receive(@Body() body: unknown): void {
    for (const violation of violationsOf(body)) {
      this.logger.warn({ cspViolation: violation }, 'Content-Security-Policy violation reported');
    }
  }
}
