import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';

/** What the transport needs from the bridge client configuration (src/config). */
export interface BridgeTransportConfig {
  readonly url?: string;
  readonly caFile?: string;
  readonly clientCertFile?: string;
  readonly clientKeyFile?: string;
  readonly timeoutMs: number;
  readonly connections: number;
  readonly allowPlaintext: boolean;
}

/** Idle keep-alive connections are kept this long (the bridge's hint may shorten it). */
const KEEP_ALIVE_MS = 30_000;
/** Upper bound on a keep-alive hint sent by the bridge. */
const KEEP_ALIVE_MAX_MS = 60_000;

/**
 * The pooled keep-alive connections to the one bridge origin. A class so that it is its own DI
 * token: the executor and the probe share it, and the module closes it on shutdown.
 */
export class BridgeTransport {
  constructor(
    /** `https://host:port`, no path. */
    readonly origin: string,
    readonly dispatcher: Dispatcher,
  ) {}

  private closing?: Promise<void>;

  /** Lets in-flight calls finish (each bounded by its timeout), then closes the connections. */
  close(): Promise<void> {
    this.closing ??= this.dispatcher.close();
    return this.closing;
  }
}

/** Reads a PEM file named by the configuration, saying which variable was wrong if it fails. */
function readPem(variable: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(
      `${variable}: cannot read ${file} (${typeof code === 'string' ? code : 'error'})`,
      { cause: error },
    );
  }
}

/**
 * Builds the transport from the configuration. HTTPS with TLS 1.2 or later, trusting only
 * BRIDGE_CA when it is given (the system CAs otherwise), presenting the client certificate when
 * one is configured (mutual TLS); plain http only with BRIDGE_ALLOW_PLAINTEXT, for local
 * development. Throws at start-up rather than send a diary query over a weaker channel.
 */
export function createBridgeTransport(config: BridgeTransportConfig): BridgeTransport {
  if (!config.url) throw new Error('BRIDGE_URL is required for DATA_SOURCE=bridge');
  const url = new URL(config.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error('BRIDGE_URL must be an https:// URL');
  }
  if (url.protocol === 'http:' && !config.allowPlaintext) {
    throw new Error(
      'BRIDGE_URL is plain http: use https, or set BRIDGE_ALLOW_PLAINTEXT=true (development only)',
    );
  }
  if (Boolean(config.clientCertFile) !== Boolean(config.clientKeyFile)) {
    throw new Error('BRIDGE_CLIENT_CERT and BRIDGE_CLIENT_KEY go together');
  }
  const tls =
    url.protocol === 'https:'
      ? {
          minVersion: 'TLSv1.2' as const,
          rejectUnauthorized: true,
          ...(config.caFile ? { ca: readPem('BRIDGE_CA', config.caFile) } : {}),
          ...(config.clientCertFile && config.clientKeyFile
            ? {
                cert: readPem('BRIDGE_CLIENT_CERT', config.clientCertFile),
                key: readPem('BRIDGE_CLIENT_KEY', config.clientKeyFile),
              }
            : {}),
        }
      : {};
  const pool = new Pool(url.origin, {
    connections: config.connections,
    // HTTP/1.1 keep-alive: one request per connection at a time, connections reused.
    allowH2: false,
    pipelining: 1,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MAX_MS,
    // Each call is also bounded as a whole by the executor's own signal; these catch a
    // connection or a response that stalls.
    headersTimeout: config.timeoutMs,
    bodyTimeout: config.timeoutMs,
    connect: { ...tls, timeout: config.timeoutMs },
  });
  return new BridgeTransport(url.origin, pool);
}
