import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnvironment } from './environment';

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

export type ConversationConfig = ConfigType<typeof conversationConfig>;
export type AppConfig = ConfigType<typeof appConfig>;
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
export type DiaryConfig = ConfigType<typeof diaryConfig>;
