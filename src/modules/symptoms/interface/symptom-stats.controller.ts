import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { diaryConfig, type DiaryConfig } from '../../../config/configuration';
import { ApiProblems, ProblemDetailsDto } from '../../../shared/interface/api-problems.decorator';
import { formatInZone, parseDiaryDate } from '../../../shared/interface/diary-date';
import { scopedPerson, type Caller } from '../../auth/domain/caller';
import { Authenticated, CurrentCaller } from '../../auth/interface/auth.decorators';
import { DiaryQueriesService } from '../application/diary-queries.service';
import type { ConceptTally, OccurrenceResult, PeriodFigures } from '../domain/diary-statistics';
import { SymptomCatalog } from '../domain/symptom-catalog';
import type { SymptomEntry } from '../domain/symptom-entry';
import type { SymptomEntryFilter } from '../domain/symptom-entry-filter';
import type { SymptomEntryDto } from './dto/symptom-entry.dto';
import {
  PeriodFiguresDto,
  SymptomCoOccurrenceDto,
  SymptomComparisonDto,
  SymptomCountDto,
  SymptomOccurrenceDto,
  SymptomSeverityDto,
  SymptomSummaryDto,
  SymptomTallyDto,
  SymptomTrendDto,
  TopSymptomsDto,
} from './dto/symptom-stats.dto';
import {
  SymptomCompareQueryDto,
  SymptomFilterQueryDto,
  SymptomTrendQueryDto,
} from './dto/symptom-stats.query.dto';
import { presentEntry, presentSymptom } from './symptom-entry.presenter';

/**
 * Figures for charts: the question kinds of the chat (DiaryQueriesService) over HTTP. Every
 * endpoint takes the list's filter parameters and selects exactly the entries the list would
 * (for a user, only their own person's: another `person` answers 404).
 */
@ApiTags('symptoms')
@ApiExtraModels(ProblemDetailsDto)
@Authenticated()
@Controller('api/health/symptoms/stats')
export class SymptomStatsController {
  constructor(
    private readonly queries: DiaryQueriesService,
    private readonly catalog: SymptomCatalog,
    @Inject(diaryConfig.KEY) private readonly diary: DiaryConfig,
  ) {}

  /**
   * How many entries match, on how many days, and per symptom when several are asked. When
   * nothing matches and `from` is given, the last matching entry before it.
   */
  @Get('count')
  @ApiOperation({ operationId: 'getSymptomCount' })
  @ApiProblems(400, 404, 503, 504)
  async count(
    @Query() query: SymptomFilterQueryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<SymptomCountDto> {
    const result = await this.queries.count(this.filter(query, caller));
    return {
      count: result.count,
      days: result.days,
      bySymptom: result.byConcept.map((t) => this.tally(t)),
      lastBefore: this.entry(result.lastBefore),
    };
  }

  /** How bad: average, worst (and on which days), mildest, rated and unrated entries. */
  @Get('severity')
  @ApiOperation({ operationId: 'getSymptomSeverity' })
  @ApiProblems(400, 404, 503, 504)
  async severity(
    @Query() query: SymptomFilterQueryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<SymptomSeverityDto> {
    const result = await this.queries.severity(this.filter(query, caller));
    return {
      average: result.average,
      max: result.max,
      maxDays: [...result.maxDays],
      maxDayCount: result.maxDayCount,
      min: result.min,
      rated: result.rated,
      unrated: result.unrated,
      bySymptom: result.byConcept.map((c) => ({
        symptom: presentSymptom(c.conceptId, this.catalog),
        rated: c.rated,
        average: c.average,
        max: c.max,
        min: c.min,
      })),
      lastBefore: this.entry(result.lastBefore),
    };
  }

  /**
   * Entries and average severity per week or month, every bucket of the period included, and
   * which way they go. Without `from` and `to`: the last 6 months up to now.
   */
  @Get('trend')
  @ApiOperation({ operationId: 'getSymptomTrend' })
  @ApiProblems(400, 404, 503, 504)
  async trend(
    @Query() query: SymptomTrendQueryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<SymptomTrendDto> {
    const result = await this.queries.trend(this.filter(query, caller), { bucket: query.bucket });
    return {
      from: this.instant(result.from),
      to: this.instant(result.to),
      bucket: result.bucket,
      direction: result.direction,
      buckets: result.buckets.map((b) => ({ ...b })),
      counts: { ...result.counts },
      severity: { ...result.severity },
    };
  }

  /**
   * Two periods side by side: `from`/`to` (required here) against `compareFrom`/`compareTo`,
   * with the same symptoms, severity bounds and person; `difference` is second minus first.
   */
  @Get('compare')
  @ApiOperation({ operationId: 'getSymptomComparison' })
  @ApiProblems(400, 404, 503, 504)
  async compare(
    @Query() query: SymptomCompareQueryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<SymptomComparisonDto> {
    const zone = this.diary.timeZone;
    const second = {
      from: parseDiaryDate(query.compareFrom, zone, 'compareFrom'),
      to: parseDiaryDate(query.compareTo, zone, 'compareTo'),
    };
    const result = await this.queries.compare(this.filter(query, caller), second);
    return {
      first: this.period(result.first),
      second: this.period(result.second),
      difference: { ...result.difference },
    };
  }

  /**
   * What else is logged on the days of the asked symptom(s) (1 to 5), and for two or more how
   * often they share a day. A day is one person's calendar day in the diary's zone.
   */
  @Get('co-occurrence')
  @ApiOperation({ operationId: 'getSymptomCoOccurrence' })
  @ApiProblems(400, 404, 503, 504)
  async coOccurrence(
    @Query() query: SymptomFilterQueryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<SymptomCoOccurrenceDto> {
    const result = await this.queries.coOccurrence(this.filter(query, caller));
    return {
      askedDays: result.askedDays,
      symptoms: result.symptoms.map((s) => ({
        symptom: presentSymptom(s.conceptId, this.catalog),
        sharedDays: s.sharedDays,
        share: s.share,
      })),
      pairs: result.pairs.map((p) => ({
        first: presentSymptom(p.first, this.catalog),
        second: presentSymptom(p.second, this.catalog),
        firstDays: p.firstDays,
        secondDays: p.secondDays,
        sharedDays: p.sharedDays,
        shareOfFirst: p.shareOfFirst,
        shareOfSecond: p.shareOfSecond,
      })),
    };
  }

  /** The 10 most logged symptoms, with entries and days. */
  @Get('top')
  @ApiOperation({ operationId: 'getTopSymptoms' })
  @ApiProblems(400, 404, 503, 504)
  async top(
    @Query() query: SymptomFilterQueryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<TopSymptomsDto> {
    const result = await this.queries.topSymptoms(this.filter(query, caller));
    return { symptoms: result.symptoms.map((t) => this.tally(t)) };
  }

  /** A period at a glance: totals, the five most logged symptoms, the worst entry, per person. */
  @Get('summary')
  @ApiOperation({ operationId: 'getSymptomSummary' })
  @ApiProblems(400, 404, 503, 504)
  async summary(
    @Query() query: SymptomFilterQueryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<SymptomSummaryDto> {
    const result = await this.queries.summary(this.filter(query, caller));
    return {
      count: result.count,
      days: result.days,
      averageSeverity: result.averageSeverity,
      topSymptoms: result.topSymptoms.map((t) => this.tally(t)),
      mostSevere: this.entry(result.mostSevere),
      byPerson: result.byPerson.map((p) => ({ ...p })),
    };
  }

  /** The most recent matching entry (and, when none, the last one before `from`). */
  @Get('last')
  @ApiOperation({ operationId: 'getLastSymptomOccurrence' })
  @ApiProblems(400, 404, 503, 504)
  async last(
    @Query() query: SymptomFilterQueryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<SymptomOccurrenceDto> {
    return this.occurrence(await this.queries.lastOccurrence(this.filter(query, caller)));
  }

  /** The earliest matching entry (and, when none, the last one before `from`). */
  @Get('first')
  @ApiOperation({ operationId: 'getFirstSymptomOccurrence' })
  @ApiProblems(400, 404, 503, 504)
  async first(
    @Query() query: SymptomFilterQueryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<SymptomOccurrenceDto> {
    return this.occurrence(await this.queries.firstOccurrence(this.filter(query, caller)));
  }

  /** The query's filter in domain terms; `name` resolved through the vocabulary. */
  private filter(query: SymptomFilterQueryDto, caller: Caller): SymptomEntryFilter {
    const zone = this.diary.timeZone;
    const conceptIds = [...(query.symptom ?? [])];
    if (query.name !== undefined) conceptIds.push(this.queries.resolveName(query.name));
    return {
      conceptIds,
      excludedConceptIds: query.exclude ?? [],
      from: query.from === undefined ? undefined : parseDiaryDate(query.from, zone, 'from'),
      to: query.to === undefined ? undefined : parseDiaryDate(query.to, zone, 'to'),
      minSeverity: query.minSeverity,
      maxSeverity: query.maxSeverity,
      person: scopedPerson(caller, query.person),
    };
  }

  private tally(t: ConceptTally): SymptomTallyDto {
    return { symptom: presentSymptom(t.conceptId, this.catalog), count: t.count, days: t.days };
  }

  private entry(entry: SymptomEntry | null): SymptomEntryDto | null {
    return entry ? presentEntry(entry, this.catalog, this.diary.timeZone) : null;
  }

  private occurrence(result: OccurrenceResult): SymptomOccurrenceDto {
    return { entry: this.entry(result.entry), lastBefore: this.entry(result.lastBefore) };
  }

  private period(p: PeriodFigures): PeriodFiguresDto {
    return {
      from: this.instant(p.from),
      to: this.instant(p.to),
      count: p.count,
      days: p.days,
      rated: p.rated,
      averageSeverity: p.averageSeverity,
    };
  }

  private instant(date: Date): string {
    return formatInZone(date, this.diary.timeZone);
  }
}
