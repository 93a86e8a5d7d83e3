import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsDto } from './problem-details';

const examples = {
  400: {
    type: 'urn:problem-type:request-validation-failed',
    title: 'Bad Request',
    status: 400,
    detail: 'The request has 1 invalid parameter: limit.',
    instance: '/api/health/symptoms',
    code: 'REQUEST.VALIDATION_FAILED',
    requestId: '3f8c1f1e-2a76-4a39-9a6e-0c1d2e3f4a5b',
    errors: [{ name: 'limit', reason: 'limit must not be greater than 100' }],
  },
  401: {
    type: 'urn:problem-type:auth-unauthenticated',
    title: 'Unauthorized',
    status: 401,
    detail:
      'This needs an access token: send Authorization: Bearer <token> (POST /api/auth/login gives one).',
    instance: '/api/health/symptoms',
    code: 'AUTH.UNAUTHENTICATED',
    requestId: '3f8c1f1e-2a76-4a39-9a6e-0c1d2e3f4a5b',
  },
  403: {
    type: 'urn:problem-type:auth-forbidden',
    title: 'Forbidden',
    status: 403,
    detail: 'This needs the admin role.',
    instance: '/api/admin/users',
    code: 'AUTH.FORBIDDEN',
    requestId: '3f8c1f1e-2a76-4a39-9a6e-0c1d2e3f4a5b',
  },
  404: {
    type: 'urn:problem-type:conversation-not-found',
    title: 'Not Found',
    status: 404,
    detail: 'This conversation does not exist or has expired. Start a new one.',
    instance: '/api/conversations/b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d/messages',
    code: 'CONVERSATION.NOT_FOUND',
    requestId: '3f8c1f1e-2a76-4a39-9a6e-0c1d2e3f4a5b',
  },
  409: {
    type: 'urn:problem-type:user-email-taken',
    title: 'Conflict',
    status: 409,
    detail: 'A user with this email exists already.',
    instance: '/api/admin/users',
    code: 'USER.EMAIL_TAKEN',
    requestId: '3f8c1f1e-2a76-4a39-9a6e-0c1d2e3f4a5b',
  },
  429: {
    type: 'urn:problem-type:auth-too-many-attempts',
    title: 'Too Many Requests',
    status: 429,
    detail: 'Too many failed sign-ins. Try again in 8 s.',
    instance: '/api/auth/login',
    code: 'AUTH.TOO_MANY_ATTEMPTS',
    requestId: '3f8c1f1e-2a76-4a39-9a6e-0c1d2e3f4a5b',
  },
  503: {
    type: 'urn:problem-type:diary-unavailable',
    title: 'Service Unavailable',
    status: 503,
    detail: 'The diary database cannot be reached right now. Try again shortly.',
    instance: '/api/health/symptoms',
    code: 'DIARY.UNAVAILABLE',
    requestId: '3f8c1f1e-2a76-4a39-9a6e-0c1d2e3f4a5b',
  },
  504: {
    type: 'urn:problem-type:diary-timeout',
    title: 'Gateway Timeout',
    status: 504,
    detail: 'The diary took too long to answer; the query was cancelled. Try again in a moment.',
    instance: '/api/health/symptoms',
    code: 'DIARY.TIMEOUT',
    requestId: '3f8c1f1e-2a76-4a39-9a6e-0c1d2e3f4a5b',
  },
} as const;

const descriptions: Record<keyof typeof examples, string> = {
  400: 'Invalid input; `errors` names each bad parameter.',
  401: 'No valid access token (missing, malformed, expired, or its user is disabled).',
  403: 'Signed in, but without the role this needs.',
  404: 'Not found (or expired); nothing about its existence is revealed beyond that.',
  409: 'Conflicts with what exists.',
  429: 'Too many attempts; retry after `Retry-After` seconds.',
  503: 'The diary database is unreachable; retry after `Retry-After` seconds.',
  504: 'The diary query took too long and was cancelled; retry after `Retry-After` seconds.',
};

/** Whole seconds (a 32-bit integer: the service never sends more). */
const seconds = { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 } as const;

/** On a 429 and on the 503/504 answers of the diary. */
export const RETRY_AFTER_HEADER = {
  'Retry-After': { description: 'Seconds to wait', schema: seconds },
} as const;

/** On every answer counted by the rate limit (see docs/security.md, Rate limiting). */
export const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': {
    description: 'Requests allowed in the current window',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 2147483647 },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left in the current window',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 },
  },
  'X-RateLimit-Reset': { description: 'Seconds until the window resets', schema: seconds },
} as const;

/** Documents the problem+json answers an endpoint can give. */
export function ApiProblems(...statuses: (keyof typeof examples)[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: descriptions[status],
        content: {
          [PROBLEM_CONTENT_TYPE]: {
            schema: { $ref: '#/components/schemas/ProblemDetailsDto' },
            example: examples[status],
          },
        },
        ...(status >= 503 || status === 429 ? { headers: { ...RETRY_AFTER_HEADER } } : {}),
      }),
    ),
  );
}

export { ProblemDetailsDto };
