import { InvalidInputError, InvalidParameter } from '../../../../shared/domain/domain-error';
import type { DiaryStatisticsRepository } from '../../application/diary-statistics.repository';
import type { SymptomEntryRepository } from '../../application/symptom-entry.repository';

/** JSON as it crosses the wire or sits in a cache. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The adapters one diary read finally runs on. */
export interface DiarySources {
  readonly entries: SymptomEntryRepository;
  readonly statistics: DiaryStatisticsRepository;
}

/**
 * How long a cached answer of a query stays fresh: entry lists and counts change as the person
 * writes, statistics a little slower, the household's people rarely.
 */
export type QueryKind = 'entries' | 'stats' | 'people';

/**
 * One named diary read: what the bridge serves as `{ name, params }` and what the response cache
 * keys on. Params and results have a JSON form (dates as ISO strings) so that the bridge and
 * Redis carry them unchanged; `decodeParams` validates untrusted input completely and throws
 * InvalidInputError (400) for anything else.
 */
export interface DiaryQuery<Args extends readonly unknown[], Result> {
  readonly name: string;
  readonly kind: QueryKind;
  encodeParams(args: Args): JsonObject;
  decodeParams(params: unknown): Args;
  encodeResult(result: Result): Json;
  decodeResult(json: Json): Result;
  run(sources: DiarySources, args: Args): Promise<Result>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDiaryQuery = DiaryQuery<any, any>;

/**
 * Runs diary queries. Implementations: straight on the adapters (direct), over the bridge, and
 * the resilient decorator (timeouts, retries, breaker, cache) around either.
 */
export abstract class DiaryQueryExecutor {
  abstract execute<Args extends readonly unknown[], Result>(
    query: DiaryQuery<Args, Result>,
    args: Args,
  ): Promise<Result>;
}

/** The direct executor: the query runs on the given adapters in this process. */
export class SourceQueryExecutor extends DiaryQueryExecutor {
  constructor(readonly sources: DiarySources) {
    super();
  }

  execute<Args extends readonly unknown[], Result>(
    query: DiaryQuery<Args, Result>,
    args: Args,
  ): Promise<Result> {
    return query.run(this.sources, args);
  }
}

/** Reads untrusted JSON params, collecting every problem before throwing one InvalidInputError. */
export class ParamReader {
  readonly problems: InvalidParameter[] = [];

  constructor(
    private readonly value: Record<string, unknown>,
    private readonly prefix = '',
  ) {}

  static of(params: unknown, allowed: readonly string[], prefix = ''): ParamReader {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw invalid([{ name: prefix || 'params', reason: 'must be an object' }]);
    }
    const reader = new ParamReader(params as Record<string, unknown>, prefix);
    for (const key of Object.keys(params)) {
      if (!allowed.includes(key)) {
        reader.problems.push({ name: reader.path(key), reason: 'is not a known parameter' });
      }
    }
    return reader;
  }

  path(key: string): string {
    return this.prefix ? `${this.prefix}.${key}` : key;
  }

  has(key: string): boolean {
    return this.value[key] !== undefined;
  }

  raw(key: string): unknown {
    return this.value[key];
  }

  integer(key: string, min: number, max: number, optional: true): number | undefined;
  integer(key: string, min: number, max: number, optional?: false): number;
  integer(key: string, min: number, max: number, optional = false): number | undefined {
    const v = this.value[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.problems.push({
        name: this.path(key),
        reason: `must be an integer from ${min} to ${max}`,
      });
      return min;
    }
    return v;
  }

  boolean(key: string): boolean {
    const v = this.value[key];
    if (typeof v !== 'boolean') {
      this.problems.push({ name: this.path(key), reason: 'must be a boolean' });
      return false;
    }
    return v;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const v = this.value[key];
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      this.problems.push({ name: this.path(key), reason: `must be one of ${values.join(', ')}` });
      return values[0];
    }
    return v as T;
  }

  string(key: string, maxLength: number, optional: true): string | undefined;
  string(key: string, maxLength: number, optional?: false): string;
  string(key: string, maxLength: number, optional = false): string | undefined {
    const v = this.value[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || v.length === 0 || v.length > maxLength) {
      this.problems.push({
        name: this.path(key),
        reason: `must be a string of 1 to ${maxLength} characters`,
      });
      return '';
    }
    return v;
  }

  strings(key: string, maxItems: number, maxLength: number): string[] {
    const v = this.value[key];
    if (
      !Array.isArray(v) ||
      v.length > maxItems ||
      !v.every((s) => typeof s === 'string' && s.length > 0 && s.length <= maxLength)
    ) {
      this.problems.push({
        name: this.path(key),
        reason: `must be an array of at most ${maxItems} strings`,
      });
      return [];
    }
    return v as string[];
  }

  /** An ISO 8601 instant with an offset, as `Date.toISOString()` writes it. */
  instant(key: string): Date | undefined {
    const v = this.value[key];
    if (v === undefined) return undefined;
    if (
      typeof v !== 'string' ||
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(v) ||
      Number.isNaN(Date.parse(v))
    ) {
      this.problems.push({ name: this.path(key), reason: 'must be an ISO 8601 UTC instant' });
      return undefined;
    }
    return new Date(v);
  }

  /** Throws when anything was wrong, here or in the readers merged in. */
  done(...others: ParamReader[]): void {
    const all = [...this.problems, ...others.flatMap((o) => o.problems)];
    if (all.length > 0) throw invalid(all);
  }
}

function invalid(problems: InvalidParameter[]): InvalidInputError {
  const names = [...new Set(problems.map((p) => p.name))];
  return new InvalidInputError(
    'REQUEST.VALIDATION_FAILED',
    `The query has ${names.length} invalid parameter${names.length === 1 ? '' : 's'}: ${names.join(', ')}.`,
    problems,
  );
}
