import {
  DependencyTimeoutError,
  DependencyUnavailableError,
} from '../../../shared/domain/domain-error';
import { translateDiaryError } from './diary-errors';

describe('translateDiaryError', () => {
  it('maps a statement timeout (57014), wrapped by TypeORM or not, to a timeout', () => {
    const driverError = Object.assign(new Error('canceling statement due to statement timeout'), {
      code: '57014',
    });
    for (const error of [driverError, { message: 'QueryFailedError', driverError }]) {
      const translated = translateDiaryError(error);
      expect(translated).toBeInstanceOf(DependencyTimeoutError);
      expect(translated).toMatchObject({ code: 'DIARY.TIMEOUT', retryAfterSeconds: 5 });
    }
  });

  it('maps the client-side query timeout to a timeout', () => {
    expect(translateDiaryError(new Error('Query read timeout'))).toBeInstanceOf(
      DependencyTimeoutError,
    );
  });

  it.each([
    ['ECONNREFUSED', ''],
    ['57P01', 'terminating connection due to administrator command'],
    ['08006', 'connection failure'],
    ['53300', 'too many connections'],
    ['', 'Connection terminated unexpectedly'],
    ['', 'timeout exceeded when trying to connect'],
  ])('maps %s %s to an unavailable diary', (code, message) => {
    const translated = translateDiaryError(Object.assign(new Error(message), { code }));
    expect(translated).toBeInstanceOf(DependencyUnavailableError);
    expect(translated).toMatchObject({ code: 'DIARY.UNAVAILABLE', retryAfterSeconds: 10 });
  });

  it('maps any PostgreSQL error raised while connecting to an unavailable diary', () => {
    // e.g. 'database "diary" is not currently accepting connections', a wrong password, a
    // database that does not exist: raised by the pool, never wrapped as a QueryFailedError.
    const connectError = Object.assign(new Error('not currently accepting connections'), {
      code: '55000',
      severity: 'FATAL',
    });
    expect(translateDiaryError(connectError)).toBeInstanceOf(DependencyUnavailableError);
    const queryError = { name: 'QueryFailedError', driverError: connectError };
    expect(translateDiaryError(queryError)).toBeUndefined();
  });

  it('leaves genuine bugs alone (they answer 500)', () => {
    expect(
      translateDiaryError(Object.assign(new Error('syntax error'), { code: '42601' })),
    ).toBeUndefined();
    expect(translateDiaryError(new TypeError('x is undefined'))).toBeUndefined();
    expect(translateDiaryError(undefined)).toBeUndefined();
  });
});
