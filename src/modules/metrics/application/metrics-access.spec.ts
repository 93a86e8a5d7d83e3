import { MetricsAccess } from './metrics-access';

describe('MetricsAccess', () => {
  it('lets everyone scrape when no token is configured', () => {
    const access = new MetricsAccess(undefined);
    expect(access.protected).toBe(false);
    expect(access.allows(undefined)).toBe(true);
  });

  it('requires exactly the configured bearer token', () => {
    const access = new MetricsAccess('s3cret-token-0123456789');
    expect(access.protected).toBe(true);
    expect(access.allows('Bearer s3cret-token-0123456789')).toBe(true);
    expect(access.allows('Bearer s3cret-token-012345678')).toBe(false);
    expect(access.allows('Bearer s3cret-token-01234567890')).toBe(false);
    expect(access.allows('s3cret-token-0123456789')).toBe(false);
    expect(access.allows(undefined)).toBe(false);
    expect(access.allows('Bearer ')).toBe(false);
  });
});
