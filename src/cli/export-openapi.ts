import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { readFileSync, writeFileSync } from 'node:fs';
import { AppModule } from '../app.module';
import { buildOpenApiDocument } from '../bootstrap/openapi';

/**
 * Writes the OpenAPI document (the same one /docs-json serves) to a file, or with --check fails
 * when the committed file is stale. Boots the module graph in preview mode: no database needed.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const target = args.find((a) => !a.startsWith('--')) ?? 'docs/openapi.json';
  const app = await NestFactory.create(
    AppModule.register({ dataSource: 'direct' }),
    new FastifyAdapter(),
    {
      preview: true,
      logger: false,
    },
  );
  const document = buildOpenApiDocument(app);
  const sorted = {
    ...document,
    paths: sortKeys(document.paths),
    components: { ...document.components, schemas: sortKeys(document.components?.schemas ?? {}) },
  };
  const text = `${JSON.stringify(sorted, null, 2)}\n`;
  await app.close();
  if (check) {
    let committed = '';
    try {
      committed = readFileSync(target, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (committed !== text) {
      console.error(`${target} is stale: run \`npm run openapi\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${target} is up to date.`);
    return;
  }
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}

function sortKeys<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) as T;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
