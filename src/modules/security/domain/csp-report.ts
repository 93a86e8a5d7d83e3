/**
 * Content-Security-Policy violation reports, reduced to what is safe to log. Browsers send the
 * legacy `application/csp-report` body (`{"csp-report": {...}}`) or the Reporting API's
 * `application/reports+json` (an array of `{type: "csp-violation", body: {...}}`). Reports are
 * written by any page's visitor, so every field is untrusted: only the directive, the origin of
 * the blocked resource and the path of the document are kept, never query strings, fragments,
 * script samples or other content (they may carry health data or tokens).
 */
export interface CspViolation {
  /** The violated directive, e.g. `script-src-elem`. */
  readonly directive: string;
  /** The blocked resource's origin, or its kind (`inline`, `eval`, `data`, ...). */
  readonly blockedOrigin: string;
  /** The path of the page where it happened, without query string. */
  readonly documentPath: string;
}

/** Where browsers send violation reports (the CSP's report-uri). */
export const CSP_REPORT_PATH = '/api/csp-reports';
/** The report endpoint's name in `Reporting-Endpoints` and the CSP's report-to. */
export const CSP_REPORT_GROUP = 'csp-endpoint';
/** The content types browsers send reports as. */
export const CSP_REPORT_CONTENT_TYPES = ['application/csp-report', 'application/reports+json'];
/** A report body larger than this is refused (413): reports are small, and anyone can send them. */
export const CSP_REPORT_BODY_LIMIT_BYTES = 8 * 1024;
/** Reports a client address may send per minute, apart from its general budget. */
export const CSP_REPORTS_PER_MINUTE = 30;

/** At most this many violations are kept from one request (a batch of reports). */
export const MAX_VIOLATIONS_PER_REQUEST = 10;

const DIRECTIVE = /^[a-z][a-z-]{0,39}$/;
const KEYWORD = /^[a-z][a-z-]{0,39}$/;
const MAX_PATH_LENGTH = 200;

/** The violations described by a report body; anything unrecognisable is left out. */
export function violationsOf(body: unknown): CspViolation[] {
  const reports: unknown[] = Array.isArray(body) ? body : [body];
  const violations: CspViolation[] = [];
  for (const report of reports.slice(0, MAX_VIOLATIONS_PER_REQUEST)) {
    const violation = legacyViolation(report) ?? reportingApiViolation(report);
    if (violation !== undefined) violations.push(violation);
  }
  return violations;
}

function legacyViolation(report: unknown): CspViolation | undefined {
  const inner = field(report, 'csp-report');
  if (!isRecord(inner)) return undefined;
  return violation(
    field(inner, 'effective-directive') ?? field(inner, 'violated-directive'),
    field(inner, 'blocked-uri'),
    field(inner, 'document-uri'),
  );
}

function reportingApiViolation(report: unknown): CspViolation | undefined {
  if (field(report, 'type') !== 'csp-violation') return undefined;
  const body = field(report, 'body');
  if (!isRecord(body)) return undefined;
  return violation(
    field(body, 'effectiveDirective'),
    field(body, 'blockedURL'),
    field(body, 'documentURL') ?? field(report, 'url'),
  );
}

function violation(
  directive: unknown,
  blocked: unknown,
  document: unknown,
): CspViolation | undefined {
  if (typeof directive !== 'string') return undefined;
  return {
    directive: directiveName(directive),
    blockedOrigin: originOf(blocked),
    documentPath: pathOf(document),
  };
}

/** `script-src 'self'` (CSP level 2's violated-directive) names the directive first. */
function directiveName(value: string): string {
  const name = value.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return DIRECTIVE.test(name) ? name : 'unknown';
}

/**
 * `https://cdn.example/x.js?token=…` → `https://cdn.example`; `data:image/png;base64,…` → `data`;
 * keywords such as `inline`, `eval`, `self` stay as they are.
 */
export function originOf(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) return 'unknown';
  const trimmed = value.trim();
  if (KEYWORD.test(trimmed)) return trimmed;
  try {
    const url = new URL(trimmed);
    if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return url.origin;
    const scheme = url.protocol.slice(0, -1).toLowerCase();
    return KEYWORD.test(scheme) ? scheme : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** `https://api.example/docs/?x=1#y` → `/docs/`, truncated to a sane length. */
export function pathOf(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) return 'unknown';
  try {
    const url = new URL(value.trim());
    return url.pathname.slice(0, MAX_PATH_LENGTH);
  } catch {
    return 'unknown';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, name: string): unknown {
  return isRecord(value) && Object.hasOwn(value, name) ? value[name] : undefined;
}
