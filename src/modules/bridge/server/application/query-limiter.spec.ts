import { BridgeOverloadedError } from './bridge-overloaded.error';
import { QueryLimiter } from './query-limiter';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function refusal(promise: Promise<unknown>): Promise<BridgeOverloadedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BridgeOverloadedError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('QueryLimiter', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 5_000_000));

  it('runs up to maxConcurrency queries at once and refuses one more without queueing it', async () => {
    const limiter = new QueryLimiter({ maxConcurrency: 2, maxRps: 100 }, clock);
    const gates = [deferred<string>(), deferred<string>()];
    const running = gates.map((gate) => limiter.run(() => gate.promise));
    expect(limiter.freeSlots).toBe(0);
    const work = jest.fn(() => Promise.resolve('never'));
    const error = await refusal(limiter.run(work));
    expect(work).not.toHaveBeenCalled();
    expect(error).toMatchObject({ limit: 'concurrency', retryAfterSeconds: 1 });
    gates[0].resolve('a');
    gates[1].resolve('b');
    await expect(Promise.all(running)).resolves.toEqual(['a', 'b']);
    expect(limiter.freeSlots).toBe(2);
    await expect(limiter.run(() => Promise.resolve('c'))).resolves.toBe('c');
  });

  it('frees the slot of a failed query and passes its error on unchanged', async () => {
    const limiter = new QueryLimiter({ maxConcurrency: 1, maxRps: 100 }, clock);
    const failure = new Error('diary down');
    await expect(limiter.run(() => Promise.reject(failure))).rejects.toBe(failure);
    await expect(limiter.run(() => Promise.resolve(1))).resolves.toBe(1);
  });

  it('refuses over the rate with the seconds until the next token (at least 1)', async () => {
    const limiter = new QueryLimiter({ maxConcurrency: 8, maxRps: 2 }, clock);
    await limiter.run(() => Promise.resolve());
    await limiter.run(() => Promise.resolve());
    const work = jest.fn(() => Promise.resolve());
    expect(await refusal(limiter.run(work))).toMatchObject({ limit: 'rate', retryAfterSeconds: 1 });
    expect(work).not.toHaveBeenCalled();
    now += 500;
    await expect(limiter.run(() => Promise.resolve('again'))).resolves.toBe('again');
  });

  it('rounds a long wait up to whole seconds', async () => {
    const limiter = new QueryLimiter({ maxConcurrency: 8, maxRps: 1 }, clock);
    await limiter.run(() => Promise.resolve());
    now += 10;
    expect(await refusal(limiter.run(() => Promise.resolve()))).toMatchObject({
      retryAfterSeconds: 1,
      message: expect.stringMatching(/per second/),
    });
  });
});
