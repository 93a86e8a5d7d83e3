import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { type KeyRing, parseKeyRing } from '../../../../../libs/bridge-protocol/src';
import type { BridgeServerConfig } from '../../../../config/configuration';

/** The options of Node's HTTPS server the bridge listens with. */
export interface BridgeHttpsOptions {
  readonly key: Buffer;
  readonly cert: Buffer;
  readonly minVersion: 'TLSv1.2';
  /** Mutual TLS: only clients whose certificate this CA signed complete the handshake. */
  readonly ca?: Buffer;
  readonly requestCert: boolean;
  readonly rejectUnauthorized: boolean;
}

export interface BridgeServerOptions {
  /** Undefined: plain HTTP, only with BRIDGE_ALLOW_PLAINTEXT=true. */
  readonly https?: BridgeHttpsOptions;
  readonly keys: KeyRing;
  /** For the startup log line. */
  readonly transport: 'https' | 'https+mtls' | 'http';
}

/** A configuration the bridge refuses to start with; the message says what to set. */
export class BridgeStartupError extends Error {
  override readonly name = 'BridgeStartupError';
}

type ReadFile = (path: string) => Buffer;

function readPem(variable: string, path: string, readFile: ReadFile): Buffer {
  try {
    return readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new BridgeStartupError(`${variable}: cannot read ${path} (${code})`);
  }
}

/**
 * Checks what the bridge needs before anything listens: keys (it refuses every request without
 * one), and TLS files (it refuses plain HTTP unless BRIDGE_ALLOW_PLAINTEXT=true). Messages name
 * the variables and files, never a secret.
 */
export function resolveBridgeServerOptions(
  config: BridgeServerConfig,
  readFile: ReadFile = (path) => readFileSync(path),
): BridgeServerOptions {
  if (!config.keys) {
    throw new BridgeStartupError(
      'BRIDGE_KEYS is not set: the bridge would refuse every request. Make a key with ' +
        '`npm run bridge:keygen` and set BRIDGE_KEYS=id:secret (or BRIDGE_KEYS_FILE).',
    );
  }
  let keys: KeyRing;
  try {
    keys = parseKeyRing(config.keys);
  } catch (error) {
    // parseKeyRing's messages name entries and ids, never secrets.
    throw new BridgeStartupError((error as Error).message);
  }

  if (!config.tlsCertFile || !config.tlsKeyFile) {
    if (config.tlsClientCaFile) {
      throw new BridgeStartupError(
        'BRIDGE_TLS_CLIENT_CA needs BRIDGE_TLS_CERT and BRIDGE_TLS_KEY: mutual TLS is TLS first.',
      );
    }
    if (!config.allowPlaintext) {
      throw new BridgeStartupError(
        'The bridge serves HTTPS only: set BRIDGE_TLS_CERT and BRIDGE_TLS_KEY (PEM files), or ' +
          'BRIDGE_ALLOW_PLAINTEXT=true on a trusted network for development.',
      );
    }
    return { keys, transport: 'http' };
  }

  const cert = readPem('BRIDGE_TLS_CERT', config.tlsCertFile, readFile);
  const key = readPem('BRIDGE_TLS_KEY', config.tlsKeyFile, readFile);
  const ca = config.tlsClientCaFile
    ? readPem('BRIDGE_TLS_CLIENT_CA', config.tlsClientCaFile, readFile)
    : undefined;
  try {
    // Fails now, with a message naming the variables, rather than inside the HTTP server.
    createSecureContext({ key, cert, ca });
  } catch {
    throw new BridgeStartupError(
      'BRIDGE_TLS_CERT / BRIDGE_TLS_KEY' +
        (ca ? ' / BRIDGE_TLS_CLIENT_CA' : '') +
        ': not a PEM certificate with its matching private key (and CA certificate)',
    );
  }
  return {
    keys,
    transport: ca ? 'https+mtls' : 'https',
    https: {
      key,
      cert,
      minVersion: 'TLSv1.2',
      ...(ca ? { ca } : {}),
      requestCert: ca !== undefined,
      rejectUnauthorized: ca !== undefined,
    },
  };
}
