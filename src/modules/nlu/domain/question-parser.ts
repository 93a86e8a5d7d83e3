import type { SymptomVocabulary } from '../../symptoms/domain/symptom-vocabulary';
import type { Frame, FrameSymptom, FrameTimeRange, Intent } from './frame';
import { classifyIntent } from './intent/intent-classifier';
import { markNegated } from './negation';
import type { ContextualTimeReference, ExplainSpan, ParsedQuestion } from './parsed-question';
import { assessSafety } from './safety';
import { findPerson } from './people';
import { readSeverityFilter } from './severity-words';
import { parseTime } from './time/time-expressions';

export interface ParseOptions {
  readonly referenceTime: Date;
  readonly timeZone: string;
  /** The household's people as the diary writes them, to read "Ben's back pain". */
  readonly people?: readonly string[];
}

/** Intents that need a symptom to be answered (the others read the whole diary). */
export const SYMPTOM_REQUIRED: readonly Intent[] = [
  'count',
  'last_occurrence',
  'first_occurrence',
  'severity',
  'trend',
  'compare',
  'co_occurrence',
];

/** Questions about the latest/earliest entry or a trend name no period unless they say one. */
const NO_DEFAULT_PERIOD: readonly Intent[] = ['last_occurrence', 'first_occurrence', 'trend'];

/** Words that point back at symptoms already in the conversation. */
const ANAPHORA = /\b(it|they|them|those|these|this one|that one|the same|ones?)\b/i;

/**
 * Reads one question into the contract frame, deterministically: the same text, reference time
 * and zone give the same frame. Each part comes from a small, separately tested extractor
 * (time, symptoms and negation, severity words, safety, intent rules); this function only
 * combines them and records how, for the `explain` output.
 */
export function parseQuestion(
  text: string,
  options: ParseOptions,
  vocabulary: SymptomVocabulary,
): ParsedQuestion {
  const spans: ExplainSpan[] = [];

  const safety = assessSafety(text);
  if (safety.urgent) {
    spans.push({
      kind: 'safety',
      text,
      normalised: `urgent: ${safety.kind ?? 'other'}`,
      rule: safety.rule,
    });
  }

  const time = parseTime(text, options);
  for (const m of time.mentions) {
    spans.push({
      kind: 'time',
      text: m.text,
      start: m.start,
      end: m.end,
      normalised: `${m.text} → ${m.explanation}`,
      rule: m.rule,
    });
  }
  const contextualTime: ContextualTimeReference | null = time.contextual
    ? time.contextual.kind === 'shift'
      ? {
          kind: 'shift',
          unit: time.contextual.unit,
          amount: time.contextual.amount,
          text: time.contextual.text,
        }
      : { kind: 'same', text: time.contextual.text }
    : null;
  if (contextualTime) {
    spans.push({
      kind: 'context',
      text: contextualTime.text,
      normalised:
        contextualTime.kind === 'shift'
          ? `the ${contextualTime.unit} before the period in context`
          : 'the period in context',
    });
  }

  const person = findPerson(text, options.people ?? []);
  if (person) {
    spans.push({
      kind: 'person',
      text: person.text,
      start: person.start,
      end: person.end,
      normalised: `${person.text} → ${person.name}`,
    });
  }

  // Symptoms: words already read as time ("last night") or as a name are not symptoms.
  const taken = (start: number, end: number) =>
    time.mentions.some((m) => start >= m.start && end <= m.end) ||
    (person !== null && start < person.end && person.start < end);
  const mentions = vocabulary.findMentions(text).filter((m) => !taken(m.start, m.end));
  const negated = markNegated(text, mentions);
  const symptoms: FrameSymptom[] = [];
  mentions.forEach((m, i) => {
    spans.push({
      kind: negated[i] ? 'negation' : 'symptom',
      text: m.text,
      start: m.start,
      end: m.end,
      normalised: `${m.text} → ${m.conceptId}${m.kind === 'fuzzy' ? ' (typo corrected)' : ''}${negated[i] ? ' (excluded)' : ''}`,
      rule: `vocabulary:${m.kind}:${m.term}`,
    });
    if (!symptoms.some((s) => s.id === m.conceptId)) {
      symptoms.push({ id: m.conceptId, text: m.text, negated: negated[i] });
    }
  });

  const severityWords = readSeverityFilter(text, mentions);
  if (severityWords.filter) {
    spans.push({
      kind: 'severity',
      text: severityWords.text ?? '',
      start: severityWords.start,
      end: severityWords.end,
      normalised: `severity ${severityWords.filter.min ?? 0}–${severityWords.filter.max ?? 10}`,
      rule: severityWords.rule,
    });
  }

  const intent = classifyIntent(text, {
    hasSymptom: symptoms.length > 0,
    hasTime: time.mentions.length > 0,
    timeCount: time.mentions.length,
  });
  spans.push({ kind: 'intent', text, normalised: intent.intent, rule: intent.rule });

  const ranges: FrameTimeRange[] = time.mentions.map((m) => ({
    from: m.from,
    to: m.to,
    text: m.text,
  }));
  const timeRange = ranges[0] ?? null;
  const comparisonRange = intent.intent === 'compare' ? (ranges[1] ?? null) : null;

  const anaphora = ANAPHORA.test(text);
  const unplaced =
    SYMPTOM_REQUIRED.includes(intent.intent) && symptoms.length === 0 && !anaphora
      ? vocabulary
          .candidatesFor(text, 3)
          .map((u) => ({ text: u.text, candidates: u.candidates.map((c) => c.conceptId) }))
      : [];

  const frame: Frame = {
    intent: intent.intent,
    confidence: intent.confidence,
    symptoms,
    timeRange: NO_DEFAULT_PERIOD.includes(intent.intent) || timeRange ? timeRange : null,
    comparisonRange,
    severity: severityWords.filter,
    safety: safety.urgent
      ? { urgent: true, ...(safety.kind ? { kind: safety.kind } : {}) }
      : { urgent: false },
    person: person?.name ?? null,
  };
  return {
    frame,
    explain: {
      text,
      spans,
      intent: { rule: intent.rule, scores: { ...intent.scores } },
      followUp: intent.followUp,
      contextualTime,
      anaphora,
      unplaced,
      timeZone: options.timeZone,
      referenceTime: options.referenceTime.toISOString(),
    },
  };
}
