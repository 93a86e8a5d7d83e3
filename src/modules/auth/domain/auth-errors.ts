import {
  DomainError,
  RateLimitedError,
  UnauthenticatedError,
} from '../../../shared/domain/domain-error';

/** Wrong email, wrong password, unknown or disabled account: one answer for all, on purpose. */
export class InvalidCredentialsError extends UnauthenticatedError {
  constructor() {
    super('AUTH.INVALID_CREDENTIALS', 'The email or the password is not right.', 'Bearer');
  }
}

/** No (or no Bearer) Authorization header. */
export class MissingTokenError extends UnauthenticatedError {
  constructor() {
    super(
      'AUTH.UNAUTHENTICATED',
      'This needs an access token: send Authorization: Bearer <token> (POST /api/auth/login gives one).',
      'Bearer',
    );
  }
}

/** A token that is malformed, tampered with, expired, or whose user is gone or disabled. */
export class InvalidTokenError extends UnauthenticatedError {
  constructor() {
    super(
      'AUTH.INVALID_TOKEN',
      'The access token is invalid or has expired. Refresh it or sign in again.',
      'Bearer error="invalid_token"',
    );
  }
}

export class InvalidRefreshTokenError extends UnauthenticatedError {
  constructor() {
    super(
      'AUTH.INVALID_REFRESH_TOKEN',
      'The refresh token is invalid, expired or revoked. Sign in again.',
      'Bearer error="invalid_token"',
    );
  }
}

export class AdminRequiredError extends DomainError {
  constructor() {
    super('AUTH.FORBIDDEN', 'forbidden', 'This needs the admin role.');
  }
}

export class TooManyLoginAttemptsError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super(
      'AUTH.TOO_MANY_ATTEMPTS',
      `Too many failed sign-ins. Try again in ${retryAfterSeconds} s.`,
      retryAfterSeconds,
    );
  }
}

/** Another person's diary, for a user: answered as if it did not exist. */
export class PersonNotFoundError extends DomainError {
  constructor() {
    super('DIARY.PERSON_NOT_FOUND', 'not_found', 'There is no diary of this person for you.');
  }
}

export class UserNotFoundError extends DomainError {
  constructor() {
    super('USER.NOT_FOUND', 'not_found', 'There is no such user.');
  }
}

export class EmailTakenError extends DomainError {
  constructor() {
    super('USER.EMAIL_TAKEN', 'conflict', 'A user with this email exists already.');
  }
}

export class CannotDisableSelfError extends DomainError {
  constructor() {
    super(
      'USER.CANNOT_DISABLE_SELF',
      'conflict',
      'An admin cannot disable their own account: ask another admin.',
    );
  }
}
