import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTopology } from './support/native-topology';
import { gradeAtLeast, rateTls, type TestsslFinding } from './support/tls-rating';

const USAGE = `Grades nginx's TLS (docker/nginx/) with testssl.sh; fails below A.

  npm run check:tls

Starts the repository's nginx configuration natively on loopback (src/cli/support/native-topology.ts)
with a throwaway CA and certificate, in front of two static answerers standing in for the API
instances (TLS does not depend on them), runs Debian's testssl.sh against it trusting that CA, and
prints the grade (SSL Labs' rating guide: src/cli/support/tls-rating.ts) and every finding of
severity MEDIUM or more. Takes one to five minutes. MINIMUM_TLS_GRADE (default A) sets the bar.`;

/** Answers every request like the API's unknown route: a 404 problem with the app's headers. */
function staticUpstream(): Promise<Server> {
  const server = createServer((_, res) => {
    res.writeHead(404, {
      'content-type': 'application/problem+json',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
    });
    res.end('{"status":404,"code":"ROUTE.NOT_FOUND"}');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const minimum = process.env.MINIMUM_TLS_GRADE ?? 'A';
  const upstreams = [await staticUpstream(), await staticUpstream()];
  const topology = await startTopology({
    upstreams: [portOf(upstreams[0]), portOf(upstreams[1])],
  });
  const out = mkdtempSync(join(tmpdir(), 'sd-testssl-'));
  const jsonFile = join(out, 'testssl.json');
  try {
    const started = Date.now();
    // Everything the rating needs, without the client simulations (they do not change it).
    // --severity is not used: it would drop the OK/INFO findings the scores are computed from.
    const status = await run('testssl', [
      '--quiet',
      '--color',
      '0',
      '--warnings',
      'off',
      '--ip',
      'one',
      '--add-ca',
      topology.caPath,
      '--assume-http',
      '--jsonfile',
      jsonFile,
      '--protocols',
      '--std',
      '--pfs',
      '--server-preference',
      '--server-defaults',
      '--headers',
      '--vulnerable',
      '--each-cipher',
      topology.httpsUrl,
    ]);
    const seconds = Math.round((Date.now() - started) / 1000);
    const findings = JSON.parse(readFileSync(jsonFile, 'utf8')) as TestsslFinding[];
    const rating = rateTls(findings);
    const lines = [
      '',
      `testssl.sh exit status ${status}, ${seconds} s`,
      `TLS grade: ${rating.grade}${rating.computed ? ' (computed from the findings: testssl 3.0 has no rating)' : ' (testssl overall_grade)'}`,
    ];
    if (rating.score !== undefined) {
      lines.push(
        `  score ${rating.score.toFixed(1)} = 0.3 × protocol ${rating.protocolScore} + 0.3 × key exchange ${rating.keyExchangeScore} + 0.4 × cipher strength ${rating.cipherScore}`,
      );
    }
    for (const cap of rating.caps) lines.push(`  capped at ${cap}`);
    lines.push('Findings of severity MEDIUM and above:');
    if (rating.findings.length === 0) lines.push('  none');
    for (const f of rating.findings) {
      lines.push(
        `  ${f.severity} ${f.id}: ${f.finding}${f.expected ? ` (expected: ${f.expected})` : ''}`,
      );
    }
    const passed = gradeAtLeast(rating.grade, minimum);
    lines.push(
      passed
        ? `OK: ${rating.grade} is at least ${minimum}`
        : `FAILED: ${rating.grade} is below ${minimum}`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
    return passed ? 0 : 1;
  } finally {
    await topology.stop();
    for (const server of upstreams) server.close();
    rmSync(out, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `check:tls failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
