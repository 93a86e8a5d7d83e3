/** The route label of a request that matched no route (a 404 from the router). */
export const UNMATCHED_ROUTE = 'unmatched';

/** The path GET /metrics answers on (the API's and the bridge's); never counted itself. */
export const METRICS_PATH = '/metrics';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route label: the route's template (`/api/admin/users/:id`), never the path as sent, so that
 * ids, names or anything else a client types never become label values (health data, and an
 * unbounded number of series). A request no route matched is `unmatched`.
 */
export function routeLabel(template: string | undefined, matched: boolean): string {
  if (!matched || template === undefined || template === '' || template.includes('*')) {
    return UNMATCHED_ROUTE;
  }
  return template;
}

/** The method label: the usual methods as they are, anything else (scanners' verbs) `OTHER`. */
export function methodLabel(method: string): string {
  const upper = method.toUpperCase();
  return METHODS.has(upper) ? upper : 'OTHER';
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerTokenOf(authorization: string | string[] | undefined): string | undefined {
  if (typeof authorization !== 'string') return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  return match?.[1];
}
