import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files made for one test run (paths), with their contents where a client needs them. */
export interface TestPki {
  readonly dir: string;
  /** The CA that signed both certificates below. */
  readonly caCert: string;
  /** Server certificate for 127.0.0.1 and localhost, and its key. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** Client certificate (clientAuth) for mutual TLS, and its key. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** A second CA and a client certificate it signed: a client the bridge must not trust. */
  readonly otherCaCert: string;
  readonly strangerCert: string;
  readonly strangerKey: string;
  /** Reads one of the files above. */
  pem(path: string): string;
  /** Removes the directory and everything in it. */
  cleanup(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A self-signed CA (EC P-256, valid one day). */
function makeCa(dir: string, name: string): void {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-subj',
      `/CN=${name}`,
      '-days',
      '1',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
}

/** A leaf certificate signed by the CA, with the given extensions. */
function makeLeaf(dir: string, ca: string, name: string, extensions: string[]): void {
  writeFileSync(join(dir, `${name}.ext`), `${extensions.join('\n')}\n`);
  openssl(
    [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${name}`,
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.crt`,
      '-CAkey',
      `${ca}.key`,
      '-set_serial',
      `0x${Date.now().toString(16)}${Math.floor(Math.random() * 1e6).toString(16)}`,
      '-days',
      '1',
      '-sha256',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
}

/**
 * For tests and benchmarks of the bridge over real TLS, never for production. Generates, with
 * the openssl CLI into a temporary directory, a CA, a server certificate for
 * 127.0.0.1 and localhost, a client certificate for mutual TLS, and a client certificate from
 * another CA. Call `cleanup()` in afterAll.
 */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'sd-test-pki-'));
  try {
    makeCa(dir, 'test-ca');
    makeCa(dir, 'other-ca');
    const leaf = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature'];
    makeLeaf(dir, 'test-ca', 'bridge-server', [
      ...leaf,
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
    makeLeaf(dir, 'test-ca', 'bridge-client', [...leaf, 'extendedKeyUsage=clientAuth']);
    makeLeaf(dir, 'other-ca', 'stranger', [...leaf, 'extendedKeyUsage=clientAuth']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl failed: ${(error as Error).message}\n${stderr}`, { cause: error });
  }
  const path = (name: string) => join(dir, name);
  return {
    dir,
    caCert: path('test-ca.crt'),
    serverCert: path('bridge-server.crt'),
    serverKey: path('bridge-server.key'),
    clientCert: path('bridge-client.crt'),
    clientKey: path('bridge-client.key'),
    otherCaCert: path('other-ca.crt'),
    strangerCert: path('stranger.crt'),
    strangerKey: path('stranger.key'),
    pem: (file) => readFileSync(file, 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
