import { validateEnvironment } from './environment';
import {
  invalidCorsOrigins,
  invalidTrustProxyItems,
  parseCorsOrigins,
  parseTrustProxy,
} from './security-settings';

describe('security settings', () => {
  it('CORS_ORIGINS: a comma list of http(s) origins without path; empty means none', () => {
    expect(parseCorsOrigins(' https://app.example , http://localhost:5173,')).toEqual([
      'https://app.example',
      'http://localhost:5173',
    ]);
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins('')).toEqual([]);
    expect(invalidCorsOrigins('https://app.example,http://[::1]:3000')).toEqual([]);
    expect(
      invalidCorsOrigins(
        'https://app.example/,https://app.example/path,ftp://x.example,*,app.example,https://a.example?x',
      ),
    ).toHaveLength(6);
  });

  it('TRUST_PROXY: addresses, CIDRs and named ranges; nothing else', () => {
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback')).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy(' ')).toBe(false);
    expect(invalidTrustProxyItems('127.0.0.1,10.0.0.0/8,uniquelocal')).toEqual([]);
    expect(invalidTrustProxyItems('true,1,10.0.0.0/33,::1/129,nginx,300.1.1.1')).toEqual([
      'true',
      '1',
      '10.0.0.0/33',
      '::1/129',
      'nginx',
      '300.1.1.1',
    ]);
  });

  it('validateEnvironment: defaults, and one message per wrong variable', () => {
    const env = validateEnvironment({});
    expect(env.RATE_LIMIT_PER_MINUTE).toBe(60);
    expect(env.HSTS_MAX_AGE_SECONDS).toBe(31_536_000);
    expect(env.TRUST_PROXY).toBeUndefined();
    expect(env.CORS_ORIGINS).toBeUndefined();
    expect(validateEnvironment({ RATE_LIMIT_PER_MINUTE: '120' }).RATE_LIMIT_PER_MINUTE).toBe(120);
    expect(() => validateEnvironment({ RATE_LIMIT_PER_MINUTE: '0' })).toThrow(
      /RATE_LIMIT_PER_MINUTE/,
    );
    expect(() => validateEnvironment({ CORS_ORIGINS: 'https://app.example/' })).toThrow(
      /CORS_ORIGINS must list http\(s\) origins without a path/,
    );
    expect(() => validateEnvironment({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => validateEnvironment({ HSTS_MAX_AGE_SECONDS: '-1' })).toThrow(
      /HSTS_MAX_AGE_SECONDS/,
    );
    expect(() => validateEnvironment({ RATE_LIMIT_REDIS_PREFIX: 'a b' })).toThrow(
      /RATE_LIMIT_REDIS_PREFIX/,
    );
  });
});
