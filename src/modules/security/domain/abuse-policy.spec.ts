import {
  AddressAllowlist,
  classifyAnswer,
  inspectBody,
  inspectUrl,
  invalidAllowlistItems,
  isBlockableAddress,
  newBlock,
  parseAllowlist,
  reaches,
  retryAfterSeconds,
  safeName,
} from './abuse-policy';

describe('abuse policy', () => {
  describe('inspectUrl', () => {
    it('finds probe paths, signatures in the path, and in query names and values', () => {
      expect(inspectUrl('/.env', {})).toEqual({
        reason: 'probe-path',
        location: 'path',
        sample: '/.env',
      });
      expect(inspectUrl('/api/health/%2e%2e/%2e%2e/etc/passwd', {})).toMatchObject({
        reason: 'path-traversal',
        location: 'path',
      });
      expect(inspectUrl('/api/health/symptoms', { symptom: "' OR '1'='1" })).toEqual({
        reason: 'sql-injection',
        location: 'query:symptom',
        sample: "' or '1'='1",
      });
      expect(inspectUrl('/api/health/symptoms', { "x'--": '1' })).toMatchObject({
        reason: 'sql-injection',
        location: 'query:x?--',
      });
      expect(
        inspectUrl('/api/health/symptoms', { symptom: ['migraine', '<script>'] }),
      ).toMatchObject({ reason: 'xss' });
    });

    it('leaves ordinary requests alone', () => {
      expect(
        inspectUrl('/api/health/symptoms', {
          symptom: 'migraine',
          name: 'back pain < 3 days',
          from: '2026-10-01',
          sort: '-occurredAt',
          person: "Anna's",
        }),
      ).toBeUndefined();
      expect(
        inspectUrl('/api/conversations/3f8c1f1e-2a76-4a39-9a6e-0c1d2e3f4a5b', {}),
      ).toBeUndefined();
    });
  });

  describe('inspectBody', () => {
    it('reads the chat text gently and never samples it', () => {
      expect(
        inspectBody('/api/nlu/parse', { text: "did I have pain after 'select' meetings?" }),
      ).toBeUndefined();
      expect(
        inspectBody('/api/nlu/parse', { text: "I'm not sure -- maybe Tuesday?" }),
      ).toBeUndefined();
      expect(inspectBody('/api/conversations/x/messages', { text: 'x UNION SELECT 1' })).toEqual({
        reason: 'sql-injection',
        location: 'body:text',
        sample: null,
      });
    });

    it('never examines secrets: any character is fine in a password', () => {
      expect(
        inspectBody('/api/auth/login', { email: 'a@example.com', password: "' OR '1'='1 --" }),
      ).toBeUndefined();
      expect(inspectBody('/api/auth/refresh', { refreshToken: '<script>' })).toBeUndefined();
    });

    it('examines structured fields strictly, nested ones and field names too', () => {
      expect(inspectBody('/api/conversations', { timezone: "Europe/Berlin'--" })).toMatchObject({
        reason: 'sql-injection',
        location: 'body:timezone',
      });
      expect(inspectBody('/api/x', { a: { b: ['ok', '$(id)'] } })).toMatchObject({
        reason: 'command-injection',
        location: 'body:a.b',
      });
      expect(inspectBody('/api/x', { '<svg onload=alert(1)>': 1 })).toMatchObject({
        reason: 'xss',
      });
    });

    it('skips CSP reports (they quote the scripts a browser refused) and empty bodies', () => {
      expect(
        inspectBody('/api/csp-reports', { 'csp-report': { 'script-sample': '<script>alert(1)' } }),
      ).toBeUndefined();
      expect(inspectBody('/api/x', undefined)).toBeUndefined();
      expect(inspectBody('/api/x', null)).toBeUndefined();
    });

    it('walks a bounded part of a body', () => {
      let deep: unknown = '<script>';
      for (let i = 0; i < 20; i++) deep = { d: deep };
      expect(inspectBody('/api/x', deep)).toBeUndefined();
      const wide = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`k${i}`, 'x']));
      expect(inspectBody('/api/x', { ...wide, last: '<script>' })).toBeUndefined();
    });
  });

  it('classifies answers: 401, 404 on a route, unknown paths', () => {
    expect(classifyAnswer(401, true)).toBe('auth-failure');
    expect(classifyAnswer(404, true)).toBe('not-found');
    expect(classifyAnswer(404, false)).toBe('unknown-path');
    expect(classifyAnswer(400, true)).toBe('other');
    expect(classifyAnswer(403, true)).toBe('other');
    expect(classifyAnswer(200, true)).toBe('other');
  });

  it('blocks at the threshold, for the block duration, with a Retry-After of at least 1 s', () => {
    expect(reaches(4, 5)).toBe(false);
    expect(reaches(5, 5)).toBe(true);
    const block = newBlock('203.0.113.7', 'scan', 1_000, 60_000, '15 paths');
    expect(block).toEqual({
      address: '203.0.113.7',
      reason: 'scan',
      since: 1_000,
      until: 61_000,
      by: 'detector',
      detail: '15 paths',
    });
    expect(retryAfterSeconds(block, 1_000)).toBe(60);
    expect(retryAfterSeconds(block, 60_999)).toBe(1);
    expect(retryAfterSeconds(block, 70_000)).toBe(1);
  });

  describe('allowlist', () => {
    const list = new AddressAllowlist(['198.51.100.0/24', '192.0.2.1', '2001:db8::/32']);

    it('matches addresses and networks, IPv4-mapped IPv6 too', () => {
      expect(list.has('198.51.100.7')).toBe(true);
      expect(list.has('::ffff:198.51.100.200')).toBe(true);
      expect(list.has('192.0.2.1')).toBe(true);
      expect(list.has('2001:db8:1::5')).toBe(true);
      expect(list.has('192.0.2.2')).toBe(false);
      expect(list.has('2001:db9::1')).toBe(false);
      expect(list.has('not an ip')).toBe(false);
      expect(new AddressAllowlist([]).has('127.0.0.1')).toBe(false);
    });

    it('parses and validates ABUSE_ALLOWLIST', () => {
      expect(parseAllowlist(' 10.0.0.0/8, ,::1 ')).toEqual(['10.0.0.0/8', '::1']);
      expect(parseAllowlist(undefined)).toEqual([]);
      expect(
        invalidAllowlistItems([
          '10.0.0.0/8',
          '::1',
          'loopback',
          '10.0.0.0/33',
          'a/b',
          '1.2.3.4/8/9',
        ]),
      ).toEqual(['loopback', '10.0.0.0/33', 'a/b', '1.2.3.4/8/9']);
    });
  });

  it('accepts block addresses as the rate limiter keys them', () => {
    expect(isBlockableAddress('203.0.113.7')).toBe(true);
    expect(isBlockableAddress('2001:db8::1')).toBe(true);
    expect(isBlockableAddress('2001:db8:1:2::/64')).toBe(true);
    expect(isBlockableAddress('10.0.0.0/8')).toBe(false);
    expect(isBlockableAddress('example.com')).toBe(false);
    expect(isBlockableAddress('x'.repeat(100))).toBe(false);
  });

  it('sanitises names for the log', () => {
    expect(safeName('symptom')).toBe('symptom');
    expect(safeName("a'b\n")).toBe('a?b?');
    expect(safeName('n'.repeat(50))).toHaveLength(32);
  });
});
