import { spawnSync } from 'node:child_process';

/**
 * Whether a Redis answers at `url`, decided before the tests are declared (jest declares tests
 * synchronously): a child process sends PING and waits at most 1.5 s (NOAUTH also means a Redis
 * is there).
 */
export function redisReachable(url: string): boolean {
  const { hostname, port } = new URL(url);
  const probe = `
    const socket = require('node:net').connect(${Number(port || 6379)}, ${JSON.stringify(hostname || '127.0.0.1')});
    const done = (ok) => { socket.destroy(); process.exit(ok ? 0 : 1); };
    socket.setTimeout(1500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\\r\\n'));
    socket.on('data', (d) => done(/^(\\+PONG|-NOAUTH|-ERR)/.test(d.toString())));
  `;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 3000 }).status === 0;
}
