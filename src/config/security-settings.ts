import { isIP } from 'node:net';

/**
 * Parsing of the list-valued security settings (CORS_ORIGINS, TRUST_PROXY). Pure functions, so
 * that validateEnvironment, the typed configuration and create-app.ts (which builds Fastify's
 * options before Nest exists) read them the same way.
 */

/** An http(s) origin as browsers send it in `Origin`: scheme, host, optional port, no path. */
const ORIGIN = /^https?:\/\/([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;

/** The named ranges Fastify's trustProxy (proxy-addr) understands. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function items(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** The allowed cross-origin callers; empty means no cross-origin access at all. */
export function parseCorsOrigins(list: string | undefined): string[] {
  return items(list);
}

/** The items of CORS_ORIGINS that are not an http(s) origin without a path. */
export function invalidCorsOrigins(list: string | undefined): string[] {
  return items(list).filter((origin) => !ORIGIN.test(origin));
}

function isAddressOrCidr(item: string): boolean {
  if (NAMED_RANGES.has(item)) return true;
  const slash = item.indexOf('/');
  if (slash === -1) return isIP(item) !== 0;
  const address = item.slice(0, slash);
  const bits = item.slice(slash + 1);
  const family = isIP(address);
  if (family === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Fastify's `trustProxy` for TRUST_PROXY: the addresses/CIDRs of the proxies whose
 * `X-Forwarded-For` is believed, or `false` (the default: the peer address is the client).
 * `true` and hop counts are deliberately not offered: they would let any caller pick its address.
 */
export function parseTrustProxy(list: string | undefined): string[] | false {
  const trusted = items(list);
  return trusted.length > 0 ? trusted : false;
}

/** The items of TRUST_PROXY that are neither an IP address, a CIDR nor a named range. */
export function invalidTrustProxyItems(list: string | undefined): string[] {
  return items(list).filter((item) => !isAddressOrCidr(item));
}
