import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:isPublic';

/**
 * Marks a route (or a controller) that answers without an access token. Every other route needs
 * one: the access-token guard is global and denies by default (docs/security.md).
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
