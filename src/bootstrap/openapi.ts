import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { HeadersObject, ResponseObject } from '@nestjs/swagger';
import { isUnthrottledPath } from '../modules/security/domain/rate-limit';
import { PROBLEM_CONTENT_TYPE } from '../shared/interface/problem-details';
import { RATE_LIMIT_HEADERS, RETRY_AFTER_HEADER } from '../shared/interface/api-problems.decorator';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Symptom diary chat API')
    .setDescription(
      'Ask plain-English questions about a symptom diary kept in PostgreSQL. ' +
        'Errors are RFC 9457 problem+json bodies with a stable `code` and the `requestId`.',
    )
    .setVersion('0.1.0')
    .setLicense('UNLICENSED', 'about:blank')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'Access token from POST /api/auth/login: a JWT handled as RFC8725 (JWT Best Current ' +
          'Practices) recommends: HS256 only (other algorithms, `none` included, are refused), ' +
          'issuer and audience checked, `exp` required.',
      },
      'bearer',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description:
          'GET /metrics only: the METRICS_TOKEN of the deployment, when one is set (Prometheus ' +
          'sends it). An opaque shared secret compared in constant time, not an access token and ' +
          'not a JWT (RFC8725 does not apply).',
      },
      'metricsToken',
    )
    .addTag(
      'auth',
      'Sign in (POST /api/auth/login), refresh, sign out; then Authorize with the access token',
    )
    .addTag('admin', 'Users, for admins')
    .addTag('symptoms', 'The diary entries and the symptom catalog')
    .addTag('health', 'Liveness and readiness probes')
    .addTag('operations', 'For operators: Prometheus metrics, captured errors (admin)')
    .build();
  return withRateLimitAnswers(SwaggerModule.createDocument(app, config));
}

const ADDRESS_BLOCKED =
  'The client address is blocked for a while after suspicious requests (code ' +
  '`ABUSE.ADDRESS_BLOCKED`); retry after `Retry-After` seconds.';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The rate limit applies to every route but the probes (`isUnthrottledPath`): every 2xx and 4xx
 * answer of a counted route carries the `X-RateLimit-*` headers, and any of them can be a 429,
 * or a 403 when the abuse detection has blocked the client's address.
 */
function withRateLimitAnswers(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    if (isUnthrottledPath(path)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const responses = operation.responses as Record<string, ResponseObject>;
      responses['429'] ??= {
        description: 'Over the rate limit; retry after `Retry-After` seconds.',
        content: {
          [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } },
        },
      };
      // The abuse detection refuses a blocked address on every counted route (docs/security.md).
      const forbidden = responses['403'];
      if (forbidden) {
        // A copy: operations may share one response object (class-level decorators).
        if (!forbidden.description.includes(ADDRESS_BLOCKED)) {
          responses['403'] = {
            ...forbidden,
            description: `${forbidden.description} Or: ${ADDRESS_BLOCKED}`,
          };
        }
      } else {
        responses['403'] = {
          description: ADDRESS_BLOCKED,
          content: {
            [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } },
          },
        };
      }
      for (const [status, response] of Object.entries(responses)) {
        if (!/^[24]/.test(status)) continue;
        const headers: HeadersObject = { ...RATE_LIMIT_HEADERS, ...response.headers };
        if (status === '429' || status === '403') Object.assign(headers, RETRY_AFTER_HEADER);
        response.headers = headers;
      }
    }
  }
  return document;
}

/** Swagger UI at /docs, the document at /docs-json. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
