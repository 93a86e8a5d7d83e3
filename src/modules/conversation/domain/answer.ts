import type {
  CoOccurrenceResult,
  CompareResult,
  CountResult,
  OccurrenceResult,
  SeverityResult,
  SummaryResult,
  TopSymptomsResult,
  TrendResult,
} from '../../symptoms/domain/diary-statistics';
import type { SymptomEntry } from '../../symptoms/domain/symptom-entry';
import type { Page } from '../../symptoms/domain/symptom-entry-filter';

/** What the diary answered to one question kind (the symptoms module's figures). */
export type DiaryAnswer =
  | { readonly intent: 'count'; readonly result: CountResult }
  | { readonly intent: 'last_occurrence'; readonly result: OccurrenceResult }
  | { readonly intent: 'first_occurrence'; readonly result: OccurrenceResult }
  | { readonly intent: 'list'; readonly result: Page<SymptomEntry> }
  | { readonly intent: 'severity'; readonly result: SeverityResult }
  | { readonly intent: 'trend'; readonly result: TrendResult }
  | { readonly intent: 'compare'; readonly result: CompareResult }
  | { readonly intent: 'co_occurrence'; readonly result: CoOccurrenceResult }
  | { readonly intent: 'top_symptoms'; readonly result: TopSymptomsResult }
  | { readonly intent: 'summary'; readonly result: SummaryResult }
  /** Advice is never given; the reply says what the diary shows of the last 30 days. */
  | {
      readonly intent: 'advice';
      readonly result: CountResult;
      readonly last: OccurrenceResult | null;
    };
