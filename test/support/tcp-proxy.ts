import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server, to make it fail on demand in tests:
 * - `pause()` stops forwarding bytes both ways (a hung server: connections open, nothing answers),
 *   `resume()` lets what was held through;
 * - `kill()` destroys every connection and refuses new ones (a dead server), `restore()` accepts
 *   connections again on the same port;
 * - `close()` ends it all.
 */
export interface TcpProxy {
  readonly port: number;
  /** Connections accepted since start (each one a new connection to the target). */
  readonly connectionsTotal: number;
  pause(): void;
  resume(): void;
  kill(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let paused = false;
  let listening = false;
  let connectionsTotal = 0;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (paused) socket.pause();
  };

  const server: Server = createServer((client) => {
    connectionsTotal++;
    const upstream = connect(targetPort, targetHost);
    track(client);
    track(upstream);
    // 'data' listeners rather than pipe(): pause() on the socket then really stops reading, and
    // nothing in a pipe resumes it behind our back.
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        listening = true;
        resolve();
      });
    });

  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });

  await listen(0);
  const { port } = server.address() as { port: number };

  return {
    port,
    get connectionsTotal() {
      return connectionsTotal;
    },
    pause() {
      paused = true;
      for (const socket of sockets) socket.pause();
    },
    resume() {
      paused = false;
      for (const socket of sockets) socket.resume();
    },
    kill: stopListening,
    async restore() {
      paused = false;
      if (!listening) await listen(port);
    },
    async close() {
      paused = false;
      await stopListening();
    },
  };
}
