/**
 * DI tokens of what actually reads the diary, provided by the data source module the composition
 * root picks (DATA_SOURCE): the direct TypeORM adapters, or the bridge client. The symptoms module
 * wraps the executor (timeouts, retries, breaker, cache) and builds the ports
 * SymptomEntryRepository and DiaryStatisticsRepository on it; nothing else injects these tokens.
 */
export const SOURCE_EXECUTOR = Symbol('DiarySourceExecutor');
/** The readiness probe (a health DependencyProbe) of whatever the diary is read from. */
export const DIARY_PROBE = Symbol('DiaryProbe');
