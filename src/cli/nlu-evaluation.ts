import { resolveWithContext } from '../modules/conversation/domain/conversation-context';
import type { ConversationContext } from '../modules/conversation/domain/conversation-context';
import { ZoneClock } from '../shared/domain/zone-clock';
import { DIARY_INTENTS, Frame } from '../modules/nlu/domain/frame';
import type { ParsedQuestion } from '../modules/nlu/domain/parsed-question';
import { shiftRange } from '../modules/nlu/domain/time/time-expressions';

/** Expectations of a labelled question (shared/eval/README.md): only the fields given are checked. */
export interface Expectation {
  intent?: string;
  symptoms?: string[];
  negated?: string[];
  fromDate?: string | string[];
  toDate?: string | string[];
  timeRange?: null;
  comparison?: { fromDate?: string | string[]; toDate?: string | string[] };
  severity?: { min?: number | null; max?: number | null };
  urgent?: boolean;
}

export interface LabelledQuestion {
  text: string;
  referenceTime: string;
  timezone: string;
  expect: Expectation;
}

export interface LabelledDialogue {
  referenceTime: string;
  timezone: string;
  turns: { text: string; expect: Expectation }[];
}

export type Parse = (text: string, referenceTime: Date, timeZone: string) => ParsedQuestion;

/** One checked field of one question: whether the frame agreed, and what each side said. */
export interface FieldCheck {
  field: string;
  ok: boolean;
  expected: unknown;
  actual: unknown;
}

export interface QuestionScore {
  text: string;
  ok: boolean;
  checks: FieldCheck[];
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');

const acceptable = (expected: string | string[], actual: string | null) =>
  actual !== null && (Array.isArray(expected) ? expected.includes(actual) : expected === actual);

/** Inclusive local calendar days of a range: from's date, and the date of (to - 1 ms). */
function days(range: { from: Date; to: Date } | null, zone: string) {
  if (!range) return { from: null, to: null };
  const clock = ZoneClock.of(zone);
  const day = (ms: number) => clock.formatLocal(ms).slice(0, 10);
  return { from: day(range.from.getTime()), to: day(range.to.getTime() - 1) };
}

/** Compares a frame with its labels, field by field. */
export function checkFrame(frame: Frame, expect: Expectation, zone: string): FieldCheck[] {
  const checks: FieldCheck[] = [];
  const check = (field: string, ok: boolean, expected: unknown, actual: unknown) =>
    checks.push({ field, ok, expected, actual });
  const wanted = frame.symptoms.filter((s) => !s.negated).map((s) => s.id);
  const excluded = frame.symptoms.filter((s) => s.negated).map((s) => s.id);
  if (expect.intent !== undefined) {
    check('intent', frame.intent === expect.intent, expect.intent, frame.intent);
  }
  if (expect.symptoms !== undefined) {
    check('symptoms', sameSet(wanted, expect.symptoms), expect.symptoms, wanted);
  }
  if (expect.symptoms !== undefined || expect.negated !== undefined) {
    const negated = expect.negated ?? [];
    check('negated', sameSet(excluded, negated), negated, excluded);
  }
  const range = days(frame.timeRange, zone);
  if (expect.timeRange === null) check('timeRange', frame.timeRange === null, null, range);
  if (expect.fromDate !== undefined) {
    check('fromDate', acceptable(expect.fromDate, range.from), expect.fromDate, range.from);
  }
  if (expect.toDate !== undefined) {
    check('toDate', acceptable(expect.toDate, range.to), expect.toDate, range.to);
  }
  if (expect.comparison !== undefined) {
    const c = days(frame.comparisonRange, zone);
    const ok =
      (expect.comparison.fromDate === undefined ||
        acceptable(expect.comparison.fromDate, c.from)) &&
      (expect.comparison.toDate === undefined || acceptable(expect.comparison.toDate, c.to));
    check('comparison', ok, expect.comparison, c);
  }
  if (expect.severity !== undefined) {
    const s = frame.severity ?? { min: null, max: null };
    const ok =
      (expect.severity.min === undefined || (expect.severity.min ?? null) === s.min) &&
      (expect.severity.max === undefined || (expect.severity.max ?? null) === s.max);
    check('severity', ok, expect.severity, frame.severity);
  }
  if (expect.urgent !== undefined) {
    check('urgent', frame.safety.urgent === expect.urgent, expect.urgent, frame.safety.urgent);
  }
  return checks;
}

export function scoreQuestions(
  questions: readonly LabelledQuestion[],
  parse: Parse,
): QuestionScore[] {
  return questions.map((q) => {
    const parsed = parse(q.text, new Date(q.referenceTime), q.timezone);
    const checks = checkFrame(parsed.frame, q.expect, q.timezone);
    return { text: q.text, ok: checks.every((c) => c.ok), checks };
  });
}

/**
 * Plays dialogues as the chat does: each turn is parsed, then resolved with the context of the
 * earlier turns (resolveWithContext, the chat's own code); a diary question becomes the context.
 */
export function scoreDialogues(
  dialogues: readonly LabelledDialogue[],
  parse: Parse,
): QuestionScore[] {
  const scores: QuestionScore[] = [];
  for (const d of dialogues) {
    let context: ConversationContext | undefined;
    for (const turn of d.turns) {
      const parsed = parse(turn.text, new Date(d.referenceTime), d.timezone);
      const { frame } = resolveWithContext(parsed, context, (range, unit, n) =>
        shiftRange(range, unit, n, d.timezone),
      );
      if (DIARY_INTENTS.includes(frame.intent) && !frame.safety.urgent) {
        context = { frame, focus: null };
      }
      const checks = checkFrame(frame, turn.expect, d.timezone);
      scores.push({ text: turn.text, ok: checks.every((c) => c.ok), checks });
    }
  }
  return scores;
}

export interface Summary {
  questions: number;
  wholeFrame: number;
  fields: Record<string, { checked: number; correct: number }>;
}

export function summarise(scores: readonly QuestionScore[]): Summary {
  const fields: Summary['fields'] = {};
  for (const s of scores) {
    for (const c of s.checks) {
      fields[c.field] ??= { checked: 0, correct: 0 };
      fields[c.field].checked += 1;
      if (c.ok) fields[c.field].correct += 1;
    }
  }
  return { questions: scores.length, wholeFrame: scores.filter((s) => s.ok).length, fields };
}
