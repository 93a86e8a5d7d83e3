import { DomainError } from '../../../shared/domain/domain-error';

/** A request from a blocked address (403, before any work); retry after `retryAfterSeconds`. */
export class AddressBlockedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'ABUSE.ADDRESS_BLOCKED',
      'forbidden',
      `Requests from this address are blocked for ${retryAfterSeconds} s after suspicious requests. If this is a mistake, ask the administrator.`,
    );
  }
}
