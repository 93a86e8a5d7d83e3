import { Inject, Injectable } from '@nestjs/common';
import { diaryConfig, type DiaryConfig } from '../../../config/configuration';
import { SymptomVocabulary } from '../../symptoms/domain/symptom-vocabulary';
import type { ParsedQuestion } from '../domain/parsed-question';
import { parseQuestion } from '../domain/question-parser';

/** Understands questions (US-BE-02): the NLU's one entry point for the chat and the API. */
@Injectable()
export class NluService {
  constructor(
    private readonly vocabulary: SymptomVocabulary,
    @Inject(diaryConfig.KEY) private readonly diary: DiaryConfig,
  ) {}

  /** Reads a question as of `referenceTime` (default now) in `timeZone` (default the diary's). */
  parse(text: string, options: { referenceTime?: Date; timeZone?: string } = {}): ParsedQuestion {
    return parseQuestion(
      text,
      {
        referenceTime: options.referenceTime ?? new Date(),
        timeZone: options.timeZone ?? this.diary.timeZone,
      },
      this.vocabulary,
    );
  }
}
