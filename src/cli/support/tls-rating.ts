/**
 * The grade of a TLS endpoint from testssl.sh's JSON findings (`--jsonfile`), after SSL Labs'
 * Server Rating Guide (the algorithm testssl.sh 3.1+ implements as `overall_grade`). Debian 12
 * ships testssl.sh 3.0.8, which has no rating: when the findings carry `overall_grade` (a newer
 * testssl), that grade is used as it is; otherwise it is computed here, from the same findings:
 *
 * score = 0.3 × protocol + 0.3 × key exchange + 0.4 × cipher strength, where
 * - protocol: (best + worst offered) / 2, SSLv2 0, SSLv3 80, TLS 1.0 90, TLS 1.1 95, 1.2/1.3 100;
 * - key exchange: the weakest of the certificate's key and every offered suite's (EC)DH group, as
 *   RSA-equivalent bits (NIST SP 800-57): < 512 20, < 1024 40, < 2048 80, < 4096 90, else 100;
 * - cipher strength: (strongest + weakest) / 2, 0 bits 0, < 128 20, < 256 80, else 100;
 * A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, E ≥ 20, F below; then the guide's caps: SSLv2 or a known
 * vulnerability F; SSLv3, TLS 1.0/1.1, a key below 2048 bits (RSA-equivalent), no forward secrecy
 * or no AEAD suite B; no TLS 1.2 or a 64-bit block cipher (3DES) C; a
 * certificate that is not trusted or has expired T. A+ for an A with HSTS of 180 days or more.
 */

export interface TestsslFinding {
  id: string;
  severity: string;
  finding: string;
  ip?: string;
  port?: string;
}

export interface TlsRating {
  grade: string;
  /** Computed here (false when testssl's own overall_grade was used). */
  computed: boolean;
  score?: number;
  protocolScore?: number;
  keyExchangeScore?: number;
  cipherScore?: number;
  /** Why the grade is lower than the score alone would give. */
  caps: string[];
  /** Findings of severity MEDIUM and above, with whether they are expected in the test setup. */
  findings: (TestsslFinding & { expected?: string })[];
}

const PROTOCOL_SCORES: Record<string, number> = {
  SSLv2: 0,
  SSLv3: 80,
  TLS1: 90,
  TLS1_1: 95,
  TLS1_2: 100,
  TLS1_3: 100,
};

/** Vulnerability checks: any verdict of HIGH or CRITICAL caps the grade at F. */
const VULNERABILITIES = [
  'heartbleed',
  'CCS',
  'ticketbleed',
  'ROBOT',
  'secure_renego',
  'secure_client_renego',
  'CRIME_TLS',
  'POODLE_SSL',
  'SWEET32',
  'FREAK',
  'DROWN',
  'LOGJAM',
  'BEAST',
  'LUCKY13',
  'RC4',
];

/**
 * Findings that come from the throwaway test certificate or from a testssl 3.0 opinion that the
 * profile overrides, not from the nginx configuration; reported, never hidden.
 */
export const EXPECTED_IN_TEST: Record<string, string> = {
  cert_expirationStatus: 'the throwaway test certificate is valid for one day',
  cert_notAfter: 'the throwaway test certificate is valid for one day',
  cert_revocation: 'the throwaway test CA publishes no CRL (Let’s Encrypt certificates name one)',
  cipher_order:
    'Mozilla’s intermediate profile lets the client choose (ssl_prefer_server_ciphers off): ' +
    'every offered suite is AEAD with forward secrecy; testssl 3.1+ no longer flags this',
};

const SEVERITY_RANK: Record<string, number> = { LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

function scoreOfBits(bits: number, thresholds: [number, number][], top: number): number {
  for (const [below, score] of thresholds) if (bits < below) return score;
  return top;
}

/** RSA-equivalent strength of an elliptic-curve size (NIST SP 800-57 part 1, table 2). */
function rsaEquivalent(ecBits: number): number {
  if (ecBits >= 512) return 15360;
  if (ecBits >= 384) return 7680;
  if (ecBits >= 250) return 3072;
  if (ecBits >= 224) return 2048;
  return 1024;
}

const CIPHER = /^x[0-9a-f]+\s+\S+\s+(ECDH|DH|RSA|\S+)(?:\s+(\d+))?\s+\S+\s+(\d+)\s/i;

function gradeOf(score: number): string {
  if (score >= 80) return 'A';
  if (score >= 65) return 'B';
  if (score >= 50) return 'C';
  if (score >= 35) return 'D';
  if (score >= 20) return 'E';
  return 'F';
}

const ORDER = ['A+', 'A', 'A-', 'B', 'C', 'D', 'E', 'F', 'T', 'M'];

/** Whether `grade` is at least `minimum` (A+ > A > A- > B … > F; T and M below everything). */
export function gradeAtLeast(grade: string, minimum: string): boolean {
  const at = ORDER.indexOf(grade);
  return at !== -1 && at <= ORDER.indexOf(minimum);
}

export function rateTls(findings: readonly TestsslFinding[]): TlsRating {
  const byId = new Map(findings.map((f) => [f.id, f]));
  const reported = findings
    .filter((f) => (SEVERITY_RANK[f.severity] ?? 0) >= SEVERITY_RANK.MEDIUM)
    .map((f) => ({
      ...f,
      ...(EXPECTED_IN_TEST[f.id] ? { expected: EXPECTED_IN_TEST[f.id] } : {}),
    }));
  const official = byId.get('overall_grade');
  if (official) {
    return { grade: official.finding.trim(), computed: false, caps: [], findings: reported };
  }

  const offered = Object.keys(PROTOCOL_SCORES).filter((id) =>
    /^offered/.test(byId.get(id)?.finding ?? ''),
  );
  if (offered.length === 0) throw new Error('testssl found no protocol offered (no TLS at all?)');
  const protocolScores = offered.map((id) => PROTOCOL_SCORES[id]);
  const protocolScore = (Math.max(...protocolScores) + Math.min(...protocolScores)) / 2;

  const ciphers = findings
    .filter((f) => /^cipher_x[0-9a-f]+$/i.test(f.id))
    .map((f) => CIPHER.exec(f.finding))
    .filter((m): m is RegExpExecArray => m !== null);
  if (ciphers.length === 0) throw new Error('no cipher_x… findings: run testssl with -e');
  const bits = ciphers.map((m) => Number(m[3]));
  const cipherScores = bits.map((b) =>
    scoreOfBits(
      b,
      [
        [1, 0],
        [128, 20],
        [256, 80],
      ],
      100,
    ),
  );
  const cipherScore = (Math.max(...cipherScores) + Math.min(...cipherScores)) / 2;

  const keySizes: number[] = [];
  const certKey = /^(RSA|EC|DSA)\s+(\d+)/i.exec(byId.get('cert_keySize')?.finding ?? '');
  if (certKey) {
    const size = Number(certKey[2]);
    keySizes.push(certKey[1].toUpperCase() === 'EC' ? rsaEquivalent(size) : size);
  }
  for (const m of ciphers) {
    if (m[2] === undefined) continue;
    const size = Number(m[2]);
    keySizes.push(m[1].toUpperCase() === 'ECDH' ? rsaEquivalent(size) : size);
  }
  const weakestKey = keySizes.length > 0 ? Math.min(...keySizes) : 0;
  const keyExchangeScore = scoreOfBits(
    weakestKey,
    [
      [512, 20],
      [1024, 40],
      [2048, 80],
      [4096, 90],
    ],
    100,
  );

  const score = 0.3 * protocolScore + 0.3 * keyExchangeScore + 0.4 * cipherScore;
  let grade = gradeOf(score);
  const caps: string[] = [];
  const cap = (to: string, why: string) => {
    caps.push(`${to}: ${why}`);
    if (ORDER.indexOf(to) > ORDER.indexOf(grade)) grade = to;
  };
  if (offered.includes('SSLv2')) cap('F', 'SSLv2 offered');
  if (offered.includes('SSLv3')) cap('B', 'SSLv3 offered');
  if (offered.includes('TLS1') || offered.includes('TLS1_1')) cap('B', 'TLS 1.0/1.1 offered');
  if (!offered.includes('TLS1_2')) cap('C', 'no TLS 1.2');
  for (const id of VULNERABILITIES) {
    const f = byId.get(id);
    if (f && (SEVERITY_RANK[f.severity] ?? 0) >= SEVERITY_RANK.HIGH) {
      cap('F', `${id}: ${f.finding}`);
    }
  }
  if (/^offered/.test(byId.get('cipherlist_3DES_IDEA')?.finding ?? '')) {
    cap('C', '64-bit block ciphers (3DES/IDEA) offered');
  }
  if (certKey && keySizes[0] < 2048) cap('B', `certificate key of ${certKey[0]}`);
  if (byId.get('PFS') && !/^offered/.test(byId.get('PFS')?.finding ?? '')) {
    cap('B', 'no forward secrecy');
  }
  if (byId.get('cipherlist_STRONG') && !/^offered/.test(byId.get('cipherlist_STRONG')!.finding)) {
    cap('B', 'no AEAD cipher suite');
  }
  const chain = byId.get('cert_chain_of_trust');
  if (!chain || !/^passed/.test(chain.finding)) {
    cap('T', `chain of trust: ${chain?.finding ?? 'not checked'}`);
  }
  if (/expired/i.test(byId.get('cert_expirationStatus')?.finding ?? '')) {
    cap('T', 'certificate expired');
  }
  // testssl: "HSTS_time": "365 days (=31536000 seconds) > 15552000 seconds".
  const hstsSeconds = Number(/(\d+) seconds/.exec(byId.get('HSTS_time')?.finding ?? '')?.[1] ?? 0);
  if (grade === 'A' && caps.length === 0 && hstsSeconds >= 180 * 86400) grade = 'A+';
  return {
    grade,
    computed: true,
    score,
    protocolScore,
    keyExchangeScore,
    cipherScore,
    caps,
    findings: reported,
  };
}
