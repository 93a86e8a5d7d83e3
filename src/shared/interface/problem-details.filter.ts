import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { ErrorReporter } from '../application/error-reporter';
import {
  DependencyTimeoutError,
  DependencyUnavailableError,
  DomainError,
  DomainErrorKind,
  InvalidParameter,
  RateLimitedError,
  UnauthenticatedError,
} from '../domain/domain-error';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsDto, problemType } from './problem-details';
import { requestIdOf } from './request-id';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  timeout: 504,
};

/** Stable codes for the HTTP errors that do not come from our own domain. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'REQUEST.MALFORMED',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'ROUTE.NOT_FOUND',
  405: 'ROUTE.METHOD_NOT_ALLOWED',
  406: 'REQUEST.NOT_ACCEPTABLE',
  413: 'REQUEST.BODY_TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  429: 'REQUEST.RATE_LIMITED',
  500: 'INTERNAL',
  503: 'SERVICE.UNAVAILABLE',
};

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: readonly InvalidParameter[];
  retryAfterSeconds?: number;
  /** The WWW-Authenticate challenge of a 401. */
  challenge?: string;
  extensions?: Readonly<Record<string, unknown>>;
}

/**
 * The one exception filter: every error leaves as RFC 9457 problem+json with a stable code and the
 * request id. Unexpected errors are answered as a bare 500 and captured once by the error
 * reporter (the error store: log line `unexpected error`, metric, stored record; docs/errors.md),
 * dependency failures (503/504) too, sampled; without a reporter (the bridge) an unexpected
 * error is logged once with its stack. No stack trace, SQL or input value ever reaches the client.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(private readonly reporter?: ErrorReporter) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(exception, request);
    const body: ProblemDetailsDto = {
      type: problem.status === 500 ? 'about:blank' : problemType(problem.code),
      title: STATUS_CODES[problem.status] ?? 'Error',
      status: problem.status,
      detail: problem.detail,
      instance: pathOf(request),
      code: problem.code,
      requestId: requestIdOf(request),
      ...(problem.errors && problem.errors.length > 0 ? { errors: [...problem.errors] } : {}),
      ...problem.extensions,
    };
    if (problem.retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String(problem.retryAfterSeconds));
    }
    if (problem.challenge !== undefined) void reply.header('www-authenticate', problem.challenge);
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }

  private toProblem(exception: unknown, request: FastifyRequest): Problem {
    if (exception instanceof DomainError) {
      const status = STATUS_BY_KIND[exception.kind];
      if (status >= 500) {
        const errorId = this.reporter?.report(
          occurrence(exception, request, status, exception.code),
        );
        if (errorId === undefined) {
          this.logger.warn({ code: exception.code, route: routeOf(request) }, exception.message);
        }
      }
      return {
        status,
        code: exception.code,
        detail: exception.message,
        errors: exception.invalidParameters,
        extensions: exception.extensions,
        retryAfterSeconds:
          exception instanceof DependencyUnavailableError ||
          exception instanceof DependencyTimeoutError ||
          exception instanceof RateLimitedError
            ? exception.retryAfterSeconds
            : undefined,
        challenge: exception instanceof UnauthenticatedError ? exception.challenge : undefined,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status] ?? `HTTP.${status}`;
      // A 5xx raised as an HttpException (by a library) is a server-side error all the same.
      if (status >= 500) this.reporter?.report(occurrence(exception, request, status, code));
      return {
        status,
        code,
        detail: status === 404 ? 'There is nothing at this address.' : httpDetail(exception),
      };
    }
    const frameworkStatus = clientErrorStatusOf(exception);
    if (frameworkStatus !== undefined) {
      return {
        status: frameworkStatus,
        code: CODE_BY_STATUS[frameworkStatus] ?? `HTTP.${frameworkStatus}`,
        detail: FRAMEWORK_DETAIL[frameworkStatus] ?? 'The request could not be processed.',
      };
    }
    if (this.reporter) {
      this.reporter.report(
        occurrence(exception, request, HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL'),
      );
    } else {
      this.logger.error(
        {
          errorId: randomUUID(),
          requestId: requestIdOf(request),
          route: routeTemplateOf(request),
          code: 'INTERNAL',
          err: exception,
        },
        'unexpected error',
      );
    }
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'INTERNAL',
      detail: 'Something went wrong on our side. Quote the request id if you report it.',
    };
  }
}

const FRAMEWORK_DETAIL: Record<number, string> = {
  400: 'The request body is not valid JSON.',
  413: 'The request body is too large.',
  415: 'The request body has an unsupported content type.',
};

/** Errors raised by Fastify itself (body parsing, size limits) carry a 4xx statusCode. */
function clientErrorStatusOf(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const status = (exception as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function httpDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return typeof message === 'string' ? message : exception.message;
}

function pathOf(request: FastifyRequest): string {
  const url = request.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function routeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions?.url ?? pathOf(request)}`;
}

/** The route template, `unmatched` when no route matched (never the path as sent). */
function routeTemplateOf(request: FastifyRequest): string {
  if (request.is404) return 'unmatched';
  return request.routeOptions?.url ?? 'unmatched';
}

function occurrence(error: unknown, request: FastifyRequest, status: number, code: string) {
  return {
    error,
    requestId: requestIdOf(request),
    method: request.method,
    route: routeTemplateOf(request),
    status,
    code,
    requestValues: requestStrings(request),
  };
}

const MAX_REQUEST_STRINGS = 200;

/**
 * Every string the client sent (query, path parameters, body, the raw path's segments): what
 * the error store cuts out of messages and stacks before it stores or logs them.
 */
function requestStrings(request: FastifyRequest): string[] {
  const found: string[] = [];
  const walk = (value: unknown, depth: number): void => {
    if (found.length >= MAX_REQUEST_STRINGS || depth > 6) return;
    if (typeof value === 'string') found.push(value);
    else if (typeof value === 'number' || typeof value === 'boolean') found.push(String(value));
    else if (Array.isArray(value)) for (const item of value) walk(item, depth + 1);
    else if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value)) {
      for (const [key, item] of Object.entries(value)) {
        walk(key, depth + 1);
        walk(item, depth + 1);
      }
    }
  };
  walk(request.query, 0);
  walk(request.params, 0);
  walk(request.body, 0);
  for (const part of (request.url ?? '').split(/[/?&=]/)) {
    try {
      walk(decodeURIComponent(part.replace(/\+/g, ' ')), 0);
    } catch {
      walk(part, 0);
    }
  }
  return found;
}
