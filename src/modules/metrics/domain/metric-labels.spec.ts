import { bearerTokenOf, methodLabel, routeLabel, UNMATCHED_ROUTE } from './metric-labels';

describe('metric labels', () => {
  it('uses the route template, and unmatched for what no route matched', () => {
    expect(routeLabel('/api/admin/users/:id', true)).toBe('/api/admin/users/:id');
    expect(routeLabel('/api/admin/users/:id', false)).toBe(UNMATCHED_ROUTE);
    expect(routeLabel(undefined, true)).toBe(UNMATCHED_ROUTE);
    expect(routeLabel('', true)).toBe(UNMATCHED_ROUTE);
    expect(routeLabel('/*', true)).toBe(UNMATCHED_ROUTE);
  });

  it('keeps the usual methods and folds the rest into OTHER', () => {
    expect(methodLabel('get')).toBe('GET');
    expect(methodLabel('DELETE')).toBe('DELETE');
    expect(methodLabel('PROPFIND')).toBe('OTHER');
  });

  it('reads a bearer token and nothing else', () => {
    expect(bearerTokenOf('Bearer abc.def')).toBe('abc.def');
    expect(bearerTokenOf('bearer   abc ')).toBe('abc');
    expect(bearerTokenOf('Basic abc')).toBeUndefined();
    expect(bearerTokenOf('Bearer a b')).toBeUndefined();
    expect(bearerTokenOf(undefined)).toBeUndefined();
    expect(bearerTokenOf(['Bearer abc'])).toBeUndefined();
  });
});
