import { ApiProblemError, call, isProblemDetails, unwrap } from './problem';

const problem = {
  type: 'urn:problem-type:request-validation-failed',
  title: 'Bad Request',
  status: 400,
  detail: 'The request has 1 invalid parameter: limit.',
  instance: '/api/health/symptoms',
  code: 'REQUEST.VALIDATION_FAILED',
  requestId: 'r-1',
  errors: [{ name: 'limit', reason: 'limit must not be greater than 100' }],
};

describe('unwrap (typed problems of the API client)', () => {
  it('gives the data of a 2xx answer', () => {
    const response = new Response('{}', { status: 200 });
    expect(unwrap({ data: { ok: 1 }, error: undefined, response })).toEqual({ ok: 1 });
  });

  it('throws an ApiProblemError carrying the problem+json body', () => {
    const response = new Response(null, { status: 400 });
    const thrown = (() => {
      try {
        unwrap({ data: undefined, error: problem, response });
      } catch (error) {
        return error;
      }
    })() as ApiProblemError;
    expect(thrown).toBeInstanceOf(ApiProblemError);
    expect(thrown).toMatchObject({ status: 400, code: 'REQUEST.VALIDATION_FAILED', response });
    expect(thrown.message).toBe('400 Bad Request: The request has 1 invalid parameter: limit.');
    expect(thrown.invalidParameters).toEqual({ limit: 'limit must not be greater than 100' });
  });

  it('makes a problem of an answer that is not problem+json (a proxy page)', async () => {
    const response = new Response('<html>bad gateway</html>', {
      status: 502,
      statusText: 'Bad Gateway',
      headers: { 'x-request-id': 'r-2' },
    });
    await expect(
      call(Promise.resolve({ data: undefined, error: '<html>bad gateway</html>', response })),
    ).rejects.toMatchObject({
      problem: {
        type: 'about:blank',
        title: 'Bad Gateway',
        status: 502,
        code: 'HTTP.502',
        requestId: 'r-2',
        detail: '<html>bad gateway</html>',
      },
    });
  });

  it('rethrows what fetch threw when there was no answer at all', () => {
    const failure = new TypeError('fetch failed');
    expect(() => unwrap({ data: undefined, error: failure })).toThrow(failure);
  });

  it('recognises a problem by its members', () => {
    expect(isProblemDetails(problem)).toBe(true);
    expect(isProblemDetails({ status: 'x' })).toBe(false);
    expect(isProblemDetails(null)).toBe(false);
  });
});
