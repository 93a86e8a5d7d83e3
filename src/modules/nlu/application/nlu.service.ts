import { Inject, Injectable, Optional } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { diaryConfig, type DiaryConfig } from '../../../config/configuration';
import { DiaryQueriesService } from '../../symptoms/application/diary-queries.service';
import { SymptomVocabulary } from '../../symptoms/domain/symptom-vocabulary';
import type { ParsedQuestion } from '../domain/parsed-question';
import { parseQuestion } from '../domain/question-parser';
import { NluMetrics } from './nlu-metrics';

/** Understands questions (US-BE-02): the NLU's one entry point for the chat and the API. */
@Injectable()
export class NluService {
  constructor(
    private readonly vocabulary: SymptomVocabulary,
    private readonly diaryQueries: DiaryQueriesService,
    @Inject(diaryConfig.KEY) private readonly diary: DiaryConfig,
    @Optional() private readonly metrics?: NluMetrics,
  ) {}

  /** Reads a question as of `referenceTime` (default now) in `timeZone` (default the diary's). */
  parse(
    text: string,
    options: { referenceTime?: Date; timeZone?: string; people?: readonly string[] } = {},
  ): ParsedQuestion {
    const started = performance.now();
    const parsed = parseQuestion(
      text,
      {
        referenceTime: options.referenceTime ?? new Date(),
        timeZone: options.timeZone ?? this.diary.timeZone,
        people: options.people,
      },
      this.vocabulary,
    );
    this.metrics?.parsed(parsed.frame.intent, (performance.now() - started) / 1000);
    return parsed;
  }

  /**
   * The household's people, for reading names in questions. The NLU does not depend on the
   * diary being up: without it, names are simply not recognised.
   */
  async people(): Promise<string[]> {
    return this.diaryQueries.people().catch(() => []);
  }
}
