import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BridgeAuthenticator } from '../application/bridge-authenticator';

/** The scheme named in WWW-Authenticate on a 401 (RFC 9110 asks for one). */
export const BRIDGE_AUTH_SCHEME = 'BridgeHMAC version="v1"';

/**
 * Lets a request through only when it is signed (libs/bridge-protocol): checked against the URL
 * exactly as in the request line and the body bytes exactly as received, before the body is
 * read as JSON. Every failure is the same 401.
 */
@Injectable()
export class BridgeSignatureGuard implements CanActivate {
  constructor(private readonly authenticator: BridgeAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    try {
      await this.authenticator.authenticate({
        method: request.raw.method ?? request.method,
        pathWithQuery: request.raw.url ?? '',
        headers: request.headers,
        // The content-type parser of create-bridge-app keeps bodies as bytes.
        rawBody: Buffer.isBuffer(request.body) ? request.body : undefined,
        clientAddress: request.ip,
      });
    } catch (error) {
      void http.getResponse<FastifyReply>().header('www-authenticate', BRIDGE_AUTH_SCHEME);
      throw error;
    }
    return true;
  }
}
