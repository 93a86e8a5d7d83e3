import { gradeAtLeast, rateTls, type TestsslFinding } from './tls-rating';

const f = (id: string, finding: string, severity = 'OK'): TestsslFinding => ({
  id,
  finding,
  severity,
});

/** What testssl.sh 3.0.8 reported for docker/nginx/ (npm run check:tls), trimmed to what rates. */
const NGINX: TestsslFinding[] = [
  f('SSLv2', 'not offered'),
  f('SSLv3', 'not offered'),
  f('TLS1', 'not offered', 'INFO'),
  f('TLS1_1', 'not offered', 'INFO'),
  f('TLS1_2', 'offered'),
  f('TLS1_3', 'offered with final'),
  f('cipherlist_STRONG', 'offered'),
  f('PFS', 'offered'),
  f('cipher_order', 'NOT a cipher order configured', 'HIGH'),
  f('cert_keySize', 'EC 256 bits'),
  f('cert_chain_of_trust', 'passed.'),
  f('cert_expirationStatus', 'expires < 30 days (0)', 'HIGH'),
  f('heartbleed', 'not vulnerable, no heartbeat extension'),
  f('secure_renego', 'supported'),
  f(
    'cipher_x1302',
    'x1302   TLS_AES_256_GCM_SHA384            ECDH 253   AESGCM      256      TLS_AES_256_GCM_SHA384',
    'INFO',
  ),
  f(
    'cipher_xc02b',
    'xc02b   ECDHE-ECDSA-AES128-GCM-SHA256     ECDH 253   AESGCM      128      TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    'INFO',
  ),
  f('HSTS_time', '365 days (=31536000 seconds) > 15552000 seconds'),
];

const replace = (id: string, finding: string, severity = 'OK') =>
  NGINX.map((x) => (x.id === id ? f(id, finding, severity) : x));

describe('rateTls (SSL Labs rating guide from testssl findings)', () => {
  it('rates the intermediate profile A+ (A with a year of HSTS), scoring 93', () => {
    const rating = rateTls(NGINX);
    expect(rating).toMatchObject({
      grade: 'A+',
      computed: true,
      protocolScore: 100,
      keyExchangeScore: 90,
      cipherScore: 90,
      caps: [],
    });
    expect(rating.score).toBeCloseTo(93);
    // Reported, and marked as the test setup's, not hidden.
    expect(rating.findings.map((x) => [x.id, Boolean(x.expected)])).toEqual([
      ['cipher_order', true],
      ['cert_expirationStatus', true],
    ]);
  });

  it('gives A without HSTS', () => {
    expect(rateTls(NGINX.filter((x) => x.id !== 'HSTS_time')).grade).toBe('A');
  });

  it('caps TLS 1.0 at B, SSLv2 at F, a vulnerability at F, an untrusted chain at T', () => {
    expect(rateTls(replace('TLS1', 'offered', 'LOW')).grade).toBe('B');
    expect(rateTls(replace('SSLv2', 'offered', 'CRITICAL')).grade).toBe('F');
    expect(rateTls(replace('heartbleed', 'VULNERABLE', 'CRITICAL')).grade).toBe('F');
    expect(rateTls(replace('cert_chain_of_trust', 'failed (self signed).', 'CRITICAL')).grade).toBe(
      'T',
    );
  });

  it('lowers the score for weak keys and ciphers, and caps them', () => {
    const weak = [
      ...NGINX.filter((x) => !x.id.startsWith('cipher_x') && x.id !== 'cert_keySize'),
      f('cert_keySize', 'RSA 1024 bits'),
      f('cipherlist_3DES_IDEA', 'offered', 'MEDIUM'),
      f(
        'cipher_x0a',
        'x0a     DES-CBC3-SHA                      RSA        3DES        168      TLS_RSA_WITH_3DES_EDE_CBC_SHA',
      ),
    ];
    const rating = rateTls(weak);
    expect(rating.keyExchangeScore).toBe(80);
    expect(rating.cipherScore).toBe(80);
    expect(rating.score).toBeCloseTo(86);
    expect(rating.caps).toHaveLength(2);
    expect(rating.grade).toBe('C');
  });

  it("uses testssl's own overall_grade when it has one", () => {
    expect(rateTls([...NGINX, f('overall_grade', 'B', 'INFO')])).toMatchObject({
      grade: 'B',
      computed: false,
    });
  });

  it('orders grades', () => {
    expect(gradeAtLeast('A+', 'A')).toBe(true);
    expect(gradeAtLeast('A', 'A')).toBe(true);
    expect(gradeAtLeast('A-', 'A')).toBe(false);
    expect(gradeAtLeast('T', 'A')).toBe(false);
    expect(gradeAtLeast('?', 'A')).toBe(false);
  });
});
