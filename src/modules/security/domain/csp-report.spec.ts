import { MAX_VIOLATIONS_PER_REQUEST, originOf, pathOf, violationsOf } from './csp-report';

describe('violationsOf', () => {
  it('reads a legacy application/csp-report body, keeping only what is safe to log', () => {
    const violations = violationsOf({
      'csp-report': {
        'document-uri': 'https://api.example/docs/?person=Anna#x',
        'violated-directive': "script-src-elem 'self'",
        'effective-directive': 'script-src-elem',
        'blocked-uri': 'https://cdn.example:8443/lib.js?token=abc',
        'script-sample': 'alert("migraine")',
        'original-policy': "default-src 'none'",
      },
    });
    expect(violations).toEqual([
      {
        directive: 'script-src-elem',
        blockedOrigin: 'https://cdn.example:8443',
        documentPath: '/docs/',
      },
    ]);
  });

  it('falls back to the first word of violated-directive (CSP level 2)', () => {
    expect(
      violationsOf({
        'csp-report': {
          'document-uri': 'https://api.example/docs',
          'violated-directive': "style-src 'self'",
          'blocked-uri': 'inline',
        },
      }),
    ).toEqual([{ directive: 'style-src', blockedOrigin: 'inline', documentPath: '/docs' }]);
  });

  it('reads Reporting API batches and ignores other report types', () => {
    const violations = violationsOf([
      {
        type: 'csp-violation',
        url: 'https://api.example/docs?x=1',
        body: {
          documentURL: 'https://api.example/docs?x=1',
          blockedURL: 'eval',
          effectiveDirective: 'script-src',
          sample: 'secret',
        },
      },
      { type: 'deprecation', body: { id: 'x' } },
      {
        type: 'csp-violation',
        url: 'https://api.example/docs-json',
        body: { effectiveDirective: 'img-src', blockedURL: 'data:image/png;base64,AAAA' },
      },
    ]);
    expect(violations).toEqual([
      { directive: 'script-src', blockedOrigin: 'eval', documentPath: '/docs' },
      { directive: 'img-src', blockedOrigin: 'data', documentPath: '/docs-json' },
    ]);
  });

  it('keeps at most a bounded number from one request', () => {
    const one = { type: 'csp-violation', body: { effectiveDirective: 'img-src' } };
    expect(violationsOf(new Array(100).fill(one))).toHaveLength(MAX_VIOLATIONS_PER_REQUEST);
  });

  it('ignores what it does not recognise, without throwing', () => {
    for (const body of [
      null,
      'text',
      42,
      {},
      [],
      { 'csp-report': 'x' },
      { 'csp-report': {} },
      [null],
    ]) {
      expect(violationsOf(body)).toEqual([]);
    }
  });

  it('does not let a report inject odd directive names', () => {
    const [violation] = violationsOf({
      'csp-report': { 'effective-directive': 'script-src\n{"level":"fatal"}' },
    });
    expect(violation.directive).toBe('script-src');
    const [other] = violationsOf({ 'csp-report': { 'effective-directive': '{"x":1}' } });
    expect(other.directive).toBe('unknown');
  });

  it('ignores inherited properties (no prototype tricks)', () => {
    const report = Object.create({ 'csp-report': { 'effective-directive': 'img-src' } }) as object;
    expect(violationsOf(report)).toEqual([]);
  });
});

describe('originOf and pathOf', () => {
  it('reduce URLs to origin and path', () => {
    expect(originOf('https://user:pw@cdn.example/a?b=c')).toBe('https://cdn.example');
    expect(originOf('wss://ws.example/socket')).toBe('wss://ws.example');
    expect(originOf('blob:https://api.example/uuid')).toBe('blob');
    expect(originOf('self')).toBe('self');
    expect(originOf('not a url')).toBe('unknown');
    expect(originOf(undefined)).toBe('unknown');
    expect(pathOf('https://api.example/a/b?c=d#e')).toBe('/a/b');
    expect(pathOf('/relative')).toBe('unknown');
    expect(pathOf(`https://api.example/${'x'.repeat(500)}`)).toHaveLength(200);
  });
});
