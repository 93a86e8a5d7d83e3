'use strict';
/* global process */
// The image's HEALTHCHECK: asks the running service whether it is ready, not only alive.
// ROLE=api (default): GET http://127.0.0.1:$PORT/health/ready (database, Redis, bridge).
// ROLE=bridge: GET https://127.0.0.1:$BRIDGE_PORT/health/ready (the diary database); plain HTTP
// when BRIDGE_ALLOW_PLAINTEXT=true and no BRIDGE_TLS_CERT. With mutual TLS (BRIDGE_TLS_CLIENT_CA)
// it presents HEALTHCHECK_CLIENT_CERT / HEALTHCHECK_CLIENT_KEY (default BRIDGE_CLIENT_CERT / _KEY).
// The server's certificate is not verified: this is a loopback self-check, nothing is sent.
// HEALTHCHECK_PATH overrides the path (e.g. /health/live to ignore dependencies).
// Exit 0 healthy, 1 not (Docker's contract). No dependency: Node's http/https only.
const { readFileSync } = require('node:fs');
const http = require('node:http');
const https = require('node:https');

const env = process.env;
const role = env.ROLE === 'bridge' ? 'bridge' : 'api';
const path = env.HEALTHCHECK_PATH || '/health/ready';
const timeoutMs = Number(env.HEALTHCHECK_TIMEOUT_MS || 4000);

function target() {
  if (role === 'api') return { client: http, port: Number(env.PORT || 3000), options: {} };
  const port = Number(env.BRIDGE_PORT || 4000);
  const plaintext = env.BRIDGE_ALLOW_PLAINTEXT === 'true' && !env.BRIDGE_TLS_CERT;
  if (plaintext) return { client: http, port, options: {} };
  const options = { rejectUnauthorized: false };
  const cert = env.HEALTHCHECK_CLIENT_CERT || env.BRIDGE_CLIENT_CERT;
  const key = env.HEALTHCHECK_CLIENT_KEY || env.BRIDGE_CLIENT_KEY;
  if (cert && key) {
    options.cert = readFileSync(cert);
    options.key = readFileSync(key);
  }
  return { client: https, port, options };
}

function fail(reason) {
  process.stderr.write(`unhealthy: ${reason}\n`);
  process.exit(1);
}

try {
  const { client, port, options } = target();
  const request = client.get(
    {
      host: '127.0.0.1',
      port,
      path,
      timeout: timeoutMs,
      headers: { 'x-request-id': 'healthcheck' },
      ...options,
    },
    (response) => {
      response.resume();
      if (response.statusCode === 200) {
        process.stdout.write(`healthy: ${role} ${path} 200\n`);
        process.exit(0);
      }
      fail(`${role} ${path} answered ${response.statusCode}`);
    },
  );
  request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
  request.on('error', (error) => fail(`${role} ${path}: ${error.message}`));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
