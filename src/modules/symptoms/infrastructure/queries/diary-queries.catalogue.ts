import type {
  BucketTotals,
  ConceptTotals,
  EntryTotals,
  OccurrenceOrder,
  SeverityTotals,
} from '../../application/diary-statistics.repository';
import type { DiaryFilter, PersonTally } from '../../domain/diary-statistics';
import { SymptomCatalog } from '../../domain/symptom-catalog';
import type { ConceptCount, SymptomEntry } from '../../domain/symptom-entry';
import {
  MAX_PAGE_SIZE,
  SEVERITY_MAX,
  SEVERITY_MIN,
  validateFilter,
  type Page,
  type PageRequest,
  type SymptomSort,
} from '../../domain/symptom-entry-filter';
import type { TrendBucketUnit } from '../../domain/trend';
import type { AnyDiaryQuery, DiaryQuery, Json, JsonObject, QueryKind } from './diary-query';
import { ParamReader } from './diary-query';

/**
 * The fixed set of named diary reads (docs/bridge.md): one per method of the two diary ports.
 * No SQL crosses the wire, only these names and their validated params.
 */

const MAX_IDS = 100;
const MAX_PERSON = 40;
const catalog = SymptomCatalog.standard;

// --- JSON forms ------------------------------------------------------------------------------

function encodeFilter(filter: DiaryFilter): JsonObject {
  const json: JsonObject = {
    conceptIds: [...filter.conceptIds],
    excludedConceptIds: [...filter.excludedConceptIds],
  };
  if (filter.from) json.from = filter.from.toISOString();
  if (filter.to) json.to = filter.to.toISOString();
  if (filter.minSeverity !== undefined) json.minSeverity = filter.minSeverity;
  if (filter.maxSeverity !== undefined) json.maxSeverity = filter.maxSeverity;
  if (filter.person !== undefined) json.person = filter.person;
  return json;
}

const FILTER_KEYS = [
  'conceptIds',
  'excludedConceptIds',
  'from',
  'to',
  'minSeverity',
  'maxSeverity',
  'person',
] as const;

/** Reads and validates a filter (ids known, ranges sane) exactly as the API's own checks do. */
function readFilter(outer: ParamReader): { filter: DiaryFilter | null; reader: ParamReader } {
  if (!outer.has('filter')) {
    outer.problems.push({ name: 'filter', reason: 'is required' });
    return { filter: null, reader: outer };
  }
  const r = ParamReader.of(outer.raw('filter'), FILTER_KEYS, 'filter');
  const conceptIds = r.strings('conceptIds', MAX_IDS, 80);
  const excludedConceptIds = r.has('excludedConceptIds')
    ? r.strings('excludedConceptIds', MAX_IDS, 80)
    : [];
  const from = r.instant('from');
  const to = r.instant('to');
  const minSeverity = r.integer('minSeverity', SEVERITY_MIN, SEVERITY_MAX, true);
  const maxSeverity = r.integer('maxSeverity', SEVERITY_MIN, SEVERITY_MAX, true);
  const person = r.string('person', MAX_PERSON, true);
  if (r.problems.length > 0) return { filter: null, reader: r };
  const filter = validateFilter(
    { conceptIds, excludedConceptIds, from, to, minSeverity, maxSeverity, person },
    catalog,
  );
  return { filter, reader: r };
}

type EntryJson = {
  id: number;
  person: string;
  conceptId: string | null;
  recordedAs: string;
  occurredAt: string;
  severity: number | null;
  durationMinutes: number | null;
  notes: string | null;
};

function encodeEntry(entry: SymptomEntry): EntryJson {
  return { ...entry, occurredAt: entry.occurredAt.toISOString() };
}

function decodeEntry(json: Json): SymptomEntry {
  const e = json as EntryJson;
  return { ...e, occurredAt: new Date(e.occurredAt) };
}

// --- Definitions -----------------------------------------------------------------------------

/** A query whose result is plain JSON already (numbers, strings, arrays of them). */
function plain<Args extends readonly unknown[], Result>(
  definition: Omit<DiaryQuery<Args, Result>, 'encodeResult' | 'decodeResult'>,
): DiaryQuery<Args, Result> {
  return {
    ...definition,
    encodeResult: (result) => result as unknown as Json,
    decodeResult: (json) => json as unknown as Result,
  };
}

/** Queries of one filter and nothing else. */
function filterOnly<Result>(
  name: string,
  kind: QueryKind,
  run: DiaryQuery<[DiaryFilter], Result>['run'],
): DiaryQuery<[DiaryFilter], Result> {
  return plain({
    name,
    kind,
    encodeParams: ([filter]) => ({ filter: encodeFilter(filter) }),
    decodeParams: (params) => {
      const outer = ParamReader.of(params, ['filter']);
      const { filter, reader } = readFilter(outer);
      outer.done(reader);
      return [filter as DiaryFilter];
    },
    run,
  });
}

function noParams<Result>(
  name: string,
  kind: QueryKind,
  run: DiaryQuery<[], Result>['run'],
): DiaryQuery<[], Result> {
  return plain({
    name,
    kind,
    encodeParams: () => ({}),
    decodeParams: (params) => {
      ParamReader.of(params ?? {}, []).done();
      return [];
    },
    run,
  });
}

export const ENTRY_PAGE: DiaryQuery<[DiaryFilter, SymptomSort, PageRequest], Page<SymptomEntry>> = {
  name: 'entries.page',
  kind: 'entries',
  encodeParams: ([filter, sort, page]) => ({
    filter: encodeFilter(filter),
    sort: { field: sort.field, direction: sort.direction },
    page: { page: page.page, limit: page.limit },
  }),
  decodeParams: (params) => {
    const outer = ParamReader.of(params, ['filter', 'sort', 'page']);
    const { filter, reader } = readFilter(outer);
    const sort = ParamReader.of(outer.raw('sort') ?? {}, ['field', 'direction'], 'sort');
    const field = sort.oneOf('field', ['occurredAt', 'severity'] as const);
    const direction = sort.oneOf('direction', ['asc', 'desc'] as const);
    const paging = ParamReader.of(outer.raw('page') ?? {}, ['page', 'limit'], 'page');
    const page = paging.integer('page', 1, 1_000_000);
    const limit = paging.integer('limit', 1, MAX_PAGE_SIZE);
    outer.done(reader, sort, paging);
    return [filter as DiaryFilter, { field, direction }, { page, limit }];
  },
  encodeResult: (result) => ({
    items: result.items.map(encodeEntry),
    total: result.total,
    page: result.page,
    limit: result.limit,
  }),
  decodeResult: (json) => {
    const page = json as { items: Json[]; total: number; page: number; limit: number };
    return { ...page, items: page.items.map(decodeEntry) };
  },
  run: ({ entries }, [filter, sort, page]) => entries.findPage(filter, sort, page),
};

export const COUNT_BY_CONCEPT = noParams<ConceptCount[]>(
  'entries.countByConcept',
  'entries',
  ({ entries }) => entries.countByConcept(),
);

export const PEOPLE = noParams<string[]>('entries.people', 'people', ({ entries }) =>
  entries.people(),
);

export const TOTALS: DiaryQuery<[DiaryFilter, boolean], EntryTotals> = plain({
  name: 'stats.totals',
  kind: 'stats',
  encodeParams: ([filter, withSeverity]) => ({ filter: encodeFilter(filter), withSeverity }),
  decodeParams: (params) => {
    const outer = ParamReader.of(params, ['filter', 'withSeverity']);
    const { filter, reader } = readFilter(outer);
    const withSeverity = outer.boolean('withSeverity');
    outer.done(reader);
    return [filter as DiaryFilter, withSeverity];
  },
  run: ({ statistics }, [filter, withSeverity]) => statistics.totals(filter, withSeverity),
});

export const CONCEPT_TOTALS: DiaryQuery<[DiaryFilter, number | undefined], ConceptTotals[]> = plain(
  {
    name: 'stats.conceptTotals',
    kind: 'stats',
    encodeParams: ([filter, limit]): JsonObject => {
      const json: JsonObject = { filter: encodeFilter(filter) };
      if (limit !== undefined) json.limit = limit;
      return json;
    },
    decodeParams: (params) => {
      const outer = ParamReader.of(params, ['filter', 'limit']);
      const { filter, reader } = readFilter(outer);
      const limit = outer.integer('limit', 1, 1000, true);
      outer.done(reader);
      return [filter as DiaryFilter, limit];
    },
    run: ({ statistics }, [filter, limit]) => statistics.conceptTotals(filter, limit),
  },
);

export const OCCURRENCE: DiaryQuery<[DiaryFilter, OccurrenceOrder], SymptomEntry | null> = {
  name: 'stats.occurrence',
  kind: 'stats',
  encodeParams: ([filter, order]) => ({ filter: encodeFilter(filter), order }),
  decodeParams: (params) => {
    const outer = ParamReader.of(params, ['filter', 'order']);
    const { filter, reader } = readFilter(outer);
    const order = outer.oneOf('order', ['latest', 'earliest', 'most_severe'] as const);
    outer.done(reader);
    return [filter as DiaryFilter, order];
  },
  encodeResult: (entry) => (entry ? encodeEntry(entry) : null),
  decodeResult: (json) => (json === null ? null : decodeEntry(json)),
  run: ({ statistics }, [filter, order]) => statistics.occurrence(filter, order),
};

export const SEVERITY = filterOnly<SeverityTotals>(
  'stats.severity',
  'stats',
  ({ statistics }, [f]) => statistics.severity(f),
);

export const BUCKETS: DiaryQuery<[DiaryFilter, TrendBucketUnit], BucketTotals[]> = plain({
  name: 'stats.buckets',
  kind: 'stats',
  encodeParams: ([filter, unit]) => ({ filter: encodeFilter(filter), unit }),
  decodeParams: (params) => {
    const outer = ParamReader.of(params, ['filter', 'unit']);
    const { filter, reader } = readFilter(outer);
    const unit = outer.oneOf('unit', ['week', 'month'] as const);
    outer.done(reader);
    return [filter as DiaryFilter, unit];
  },
  run: ({ statistics }, [filter, unit]) => statistics.buckets(filter, unit),
});

export const PERSON_TOTALS = filterOnly<PersonTally[]>(
  'stats.personTotals',
  'stats',
  ({ statistics }, [f]) => statistics.personTotals(f),
);

export const CO_OCCURRING: DiaryQuery<
  [DiaryFilter, number],
  { askedDays: number; concepts: { conceptId: string; sharedDays: number }[] }
> = plain({
  name: 'stats.coOccurring',
  kind: 'stats',
  encodeParams: ([filter, limit]) => ({ filter: encodeFilter(filter), limit }),
  decodeParams: (params) => {
    const outer = ParamReader.of(params, ['filter', 'limit']);
    const { filter, reader } = readFilter(outer);
    const limit = outer.integer('limit', 1, 1000);
    outer.done(reader);
    return [filter as DiaryFilter, limit];
  },
  run: ({ statistics }, [filter, limit]) => statistics.coOccurring(filter, limit),
});

export const PAIR_DAYS = filterOnly<{ a: string; b: string; days: number }[]>(
  'stats.pairDays',
  'stats',
  ({ statistics }, [f]) => statistics.pairDays(f),
);

/** Every query the bridge serves, by name. */
export const DIARY_QUERIES: ReadonlyMap<string, AnyDiaryQuery> = new Map(
  [
    ENTRY_PAGE,
    COUNT_BY_CONCEPT,
    PEOPLE,
    TOTALS,
    CONCEPT_TOTALS,
    OCCURRENCE,
    SEVERITY,
    BUCKETS,
    PERSON_TOTALS,
    CO_OCCURRING,
    PAIR_DAYS,
  ].map((q: AnyDiaryQuery) => [q.name, q]),
);
