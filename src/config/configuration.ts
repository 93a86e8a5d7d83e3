import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnvironment } from './environment';
import { parseCorsOrigins, parseTrustProxy } from './security-settings';
import { parseAllowlist } from '../modules/security/domain/abuse-policy';

/** Typed configuration namespaces, each read once from the validated environment. */
export const appConfig = registerAs('app', () => {
  const env = validateEnvironment(process.env);
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    swaggerEnabled: env.SWAGGER_ENABLED,
    publicBaseUrl: env.PUBLIC_BASE_URL,
  };
});

export const databaseConfig = registerAs('database', () => {
  const env = validateEnvironment(process.env);
  return {
    diaryUrl: env.DATABASE_URL,
    diarySchema: env.DIARY_DB_SCHEMA,
    poolSize: env.DB_POOL_SIZE,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
    slowQueryMs: env.DB_SLOW_QUERY_MS,
    caFile: env.DATABASE_CA_FILE,
    readinessTimeoutMs: env.READINESS_TIMEOUT_MS,
    embedded: {
      dataDir: env.DATA_DIR,
      port: env.EMBEDDED_PG_PORT,
      demoData: env.DEMO_DATA,
    },
  };
});

export const diaryConfig = registerAs('diary', () => {
  const env = validateEnvironment(process.env);
  return {
    timeZone: env.DIARY_TIMEZONE,
    nameCacheTtlSeconds: env.SYMPTOM_NAME_CACHE_TTL_SECONDS,
  };
});

export const conversationConfig = registerAs('conversation', () => {
  const env = validateEnvironment(process.env);
  return {
    redisUrl: env.REDIS_URL,
    ttlMs: env.CONVERSATION_TTL_MINUTES * 60_000,
    maxTurns: env.CONVERSATION_MAX_TURNS,
    maxBytes: env.CONVERSATION_MAX_BYTES,
    memoryMax: env.CONVERSATION_MEMORY_MAX,
  };
});

export const resilienceConfig = registerAs('resilience', () => {
  const env = validateEnvironment(process.env);
  return {
    retries: env.DIARY_RETRIES,
    retryBaseMs: env.DIARY_RETRY_BASE_MS,
    retryMaxMs: env.DIARY_RETRY_MAX_MS,
    breakerThreshold: env.BREAKER_THRESHOLD,
    breakerHalfOpenAfterMs: env.BREAKER_HALF_OPEN_AFTER_MS,
    cache: {
      enabled: env.CACHE_ENABLED,
      redisUrl: env.REDIS_URL,
      maxEntries: env.CACHE_MAX_ENTRIES,
      ttlSeconds: {
        entries: env.CACHE_TTL_ENTRIES_SECONDS,
        stats: env.CACHE_TTL_STATS_SECONDS,
        people: env.CACHE_TTL_PEOPLE_SECONDS,
      },
      staleSeconds: env.CACHE_STALE_SECONDS,
    },
  };
});

/** The client side of the bridge (DATA_SOURCE=bridge). */
export const bridgeClientConfig = registerAs('bridgeClient', () => {
  const env = validateEnvironment(process.env);
  return {
    url: env.BRIDGE_URL,
    caFile: env.BRIDGE_CA,
    clientCertFile: env.BRIDGE_CLIENT_CERT,
    clientKeyFile: env.BRIDGE_CLIENT_KEY,
    keyId: env.BRIDGE_KEY_ID,
    secret: env.BRIDGE_SECRET,
    timeoutMs: env.BRIDGE_TIMEOUT_MS,
    connections: env.BRIDGE_CONNECTIONS,
    allowPlaintext: env.BRIDGE_ALLOW_PLAINTEXT,
  };
});

/** The bridge process (npm run start:bridge). */
export const bridgeServerConfig = registerAs('bridgeServer', () => {
  const env = validateEnvironment(process.env);
  return {
    port: env.BRIDGE_PORT,
    host: env.BRIDGE_HOST,
    tlsCertFile: env.BRIDGE_TLS_CERT,
    tlsKeyFile: env.BRIDGE_TLS_KEY,
    tlsClientCaFile: env.BRIDGE_TLS_CLIENT_CA,
    allowPlaintext: env.BRIDGE_ALLOW_PLAINTEXT,
    keys: env.BRIDGE_KEYS,
    maxConcurrency: env.BRIDGE_MAX_CONCURRENCY,
    maxRps: env.BRIDGE_MAX_RPS,
  };
});

/** Security at the edge: headers, CORS, rate limits (docs/security.md). */
export const securityConfig = registerAs('security', () => {
  const env = validateEnvironment(process.env);
  return {
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    rateLimitRedisPrefix: env.RATE_LIMIT_REDIS_PREFIX,
    redisUrl: env.REDIS_URL,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
    hstsMaxAgeSeconds: env.HSTS_MAX_AGE_SECONDS,
  };
});

export type SecurityConfig = ConfigType<typeof securityConfig>;
/**
 * Where the app's own tables (users, tokens) live: APP_DATABASE_URL, else the diary's server,
 * else the embedded cluster (src/infrastructure/database/app-database.module.ts).
 */
export const appDatabaseConfig = registerAs('appDatabase', () => {
  const env = validateEnvironment(process.env);
  return {
    url: env.APP_DATABASE_URL,
    diaryUrl: env.DATABASE_URL,
    dataSource: env.DATA_SOURCE,
    caFile: env.DATABASE_CA_FILE,
    connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
  };
});

export type AppDatabaseConfig = ConfigType<typeof appDatabaseConfig>;

/** Authentication: tokens, sign-in lockout, demo users (docs/security.md). */
export const authConfig = registerAs('auth', () => {
  const env = validateEnvironment(process.env);
  // The embedded default: no DATABASE_URL in direct mode, a demo diary in DATA_DIR.
  const embeddedDefault = env.DATA_SOURCE === 'direct' && env.DATABASE_URL === undefined;
  return {
    jwtSecret: env.JWT_SECRET,
    accessTtlSeconds: env.JWT_TTL_SECONDS,
    refreshTtlDays: env.REFRESH_TTL_DAYS,
    embeddedDefault,
    dataDir: env.DATA_DIR,
    demoUsers:
      embeddedDefault && env.DEMO_DATA
        ? { email: env.DEMO_USER_EMAIL, password: env.DEMO_USER_PASSWORD }
        : null,
    lockout: {
      maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
      lockMs: env.LOGIN_LOCK_MINUTES * 60_000,
    },
  };
});

export type AuthConfig = ConfigType<typeof authConfig>;

/** Metrics and the error store (docs/metrics.md, docs/errors.md). */
export const metricsConfig = registerAs('metrics', () => {
  const env = validateEnvironment(process.env);
  return {
    token: env.METRICS_TOKEN,
    errorStore: {
      retentionDays: env.ERROR_STORE_RETENTION_DAYS,
      maxRows: env.ERROR_STORE_MAX_ROWS,
      pruneEveryMs: env.ERROR_STORE_PRUNE_MINUTES * 60_000,
    },
  };
});

export type MetricsConfig = ConfigType<typeof metricsConfig>;
export type ResilienceConfig = ConfigType<typeof resilienceConfig>;
export type BridgeClientConfig = ConfigType<typeof bridgeClientConfig>;
export type BridgeServerConfig = ConfigType<typeof bridgeServerConfig>;
export type ConversationConfig = ConfigType<typeof conversationConfig>;
export type AppConfig = ConfigType<typeof appConfig>;
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
export type DiaryConfig = ConfigType<typeof diaryConfig>;

/** Abuse detection: request-pattern analysis and address blocks (docs/security.md). */
export const abuseConfig = registerAs('abuse', () => {
  const env = validateEnvironment(process.env);
  return {
    enabled: env.ABUSE_DETECTION_ENABLED,
    allowlist: parseAllowlist(env.ABUSE_ALLOWLIST),
    thresholds: {
      windowMs: env.ABUSE_WINDOW_SECONDS * 1000,
      blockMs: env.ABUSE_BLOCK_MINUTES * 60_000,
      signatureLimit: env.ABUSE_SIGNATURE_LIMIT,
      authFailureLimit: env.ABUSE_AUTH_FAILURE_LIMIT,
      notFoundLimit: env.ABUSE_NOT_FOUND_LIMIT,
      scanDistinctPaths: env.ABUSE_SCAN_DISTINCT_PATHS,
    },
    redisUrl: env.REDIS_URL,
    redisPrefix: env.ABUSE_REDIS_PREFIX,
  };
});

export type AbuseConfig = ConfigType<typeof abuseConfig>;
