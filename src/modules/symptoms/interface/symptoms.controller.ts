import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { diaryConfig, type DiaryConfig } from '../../../config/configuration';
import { ApiProblems, ProblemDetailsDto } from '../../../shared/interface/api-problems.decorator';
import { parseDiaryDate } from '../../../shared/interface/diary-date';
import { scopedPerson, type Caller } from '../../auth/domain/caller';
import { Authenticated, CurrentCaller } from '../../auth/interface/auth.decorators';
import { GetSymptomCatalogUseCase } from '../application/get-symptom-catalog.use-case';
import { ListSymptomEntriesUseCase } from '../application/list-symptom-entries.use-case';
import { SymptomCatalog } from '../domain/symptom-catalog';
import type { SymptomEntry } from '../domain/symptom-entry';
import { ListSymptomsQueryDto, SortValue } from './dto/list-symptoms.query.dto';
import type { SymptomSort } from '../domain/symptom-entry-filter';
import { SymptomCatalogDto, SymptomEntryDto, SymptomEntryPageDto } from './dto/symptom-entry.dto';
import { presentEntry } from './symptom-entry.presenter';

@ApiTags('symptoms')
@ApiExtraModels(ProblemDetailsDto)
@Authenticated()
@Controller('api/health/symptoms')
export class SymptomsController {
  constructor(
    private readonly listEntries: ListSymptomEntriesUseCase,
    private readonly getCatalog: GetSymptomCatalogUseCase,
    private readonly catalog: SymptomCatalog,
    @Inject(diaryConfig.KEY) private readonly diary: DiaryConfig,
  ) {}

  /**
   * Diary entries filtered by symptom (or all but some: `exclude`), period, severity and person,
   * newest first. Names are matched however they were typed ("head ache", "migrane"). A user
   * reads only their own person's entries: another `person` answers 404.
   */
  @Get()
  @ApiOperation({ operationId: 'listSymptomEntries' })
  @ApiProblems(400, 404, 503, 504)
  async list(
    @Query() query: ListSymptomsQueryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<SymptomEntryPageDto> {
    const zone = this.diary.timeZone;
    const page = await this.listEntries.execute({
      symptomIds: query.symptom ?? [],
      excludedSymptomIds: query.exclude ?? [],
      name: query.name,
      from: query.from === undefined ? undefined : parseDiaryDate(query.from, zone, 'from'),
      to: query.to === undefined ? undefined : parseDiaryDate(query.to, zone, 'to'),
      minSeverity: query.minSeverity,
      maxSeverity: query.maxSeverity,
      person: scopedPerson(caller, query.person),
      sort: toSort(query.sort),
      page: { page: query.page, limit: query.limit },
    });
    return {
      data: page.items.map((entry) => this.toDto(entry)),
      meta: { total: page.total, page: page.page, limit: page.limit },
    };
  }

  /**
   * The symptom catalog with how many diary entries each symptom has (a user's own entries; an
   * admin's, the whole household's).
   */
  @Get('catalog')
  @ApiOperation({ operationId: 'getSymptomCatalog' })
  @ApiProblems(503, 504)
  async catalogWithCounts(@CurrentCaller() caller: Caller): Promise<SymptomCatalogDto> {
    return { data: await this.getCatalog.execute(scopedPerson(caller, undefined)) };
  }

  private toDto(entry: SymptomEntry): SymptomEntryDto {
    return presentEntry(entry, this.catalog, this.diary.timeZone);
  }
}

function toSort(value: SortValue): SymptomSort {
  const descending = value.startsWith('-');
  return {
    field: (descending ? value.slice(1) : value) as SymptomSort['field'],
    direction: descending ? 'desc' : 'asc',
  };
}
