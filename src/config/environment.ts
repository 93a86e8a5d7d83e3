import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import { isValidTimeZone, systemTimeZone } from '../shared/domain/time-zone';
import { invalidCorsOrigins, invalidTrustProxyItems } from './security-settings';
import { IsAddressAllowlist } from './abuse-settings';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;

/**
 * Every environment variable the service reads, with its default. Validated once at boot;
 * `.env.example` and the README's table list the same variables.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Where the embedded PostgreSQL keeps its cluster when DATABASE_URL is unset. */
  @IsString()
  @MinLength(1)
  DATA_DIR = './.data';

  /** The diary database. Unset: an embedded PostgreSQL with a demo diary is started in DATA_DIR. */
  @IsOptional()
  @Matches(POSTGRES_URL, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** The schema of the legacy symptom_log table. */
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, {
    message: 'DIARY_DB_SCHEMA must be a lowercase SQL identifier',
  })
  DIARY_DB_SCHEMA = 'public';

  /** IANA zone of the diary's wall-clock timestamps (the home server's zone). */
  @IsString()
  DIARY_TIMEZONE: string = systemTimeZone();

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  DB_POOL_SIZE = 10;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  DB_STATEMENT_TIMEOUT_MS = 3000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  DB_CONNECT_TIMEOUT_MS = 2000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600000)
  DB_SLOW_QUERY_MS = 200;

  /** Port of the embedded PostgreSQL; 0 picks a free one at start. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  EMBEDDED_PG_PORT = 0;

  /** Fill an empty embedded diary with the demo diary. */
  @Transform(toBool)
  @IsBoolean()
  DEMO_DATA = true;

  /** How long the index of the diary's distinct symptom names is reused before a refresh. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  SYMPTOM_NAME_CACHE_TTL_SECONDS = 60;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(30000)
  READINESS_TIMEOUT_MS = 1000;

  @Transform(toBool)
  @IsBoolean()
  SWAGGER_ENABLED = true;

  /** Shared store for conversations (and later rate limits and caches) across instances. */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** A conversation ends after this many minutes without a message (never under 10). */
  @Transform(toInt)
  @IsInt()
  @Min(10, { message: 'CONVERSATION_TTL_MINUTES must be at least 10' })
  @Max(1440)
  CONVERSATION_TTL_MINUTES = 30;

  /** Turns a conversation keeps (the oldest go first). */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(500)
  CONVERSATION_MAX_TURNS = 50;

  /** Size a stored conversation may reach, in bytes (the oldest turns go first). */
  @Transform(toInt)
  @IsInt()
  @Min(4096)
  @Max(4_194_304)
  CONVERSATION_MAX_BYTES = 262_144;

  /** Conversations kept in memory when REDIS_URL is unset (least recently used go first). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(1_000_000)
  CONVERSATION_MEMORY_MAX = 10_000;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  PUBLIC_BASE_URL?: string;

  // --- Where diary reads go (docs/bridge.md) -------------------------------------------------

  /** `direct`: this process reads the diary database; `bridge`: every read goes through the bridge. */
  @IsIn(['direct', 'bridge'])
  DATA_SOURCE: 'direct' | 'bridge' = 'direct';

  /** The bridge, for DATA_SOURCE=bridge: https://host:4000 (http:// only with BRIDGE_ALLOW_PLAINTEXT). */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(:\d+)?\/?$/, {
    message: 'BRIDGE_URL must be http(s)://host[:port] without a path',
  })
  BRIDGE_URL?: string;

  /** PEM file of the CA that signed the bridge's certificate (the client trusts only it). */
  @IsOptional()
  @IsString()
  BRIDGE_CA?: string;

  /** Client certificate and key (PEM files) for mutual TLS with the bridge. */
  @IsOptional()
  @IsString()
  BRIDGE_CLIENT_CERT?: string;

  @IsOptional()
  @IsString()
  BRIDGE_CLIENT_KEY?: string;

  /** The key this client signs with (BRIDGE_SECRET / BRIDGE_SECRET_FILE holds its secret). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'BRIDGE_KEY_ID must be 1-64 of [A-Za-z0-9_.-]' })
  BRIDGE_KEY_ID?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'BRIDGE_SECRET must be at least 32 characters' })
  BRIDGE_SECRET?: string;

  /** Milliseconds a call to the bridge may take, connection included. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60000)
  BRIDGE_TIMEOUT_MS = 1500;

  /** Keep-alive connections the client pools per bridge. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(256)
  BRIDGE_CONNECTIONS = 16;

  /** Allow plain HTTP between client and bridge (local development only). */
  @Transform(toBool)
  @IsBoolean()
  BRIDGE_ALLOW_PLAINTEXT = false;

  // --- The bridge process (npm run start:bridge) ---------------------------------------------

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  BRIDGE_PORT = 4000;

  @IsString()
  @MinLength(1)
  BRIDGE_HOST = '0.0.0.0';

  /** The bridge's certificate and key (PEM files). */
  @IsOptional()
  @IsString()
  BRIDGE_TLS_CERT?: string;

  @IsOptional()
  @IsString()
  BRIDGE_TLS_KEY?: string;

  /** With it, the bridge asks for client certificates signed by this CA (mutual TLS). */
  @IsOptional()
  @IsString()
  BRIDGE_TLS_CLIENT_CA?: string;

  /** Accepted keys: id1:secret1,id2:secret2 (several while a key rotates). */
  @IsOptional()
  @IsString()
  BRIDGE_KEYS?: string;

  /** Queries the bridge runs at once; more answer 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(256)
  BRIDGE_MAX_CONCURRENCY = 8;

  /** Queries per second the bridge accepts (all clients together); more answer 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  BRIDGE_MAX_RPS = 100;

  /** PEM file of the CA of the diary database's server certificate: TLS with verify-full. */
  @IsOptional()
  @IsString()
  DATABASE_CA_FILE?: string;

  // --- Surviving failures of the diary (bridge or direct) ------------------------------------

  /** Retries of a failed diary read (exponential backoff, full jitter). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(5)
  DIARY_RETRIES = 2;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  DIARY_RETRY_BASE_MS = 50;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30000)
  DIARY_RETRY_MAX_MS = 500;

  /** Consecutive failed reads that open the circuit breaker. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  BREAKER_THRESHOLD = 5;

  /** How long the open breaker refuses before it lets one trial read through. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  BREAKER_HALF_OPEN_AFTER_MS = 5000;

  /** Cache diary answers (memory, or Redis when REDIS_URL is set). */
  @Transform(toBool)
  @IsBoolean()
  CACHE_ENABLED = true;

  /** Answers the in-memory cache holds (least recently used go first). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(1_000_000)
  CACHE_MAX_ENTRIES = 5000;

  /** Seconds an answer is fresh: entry lists, statistics, the list of people. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  CACHE_TTL_ENTRIES_SECONDS = 30;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  CACHE_TTL_STATS_SECONDS = 60;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  CACHE_TTL_PEOPLE_SECONDS = 300;

  /** How long past freshness a cached answer may still serve, marked stale, while the diary is down. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(604800)
  CACHE_STALE_SECONDS = 86400;

  // --- Security at the edge (docs/security.md) -----------------------------------------------

  /** Requests a client address may make per minute (routes with @Throttle have their own). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 60;

  /** Prefix of the rate-limit counters in Redis (several deployments may share one Redis). */
  @Matches(/^[A-Za-z0-9:_.-]{1,64}$/, {
    message: 'RATE_LIMIT_REDIS_PREFIX must be 1-64 of [A-Za-z0-9:_.-]',
  })
  RATE_LIMIT_REDIS_PREFIX = 'rate-limit:';

  /** Proxies (addresses, CIDRs, loopback) whose X-Forwarded-For is believed; unset: none. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  TRUST_PROXY?: string;

  /** Origins allowed to call the API from a browser (comma-separated); unset: none. */
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  CORS_ORIGINS?: string;

  /** Strict-Transport-Security max-age; browsers keep to HTTPS this long after a visit. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(63_072_000)
  HSTS_MAX_AGE_SECONDS = 31_536_000;

  // --- Authentication (docs/security.md) -----------------------------------------------------

  /** The app's own database (users, tokens); unset: the diary's server (schema `app`). */
  @IsOptional()
  @Matches(POSTGRES_URL, { message: 'APP_DATABASE_URL must be a postgres:// or postgresql:// URL' })
  APP_DATABASE_URL?: string;

  /** HS256 key of the access tokens; required unless the embedded default generates one. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 bytes' })
  @MaxLength(512)
  JWT_SECRET?: string;

  /** Lifetime of an access token, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  JWT_TTL_SECONDS = 900;

  /** Lifetime of a refresh token from its issue, in days (each refresh issues a new one). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TTL_DAYS = 30;

  /** Embedded default only: the demo user who reads the first demo person's diary. */
  @IsString()
  @Matches(/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/, {
    message: 'DEMO_USER_EMAIL must be an email address',
  })
  @MaxLength(254)
  DEMO_USER_EMAIL = 'demo@example.com';

  @IsString()
  @MinLength(12, { message: 'DEMO_USER_PASSWORD must be at least 12 characters' })
  @MaxLength(128)
  DEMO_USER_PASSWORD = 'demo-password-123';

  /** Failed sign-ins of one account that lock it (half of them slow it down first). */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(1000)
  LOGIN_MAX_FAILURES_PER_ACCOUNT = 10;

  /** Failed sign-ins from one client address that lock it (half of them slow it down first). */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(100000)
  LOGIN_MAX_FAILURES_PER_ADDRESS = 30;

  /** How long a lock lasts, and how long a failed sign-in is remembered. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  LOGIN_LOCK_MINUTES = 15;

  // --- Containers: waiting for the databases at start (docs/deployment.md) ------------------

  /** How long a starting process retries its databases (backoff 0.5 s to 10 s) before it exits 1. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  STARTUP_WAIT_SECONDS = 60;

  // --- Metrics and the error store (docs/metrics.md, docs/errors.md) ---

  /** Bearer token GET /metrics requires (API and bridge); unset: /metrics answers anyone. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  @MaxLength(512)
  METRICS_TOKEN?: string;

  /** Unexpected errors older than this are pruned from the error store. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  ERROR_STORE_RETENTION_DAYS = 30;

  /** The error store keeps at most this many errors (the oldest go first). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(10_000_000)
  ERROR_STORE_MAX_ROWS = 10_000;

  /** How often the error store is pruned (also once at start). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  ERROR_STORE_PRUNE_MINUTES = 60;

  // --- Abuse detection: request-pattern analysis and address blocks (docs/security.md) ---------

  /** Examine requests and block addresses that attack or scan; false: nothing is examined. */
  @Transform(toBool)
  @IsBoolean()
  ABUSE_DETECTION_ENABLED = true;

  /** Addresses and CIDRs never blocked (still examined and logged), comma-separated. */
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  @IsAddressAllowlist()
  ABUSE_ALLOWLIST?: string;

  /** How long a block lasts. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10080)
  ABUSE_BLOCK_MINUTES = 15;

  /** The window over which the counts below are kept. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  ABUSE_WINDOW_SECONDS = 60;

  /** Attack-signature or probe-path matches in a window that block (1: the first). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  ABUSE_SIGNATURE_LIMIT = 1;

  /** 401 answers to one address in a window that block it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  ABUSE_AUTH_FAILURE_LIMIT = 20;

  /** 404 answers to one address in a window that block it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  ABUSE_NOT_FOUND_LIMIT = 30;

  /** Distinct unknown paths (no route) from one address in a window that block it (a scan). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  ABUSE_SCAN_DISTINCT_PATHS = 15;

  /** Prefix of the abuse counters and blocks in Redis. */
  @Matches(/^[A-Za-z0-9:_.-]{1,64}$/, {
    message: 'ABUSE_REDIS_PREFIX must be 1-64 of [A-Za-z0-9:_.-]',
  })
  ABUSE_REDIS_PREFIX = 'abuse:';
}

/** Reads `NAME_FILE` (Docker secrets) into `NAME` for the variables that hold secrets. */
function resolveFileVariables(raw: Record<string, unknown>): Record<string, unknown> {
  const resolved = { ...raw };
  for (const name of [
    'DATABASE_URL',
    'REDIS_URL',
    'BRIDGE_SECRET',
    'BRIDGE_KEYS',
    'JWT_SECRET',
    'APP_DATABASE_URL',
    'METRICS_TOKEN',
  ]) {
    const file = raw[`${name}_FILE`];
    if (resolved[name] === undefined && typeof file === 'string' && file.length > 0) {
      if (!existsSync(file)) throw new Error(`${name}_FILE points to a missing file: ${file}`);
      resolved[name] = readFileSync(file, 'utf8').trim();
    }
  }
  return resolved;
}

/** Validates the environment; throws one error listing every wrong variable (never its value). */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const withoutEmpty = Object.fromEntries(
    Object.entries(resolveFileVariables(raw)).filter(([, v]) => v !== ''),
  );
  const env = plainToInstance(Environment, withoutEmpty, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  const messages = errors.flatMap((e) => Object.values(e.constraints ?? {}));
  if (!isValidTimeZone(env.DIARY_TIMEZONE)) {
    messages.push('DIARY_TIMEZONE must be an IANA time zone such as Europe/Berlin');
  }
  if (invalidCorsOrigins(env.CORS_ORIGINS).length > 0) {
    messages.push('CORS_ORIGINS must list http(s) origins without a path (https://app.example)');
  }
  if (invalidTrustProxyItems(env.TRUST_PROXY).length > 0) {
    messages.push('TRUST_PROXY must list IP addresses, CIDRs or loopback/linklocal/uniquelocal');
  }
  if (env.DATA_SOURCE === 'bridge') {
    if (!env.BRIDGE_URL) messages.push('DATA_SOURCE=bridge needs BRIDGE_URL');
    if (!env.BRIDGE_KEY_ID || !env.BRIDGE_SECRET) {
      messages.push(
        'DATA_SOURCE=bridge needs BRIDGE_KEY_ID and BRIDGE_SECRET (or BRIDGE_SECRET_FILE)',
      );
    }
    if (env.BRIDGE_URL?.startsWith('http:') && !env.BRIDGE_ALLOW_PLAINTEXT) {
      messages.push(
        'BRIDGE_URL is plain http: use https, or set BRIDGE_ALLOW_PLAINTEXT=true (development only)',
      );
    }
  }
  if (env.APP_DATABASE_URL === undefined && env.DIARY_DB_SCHEMA === 'app') {
    messages.push(
      "DIARY_DB_SCHEMA must not be 'app' (the app's own schema) unless APP_DATABASE_URL is set",
    );
  }
  if (Boolean(env.BRIDGE_CLIENT_CERT) !== Boolean(env.BRIDGE_CLIENT_KEY)) {
    messages.push('BRIDGE_CLIENT_CERT and BRIDGE_CLIENT_KEY go together');
  }
  if (Boolean(env.BRIDGE_TLS_CERT) !== Boolean(env.BRIDGE_TLS_KEY)) {
    messages.push('BRIDGE_TLS_CERT and BRIDGE_TLS_KEY go together');
  }
  if (messages.length > 0) {
    throw new Error(`Invalid configuration:\n  - ${messages.join('\n  - ')}`);
  }
  return env;
}
