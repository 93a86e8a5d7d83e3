import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithTools } from '../support/native-tool';
import { createTestPki, TestPki } from '../support/tls';

/**
 * .github/scripts/smoke-test.sh, the deployment's smoke tests, run with real curl and jq against
 * a local HTTPS server that answers like the API (certificate from a test CA, HTTP redirecting
 * to HTTPS). What is checked is the script's verdicts: it passes a healthy deployment, and it
 * fails, saying why, when readiness, sign-in or the diary misbehave, never printing the
 * password or the token.
 */

const SCRIPT = join(__dirname, '..', '..', '.github', 'scripts', 'smoke-test.sh');
const EMAIL = 'smoke@example.org';
const PASSWORD = 'smoke-password-not-a-real-one';
const TOKEN = 'eyJ.smoke-token.sig';

interface Behaviour {
  ready: number;
  /** The diary answers without a token (a broken guard). */
  openDiary: boolean;
  /** Sign-in answers 200 without a token. */
  tokenless: boolean;
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const describeTools = describeWithTools('curl', 'jq', 'openssl');

describeTools('.github/scripts/smoke-test.sh (against a local HTTPS stand-in)', () => {
  let pki: TestPki;
  let https: Server;
  let http: Server;
  let base: string;
  let httpUrl: string;
  const behaviour: Behaviour = { ready: 200, openDiary: false, tokenless: false };

  beforeAll(async () => {
    pki = createTestPki();
    https = createHttpsServer(
      { cert: pki.pem(pki.serverCert), key: pki.pem(pki.serverKey) },
      (req, res) => {
        void (async () => {
          const url = new URL(req.url ?? '/', 'https://localhost');
          if (url.pathname === '/health/ready') return json(res, behaviour.ready, { status: 'x' });
          if (url.pathname === '/api/auth/login' && req.method === 'POST') {
            const { email, password } = JSON.parse(await read(req)) as Record<string, string>;
            if (email !== EMAIL || password !== PASSWORD) return json(res, 401, { code: 'AUTH' });
            return json(
              res,
              200,
              behaviour.tokenless ? {} : { accessToken: TOKEN, expiresIn: 900 },
            );
          }
          if (url.pathname === '/api/health/symptoms') {
            const signedIn = req.headers.authorization === `Bearer ${TOKEN}`;
            if (!signedIn && !behaviour.openDiary) return json(res, 401, { code: 'AUTH' });
            return json(res, 200, { data: [], meta: { total: 0, page: 1, limit: 1 } });
          }
          json(res, 404, {});
        })();
      },
    );
    http = createHttpServer((req, res) => {
      res.writeHead(301, { location: `${base}${req.url ?? '/'}` }).end();
    });
    await Promise.all(
      [https, http].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))),
    );
    base = `https://localhost:${(https.address() as AddressInfo).port}`;
    httpUrl = `http://localhost:${(http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await Promise.all([https, http].map((s) => new Promise((resolve) => s.close(resolve))));
    pki?.cleanup();
  });

  afterEach(() => Object.assign(behaviour, { ready: 200, openDiary: false, tokenless: false }));

  function smoke(
    password = PASSWORD,
  ): Promise<{ status: number | null; output: string; summary: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'smoke-'));
    const summaryFile = join(dir, 'summary.md');
    return new Promise((resolve) => {
      const child = spawn('bash', [SCRIPT], {
        env: {
          PATH: process.env.PATH,
          PUBLIC_URL: base,
          SMOKE_HTTP_URL: httpUrl,
          SMOKE_EMAIL: EMAIL,
          SMOKE_PASSWORD: password,
          SMOKE_READY_ATTEMPTS: '2',
          SMOKE_READY_DELAY: '0',
          CURL_CA_BUNDLE: pki.caCert,
          GITHUB_STEP_SUMMARY: summaryFile,
        },
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('close', (status) => {
        const summary = readFileSync(summaryFile, 'utf8');
        rmSync(dir, { recursive: true, force: true });
        resolve({ status, output, summary });
      });
    });
  }

  it('passes a healthy deployment and reports each check', async () => {
    const { status, output, summary } = await smoke();
    expect({ status, output }).toMatchObject({ status: 0 });
    for (const check of [
      'GET /health/ready 200',
      'HTTP redirects to HTTPS',
      'POST /api/auth/login 200',
      'GET /api/health/symptoms 200',
      'without a token 401',
    ]) {
      expect(summary).toContain(check);
    }
    expect(`${output}${summary}`).not.toContain(PASSWORD);
    // The token appears only in the masking command GitHub strips from the log.
    expect(output.split('\n').filter((l) => l.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);
  });

  it('fails when the deployment never becomes ready', async () => {
    behaviour.ready = 503;
    const { status, summary } = await smoke();
    expect(status).toBe(1);
    expect(summary).toContain('GET /health/ready answered 503 after 2 attempts');
  });

  it('fails when the smoke user cannot sign in', async () => {
    const { status, summary, output } = await smoke('a-wrong-password');
    expect(status).toBe(1);
    expect(summary).toContain('POST /api/auth/login answered 401');
    expect(output).not.toContain('a-wrong-password');
  });

  it('fails when sign-in gives no token', async () => {
    behaviour.tokenless = true;
    const { status, summary } = await smoke();
    expect(status).toBe(1);
    expect(summary).toContain('gave no accessToken');
  });

  it('fails when the diary answers without a token', async () => {
    behaviour.openDiary = true;
    const { status, summary } = await smoke();
    expect(status).toBe(1);
    expect(summary).toContain('without a token answered 200, not 401');
  });
});
