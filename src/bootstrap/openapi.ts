import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Symptom diary chat API')
    .setDescription(
      'Ask plain-English questions about a symptom diary kept in PostgreSQL. ' +
        'Errors are RFC 9457 problem+json bodies with a stable `code` and the `requestId`.',
    )
    .setVersion('0.1.0')
    .setLicense('UNLICENSED', 'about:blank')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addTag(
      'auth',
      'Sign in (POST /api/auth/login), refresh, sign out; then Authorize with the access token',
    )
    .addTag('admin', 'Users, for admins')
    .addTag('symptoms', 'The diary entries and the symptom catalog')
    .addTag('health', 'Liveness and readiness probes')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /docs, the document at /docs-json. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
