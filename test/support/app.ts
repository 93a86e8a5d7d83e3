import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/bootstrap/create-app';

export interface RunningApp {
  readonly app: NestFastifyApplication;
  readonly baseUrl: string;
  get(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Boots the real application (same adapter, pipe, filter and Swagger as main.ts) on a free
 * loopback port with the given environment, and talks to it over HTTP.
 */
export async function startApp(env: Record<string, string>): Promise<RunningApp> {
  Object.assign(process.env, { LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env });
  const app = await createApp({ logger: false });
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    baseUrl,
    get: (path, init) => fetch(`${baseUrl}${path}`, init),
    close: () => app.close(),
  };
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: { name: string; reason: string }[];
}
