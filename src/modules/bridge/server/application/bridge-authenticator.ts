import { Logger } from '@nestjs/common';
import {
  type KeyRing,
  MIN_SECRET_LENGTH,
  type RequestVerifier,
  type VerifiableRequest,
} from '../../../../../libs/bridge-protocol/src';
import { DomainError } from '../../../../shared/domain/domain-error';
import type { BridgeAuthMetrics } from './bridge-auth-metrics';

/** A request as received, for verification: raw URL and raw body bytes. */
export interface ReceivedRequest extends VerifiableRequest {
  /** The peer's address (never a forwarded header: the bridge trusts no proxy). */
  readonly clientAddress: string;
}

/**
 * The one answer to every rejected request, whatever the reason: the caller learns nothing about
 * which check failed (the log does).
 */
export function unauthenticatedError(): DomainError {
  return new DomainError(
    'BRIDGE.UNAUTHENTICATED',
    'unauthenticated',
    'The request is not signed with a valid bridge key.',
  );
}

/**
 * Checks the signature of a bridge request (libs/bridge-protocol) and logs each rejection with
 * the reason, the key id and the client address, never a secret or a signature.
 */
export class BridgeAuthenticator {
  private readonly logger = new Logger('BridgeAuth');

  constructor(
    private readonly verifier: RequestVerifier,
    private readonly keys: KeyRing,
    private readonly metrics?: BridgeAuthMetrics,
  ) {}

  /** Resolves with the key id of a valid request; throws unauthenticatedError() otherwise. */
  async authenticate(request: ReceivedRequest): Promise<string> {
    const result = await this.verifier.verify(request);
    if (result.ok) return result.keyId;
    this.metrics?.rejected(result.reason);
    this.logger.warn(
      {
        event: 'bridge.auth_rejected',
        reason: result.reason,
        ...(result.header ? { header: result.header } : {}),
        keyId: this.loggableKeyId(result.keyId),
        clientAddress: request.clientAddress,
      },
      'bridge request rejected',
    );
    throw unauthenticatedError();
  }

  /**
   * A configured id, or an unknown one too short to be a secret. An unknown id as long as a
   * secret may be one pasted into the wrong variable: it is not written down.
   */
  private loggableKeyId(keyId: string | undefined): string | undefined {
    if (keyId === undefined) return undefined;
    if (this.keys.has(keyId) || keyId.length < MIN_SECRET_LENGTH) return keyId;
    return '[unknown id as long as a secret: not logged]';
  }
}
