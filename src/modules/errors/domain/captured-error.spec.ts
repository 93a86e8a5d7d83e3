import {
  DependencyFailureSampler,
  describeThrown,
  REDACTED,
  redactErrorText,
  secretsOf,
} from './captured-error';

describe('redactErrorText', () => {
  it('cuts out every value the client sent, whatever its case', () => {
    const secrets = secretsOf(['Migraine after wine', 'Anna', '7', 'ok']);
    const text = 'invalid input syntax for type integer: "migraine after wine" (person Anna)';
    expect(redactErrorText(text, secrets, 1000)).toBe(
      `invalid input syntax for type integer: "${REDACTED}" (person ${REDACTED})`,
    );
  });

  it('does not search for values too short to be secrets', () => {
    expect(secretsOf(['7', 'ok', ' x '])).toEqual([]);
  });

  it('replaces the longer value first, so a value inside another leaves nothing behind', () => {
    const secrets = secretsOf(['head', 'headache at night']);
    expect(redactErrorText('x headache at night y', secrets, 1000)).toBe(`x ${REDACTED} y`);
  });

  it('redacts SQL string literals and query strings, and keeps identifiers', () => {
    const text =
      `QueryFailedError: syntax error at 'tummy pain' near "sev"\n` +
      `    at GET /api/health/symptoms?name=tummy%20pain (file.ts:1:2)`;
    expect(redactErrorText(text, [], 1000)).toBe(
      `QueryFailedError: syntax error at '${REDACTED}' near "sev"\n` +
        `    at GET /api/health/symptoms?${REDACTED} (file.ts:1:2)`,
    );
  });

  it('bounds the length', () => {
    const out = redactErrorText('x'.repeat(5000), [], 100);
    expect(out).toHaveLength(100);
    expect(out.endsWith('…')).toBe(true);
  });
});

describe('describeThrown', () => {
  it('names errors by their class, and copes with what is not an Error', () => {
    class QueryFailedError extends Error {}
    expect(describeThrown(new QueryFailedError('boom'))).toMatchObject({
      name: 'QueryFailedError',
      message: 'boom',
    });
    expect(describeThrown('plain')).toEqual({ name: 'string', message: 'plain' });
    expect(describeThrown({ secret: 'x' })).toEqual({
      name: 'object',
      message: 'a non-Error value was thrown',
    });
  });
});

describe('DependencyFailureSampler', () => {
  it('captures one failure per route and code per window', () => {
    const sampler = new DependencyFailureSampler(60_000);
    expect(sampler.shouldCapture('/a', 'DIARY.UNAVAILABLE', 0)).toBe(true);
    expect(sampler.shouldCapture('/a', 'DIARY.UNAVAILABLE', 59_999)).toBe(false);
    expect(sampler.shouldCapture('/b', 'DIARY.UNAVAILABLE', 1)).toBe(true);
    expect(sampler.shouldCapture('/a', 'DIARY.TIMEOUT', 1)).toBe(true);
    expect(sampler.shouldCapture('/a', 'DIARY.UNAVAILABLE', 60_000)).toBe(true);
  });
});
