/** Zones already found valid: checking costs an Intl.DateTimeFormat, which is not cheap. */
const known = new Set<string>();
const KNOWN_LIMIT = 1000;

/** True when `zone` is an IANA time zone the runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  if (zone.length === 0) return false;
  if (known.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch {
    return false;
  }
  // Only valid zones are remembered (at most every IANA zone), so input cannot grow it unbounded.
  if (known.size < KNOWN_LIMIT) known.add(zone);
  return true;
}

/** The zone of the machine the service runs on (the home server's zone), UTC when unknown. */
export function systemTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isValidTimeZone(zone) ? zone : 'UTC';
}
