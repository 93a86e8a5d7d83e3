/**
 * Attack signatures in requests (US-BE-31): SQL injection, XSS, path traversal and command
 * injection in the path, the query string and the body, and the well-known paths scanners probe.
 * Pure functions, heavily tested (attack-signatures.spec.ts), including what must NOT match.
 *
 * Two strengths of rule, by where a value comes from:
 * - `structured` values (the path, query parameters, body fields such as a date, an id, a sort
 *   order, an email) never hold SQL, markup or shell syntax: quotes followed by SQL, comments
 *   after a quote, `../`, `;cat` … are attacks there;
 * - `free-text` values (the chat's and the NLU's `text`: whatever a person types) may hold
 *   apostrophes, `--`, `<`, `;`, "select", "drop" and "union" in plain English. Only
 *   constructions nobody writes in a question about their diary match there: `UNION SELECT`,
 *   `' OR '1'='1`, `; DROP TABLE`, `<script`, an `onerror=` attribute, `$(curl …)`, `../../`.
 * Secrets (passwords, tokens) are never examined: any character is legitimate in a password.
 */

export type SignatureRule = 'sql-injection' | 'xss' | 'path-traversal' | 'command-injection';

export type ValueKind = 'structured' | 'free-text';

export interface SignatureMatch {
  readonly rule: SignatureRule;
  /** The matched text, truncated and sanitised for a log line (see `logSample`). */
  readonly sample: string;
}

interface Pattern {
  readonly rule: SignatureRule;
  readonly pattern: RegExp;
  /** Also applied to free text (the strong constructions only). */
  readonly freeText: boolean;
}

const SQL: readonly Pattern[] = [
  // UNION-based extraction: `x' UNION SELECT …`, `1 union all select null,null`.
  { pattern: /\bunion(?:\s+(?:all|distinct))?\s+select\b/, freeText: true },
  // Tautologies after a quote: `' OR '1'='1`, `" or ""="`, `' or 1=1`, `admin' or 'a' like 'a`.
  {
    pattern:
      /['"`][\s)]{0,8}(?:or|and|\|\||&&)[\s(]{1,8}['"`]?\w{0,40}['"`]?\s?(?:=|<>|!=|\blike\b)\s?['"`]?\w{0,40}/,
    freeText: true,
  },
  // Numeric tautologies (sqlmap's boolean probes): `1 AND 4312=4312`, `) or 2>1`.
  { pattern: /\b(?:or|and)\s+(\d+)\s*=\s*\1\b/, freeText: false },
  { pattern: /\b(?:or|and)\s+\d+\s*[<>]=?\s*\d+\b/, freeText: false },
  // Stacked statements: `; DROP TABLE x`, `;delete from users`, `; exec xp_…`.
  {
    pattern:
      /;\s*(?:drop\s+(?:table|database|schema|view|function)|truncate\s+table?|alter\s+(?:table|user|role)|delete\s+from|insert\s+into|update\s+\w+\s+set|create\s+(?:table|user|role|function)|grant\s+\w+|exec(?:ute)?\s+\w+|shutdown\b|select\s+\S)/,
    freeText: true,
  },
  // A quote closed, then a comment swallowing the rest: `admin'--`, `1'#`, `x' /*`.
  { pattern: /['"`][\s)]{0,8}(?:--|#|\/\*)/, freeText: false },
  // Comments used as whitespace inside keywords: `UN/**/ION`, `SEL/*x*/ECT`.
  { pattern: /\/\*[\s\S]{0,20}?\*\//, freeText: false },
  // Time-based blind probes.
  {
    pattern: /\b(?:pg_sleep|sleep|benchmark)\s*\(\s*\d|\bwaitfor\s+delay\s+['"]/,
    freeText: false,
  },
  { pattern: /\bpg_sleep\s*\(|\bwaitfor\s+delay\s+'\d/, freeText: true },
  // Catalogs and functions no question names.
  {
    pattern:
      /\b(?:information_schema|pg_catalog|pg_shadow|pg_user|sysobjects|syscolumns|xp_cmdshell|sqlite_master|mysql\.user)\b|\b(?:load_file|extractvalue|updatexml|dbms_pipe\.receive_message|utl_inaddr)\s*\(/,
    freeText: true,
  },
  // Sub-selects, CASE probes, ORDER BY column counting, CHR() concatenation.
  { pattern: /\(\s*select\b/, freeText: false },
  { pattern: /\bcase\s+when\b[\s\S]{1,80}?\bthen\b/, freeText: false },
  { pattern: /\border\s+by\s+\d+\s*(?:--|#|\/\*|$)/, freeText: false },
  { pattern: /\b(?:chr|char)\s*\(\s*\d+\s*\)\s*(?:\|\||\+|,)/, freeText: false },
  // `'; …` or `';` closing a string to start a new statement.
  { pattern: /['"`][\s)]{0,8};/, freeText: false },
].map((p) => ({ ...p, rule: 'sql-injection' as const }));

const XSS: readonly Pattern[] = [
  { pattern: /<\s*\/?\s*script\b/, freeText: true },
  // An event-handler attribute inside a tag: `<img src=x onerror=…>`, `"><svg onload=…`.
  { pattern: /<\s?[a-z][^<>]{0,200}?[\s"'/]on[a-z]{3,20}\s?=/, freeText: true },
  // Event handlers injected into an attribute without a new tag: `" onmouseover="…`.
  { pattern: /["'`]\s*on[a-z]{3,}\s*=/, freeText: false },
  // Tags that run or load things.
  {
    pattern:
      /<\s*(?:iframe|frame|object|embed|svg|math|img|image|body|video|audio|source|base|link|meta|style|form|details|marquee|isindex|applet)\b[\s/>]/,
    freeText: true,
  },
  // javascript:/vbscript: URLs (the start of a value, or after an attribute).
  { pattern: /^\s*(?:javascript|vbscript|livescript)\s*:/, freeText: false },
  {
    pattern: /\b(?:href|src|action|formaction|xlink:href)\s*=\s*["'`]?\s*(?:javascript|vbscript):/,
    freeText: true,
  },
  { pattern: /\bdata\s*:\s*text\/html\b/, freeText: true },
  // Script payloads without a tag (reflected in a script context).
  {
    pattern:
      /\b(?:alert|confirm|prompt)\s*\(\s*(?:\d|document|window|['"`])|\bdocument\s*\.\s*(?:cookie|domain|write)\b|\bstring\s*\.\s*fromcharcode\s*\(/,
    freeText: true,
  },
  { pattern: /\beval\s*\(|\bexpression\s*\(/, freeText: false },
].map((p) => ({ ...p, rule: 'xss' as const }));

const TRAVERSAL: readonly Pattern[] = [
  // `../`, `..\`, at a segment boundary (after decoding, so %2e%2e%2f and %252e too).
  { pattern: /(?:^|[/\\])\.\.(?:[/\\]|$)/, freeText: false },
  { pattern: /(?:\.\.[/\\]){2,}/, freeText: true },
  // Files every traversal tries.
  {
    pattern:
      /(?:^|[/\\])etc[/\\](?:passwd|shadow|hosts|group)\b|[/\\]proc[/\\]self[/\\]|\bc:[/\\]+windows\b|\b(?:win|boot|system)\.ini\b|[/\\]windows[/\\]system32\b/,
    freeText: true,
  },
  // A NUL byte (truncation of a file name) or an overlong UTF-8 dot/slash.
  // eslint-disable-next-line no-control-regex
  { pattern: /\u0000|%c0%ae|%c0%af|%c1%9c|%e0%80%ae/, freeText: false },
  // file:// URLs.
  { pattern: /^\s*file:\/\//, freeText: false },
].map((p) => ({ ...p, rule: 'path-traversal' as const }));

const SHELL_COMMANDS =
  '(?:cat|ls|id|whoami|uname|wget|curl|nc|ncat|netcat|bash|sh|zsh|ping|nslookup|dig|powershell|cmd(?:\\.exe)?|rm|chmod|chown|python[23]?|perl|php|ruby|sleep|echo|env|ifconfig|telnet|tftp)';

const COMMAND: readonly Pattern[] = [
  // A command after a separator: `x; cat /etc/passwd`, `1 && id`, `| whoami`.
  {
    pattern: new RegExp(`(?:;|&&|\\|\\||\\||\\n)\\s*${SHELL_COMMANDS}(?:\\s|$|;|&|\\|)`),
    freeText: false,
  },
  // Command substitution: `$(id)`, `` `uname -a` ``, `${IFS}`.
  { pattern: new RegExp(`\\$\\(\\s*${SHELL_COMMANDS}\\b`), freeText: true },
  { pattern: new RegExp('`\\s*' + SHELL_COMMANDS + '\\b[^`]*`'), freeText: true },
  { pattern: /\$\{\s*(?:ifs|path|home|shell)\s*\}/, freeText: true },
  // Shells and downloaders named outright.
  {
    pattern:
      /\/bin\/(?:ba|z|da)?sh\b|\b(?:nc|ncat|netcat)\s+-[a-z]*[elvn]|\b(?:wget|curl)\s+(?:-\S+\s+)*https?:\/\/\S+\s*\|\s*(?:ba)?sh\b/,
    freeText: true,
  },
  // Log4Shell-style lookups (a JNDI string anywhere is an attack).
  { pattern: /\$\{\s*(?:jndi|env|sys|lower|upper|::-)[:\s]/, freeText: true },
].map((p) => ({ ...p, rule: 'command-injection' as const }));

const PATTERNS: readonly Pattern[] = [...SQL, ...XSS, ...TRAVERSAL, ...COMMAND];

/** Longest value examined (bodies are at most 16 KiB; a long value is cut, not skipped). */
const MAX_VALUE_LENGTH = 4096;
/** Longest sample a log line carries. */
export const SAMPLE_LENGTH = 48;

/**
 * The forms a value is matched in: as sent, and URL-decoded once and twice (so `%27%20OR`,
 * `%252e%252e%252f` are seen), lower-cased, with `+` read as a space.
 */
export function decodedForms(value: string): string[] {
  const forms = new Set<string>();
  let current = value.slice(0, MAX_VALUE_LENGTH);
  forms.add(squeeze(current.toLowerCase()));
  for (let i = 0; i < 2; i++) {
    const next = safeDecode(current.replace(/\+/g, ' '));
    if (next === current) break;
    current = next;
    forms.add(squeeze(current.toLowerCase()));
  }
  // HTML entities a browser would decode in an attribute: `&lt;script`, `&#x3c;script`.
  for (const form of [...forms]) {
    if (form.includes('&')) forms.add(decodeEntities(form));
  }
  return [...forms];
}

/**
 * Runs of whitespace as one character (a newline if the run has one, which separates shell
 * commands): no pattern then backtracks over long runs of spaces (a cheap denial of service).
 */
function squeeze(value: string): string {
  return value.replace(/\s{2,}/g, (run) => (run.includes('\n') ? '\n' : ' '));
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    // Malformed escapes: decode what can be decoded.
    return value.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    );
  }
}

function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]{1,6});?/g, (_, hex: string) => fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d{1,7});?/g, (_, dec: string) => fromCodePoint(Number(dec)))
    .replace(/&lt;?/g, '<')
    .replace(/&gt;?/g, '>')
    .replace(/&quot;?/g, '"')
    .replace(/&apos;?|&#39;?/g, "'");
}

function fromCodePoint(code: number): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

/**
 * Structured values seen lately and what they matched (null: nothing). The same few paths,
 * parameter names and values (`symptom`, `headache`, a date) come with almost every request, and
 * running every pattern over every decoded form of them was about 4 % of a request's CPU. The
 * answer is a pure function of the value, so a remembered one is the same; only short values are
 * kept, the oldest go first, and free text (what a person types) is never kept.
 */
const REMEMBERED_MAX_ENTRIES = 1024;
const REMEMBERED_MAX_LENGTH = 128;
const remembered = new Map<string, SignatureMatch | null>();

/** The first signature a value matches, or undefined. */
export function matchSignature(value: string, kind: ValueKind): SignatureMatch | undefined {
  if (value.length === 0) return undefined;
  if (kind === 'free-text' || value.length > REMEMBERED_MAX_LENGTH) {
    return firstMatch(value, kind);
  }
  const known = remembered.get(value);
  if (known !== undefined) return known ?? undefined;
  const found = firstMatch(value, kind);
  if (remembered.size >= REMEMBERED_MAX_ENTRIES) {
    const oldest = remembered.keys().next().value;
    if (oldest !== undefined) remembered.delete(oldest);
  }
  remembered.set(value, found === undefined ? null : Object.freeze(found));
  return found;
}

function firstMatch(value: string, kind: ValueKind): SignatureMatch | undefined {
  for (const form of decodedForms(value)) {
    for (const { rule, pattern, freeText } of PATTERNS) {
      if (kind === 'free-text' && !freeText) continue;
      const found = pattern.exec(form);
      if (found) return { rule, sample: logSample(found[0]) };
    }
  }
  return undefined;
}

/**
 * A matched text fit for a log line: control and non-ASCII characters replaced by `?`, at most
 * SAMPLE_LENGTH characters (an ellipsis marks a cut). It is the matched pattern only, never the
 * value around it.
 */
export function logSample(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > SAMPLE_LENGTH ? `${clean.slice(0, SAMPLE_LENGTH - 1)}…` : clean;
}

/**
 * Paths scanners try on every server: dotfiles with secrets, version-control metadata, PHP
 * applications and their admin tools, Java/Spring consoles, router exploits. This API serves
 * none of them, so a request for one is a probe. (`/.well-known/` is not a probe.)
 */
const PROBE_PATHS: readonly RegExp[] = [
  /(?:^|\/)\.(?:env|git|svn|hg|bzr|aws|ssh|docker|kube|npmrc|htaccess|htpasswd|ds_store|idea|vscode|bash_history|config)(?:[./_-]|$)/,
  /(?:^|\/)(?:wp-(?:login|admin|content|includes|config|json)|wordpress|xmlrpc\.php|phpmyadmin|phpma|pma|myadmin|mysqladmin|adminer|dbadmin|sqladmin)(?:[./]|$)/,
  /(?:^|\/)(?:cgi-bin|server-status|server-info|actuator|jmx-console|manager\/html|solr|hudson|jenkins|boaform|hnap1|owa|autodiscover|ecp|remote\/login|vendor\/phpunit|telescope|_profiler|_ignition|console)(?:[./]|$)/,
  /\.(?:php\d?|phtml|asp|aspx|ashx|jsp|jspa|do|action|cgi|pl|cfm|bak|old|orig|swp|sql|sqlite|db|tar|tgz|gz|zip|rar|7z|pem|key|ini|log|conf)$/,
  /(?:^|\/)(?:id_rsa|id_ed25519|web\.config|config\.(?:json|yml|yaml)|credentials(?:\.json)?|secrets?\.(?:json|yml|yaml)|docker-compose\.ya?ml|composer\.(?:json|lock)|package\.json|\.?env\.(?:local|prod|production|dev|development|bak|backup))$/,
];

/** Whether `path` (without the query string) is a well-known probe path. */
export function isProbePath(path: string): boolean {
  const lower = path.toLowerCase();
  for (const form of new Set([lower, safeDecode(lower).toLowerCase()])) {
    if (form.startsWith('/.well-known/')) continue;
    if (PROBE_PATHS.some((pattern) => pattern.test(form))) return true;
  }
  return false;
}
