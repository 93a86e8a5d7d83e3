/** One captured server-side error, as stored (docs/errors.md): no health data. */
export interface CapturedError {
  readonly id: string;
  readonly occurredAt: Date;
  readonly requestId: string;
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly code: string;
  /** The error's class name (`QueryFailedError`, `TypeError`, …). */
  readonly name: string;
  readonly message: string;
  readonly stack: string | null;
}

export const MAX_MESSAGE_LENGTH = 1000;
export const MAX_STACK_LENGTH = 8000;
export const REDACTED = '[redacted]';
/** Request values shorter than this are not searched for (a severity "7" is not a secret). */
const MIN_SECRET_LENGTH = 3;
const MAX_SECRETS = 200;

/** The request strings worth cutting out of a text, longest first (so a substring never wins). */
export function secretsOf(values: readonly string[]): string[] {
  const unique = new Set<string>();
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed.length >= MIN_SECRET_LENGTH) unique.add(trimmed);
    if (unique.size >= MAX_SECRETS) break;
  }
  return [...unique].sort((a, b) => b.length - a.length);
}

/**
 * A message or stack made safe to store and log: every value the client sent replaced by
 * [redacted] (case-insensitively), SQL string literals ('…') and query strings (?…) likewise,
 * and the length bounded. What is left is the code's own text: class names, SQL identifiers,
 * file paths and line numbers.
 */
export function redactErrorText(
  text: string,
  secrets: readonly string[],
  maxLength: number,
): string {
  let out = text;
  for (const secret of secrets) {
    out = replaceAllInsensitive(out, secret, REDACTED);
  }
  out = out
    .replace(/'(?:[^'\\]|\\.|'')*'/g, `'${REDACTED}'`)
    .replace(/\?[^\s"'()<>]+/g, `?${REDACTED}`);
  return out.length > maxLength ? `${out.slice(0, maxLength - 1)}…` : out;
}

function replaceAllInsensitive(text: string, needle: string, replacement: string): string {
  const lowerText = text.toLowerCase();
  const lowerNeedle = needle.toLowerCase();
  if (!lowerText.includes(lowerNeedle)) return text;
  let result = '';
  let from = 0;
  for (
    let at = lowerText.indexOf(lowerNeedle);
    at !== -1;
    at = lowerText.indexOf(lowerNeedle, from)
  ) {
    result += text.slice(from, at) + replacement;
    from = at + needle.length;
  }
  return result + text.slice(from);
}

/** The class name and message of anything thrown (a string, an object, an Error). */
export function describeThrown(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) {
    return {
      name: error.constructor?.name || error.name || 'Error',
      message: error.message,
      stack: error.stack,
    };
  }
  if (typeof error === 'string') return { name: 'string', message: error };
  return { name: typeof error, message: 'a non-Error value was thrown' };
}

/**
 * Dependency failures (502/503/504) are captured at most once per route and code per window:
 * during an outage every request fails the same way, and one record a minute tells the story
 * without pushing the unexpected errors out of the bounded store.
 */
export class DependencyFailureSampler {
  private readonly lastCaptured = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  shouldCapture(route: string, code: string, now: number): boolean {
    const key = `${route}\u0000${code}`;
    const last = this.lastCaptured.get(key);
    if (last !== undefined && now - last < this.windowMs) return false;
    this.lastCaptured.set(key, now);
    if (this.lastCaptured.size > 1000) {
      for (const [k, at] of this.lastCaptured)
        if (now - at >= this.windowMs) this.lastCaptured.delete(k);
    }
    return true;
  }
}
