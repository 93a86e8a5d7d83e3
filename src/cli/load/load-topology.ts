import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repositoryRoot, startTopology } from '../support/native-topology';

/**
 * The stack the load test drives: the native topology of the nginx test (the real docker/nginx/
 * configuration, TLS with a throwaway CA, two API instances as `node dist/src/main.js`), with the
 * instances on the load diary and a shared Redis (rate limits, response cache, conversations), as
 * docker/compose.yml runs them.
 */

export interface LoadTopology {
  /** https://127.0.0.1:<port>, nginx. */
  baseUrl: string;
  /** PEM of the CA nginx's certificate is signed by. */
  ca: string;
  apis: { pid: number; port: number }[];
  nginxPid: number;
  stop(): Promise<void>;
}

/** The API instances' NODE_OPTIONS in docker/compose.yml (heap sizes): measured as deployed. */
export function composeApiNodeOptions(): string {
  const compose = parse(readFileSync(join(repositoryRoot(), 'docker', 'compose.yml'), 'utf8')) as {
    'x-api'?: { environment?: Record<string, unknown> };
  };
  const value = compose['x-api']?.environment?.NODE_OPTIONS;
  if (typeof value !== 'string') throw new Error('docker/compose.yml: x-api has no NODE_OPTIONS');
  return value;
}

export async function startLoadTopology(options: {
  databaseUrl: string;
  redisUrl: string;
  env: Record<string, string>;
}): Promise<LoadTopology> {
  const topology = await startTopology({
    apiEnv: {
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      NODE_OPTIONS: composeApiNodeOptions(),
      ...options.env,
    },
    readyTimeoutMs: 90_000,
  });
  return {
    baseUrl: topology.httpsUrl,
    ca: topology.caPem,
    apis: topology.apis.map((api) => ({ pid: api.pid, port: api.port })),
    nginxPid: topology.nginxPid,
    stop: () => topology.stop(),
  };
}
