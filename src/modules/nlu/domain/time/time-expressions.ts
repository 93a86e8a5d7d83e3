import * as chrono from 'chrono-node';
import { ZoneClock } from '../../../../shared/domain/zone-clock';
import { dayNumber, QuestionCalendar, shiftLocal, type Span, ymdOf } from './calendar';
import { explainSpan, OPEN_START } from './explain';
import { isSouthernZone, placeDate } from './resolve';
import { type Atom, monthWordIsMonth, Question, RULES } from './rules';
import { MONTH } from './vocabulary';

/**
 * The time layer of the NLU: finds the periods a question names ("last week", "in March",
 * "between October 10 and October 20") and the follow-up words that point at the period of the
 * conversation ("the week before", "that week"). Pure and deterministic: the same text,
 * reference time and zone give the same answer. Calendar fields are those of the given zone.
 */

export interface TimeMention {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** The phrase exactly as written in the question, e.g. "last month". */
  text: string;
  /** Character span in the original text. */
  start: number;
  end: number;
  /** Which rule produced it, e.g. 'calendar_period:last'. */
  rule: string;
  /** Plain English with dates, e.g. "1–28 February 2026" or "3 Nov 2025 to now". */
  explanation: string;
}

/** A follow-up's reference to the period already in the conversation. */
export type ContextualTime =
  | {
      kind: 'shift';
      unit: 'day' | 'week' | 'month' | 'year';
      amount: number;
      text: string;
      start: number;
      end: number;
    }
  | { kind: 'same'; text: string; start: number; end: number };

export interface TimeParse {
  mentions: TimeMention[];
  contextual: ContextualTime | null;
}

export interface TimeOptions {
  referenceTime: Date;
  timeZone: string;
}

const DIGIT = /\d/;
const COMPARISON =
  /\b(?:compare[ds]?|comparing|comparison|versus|vs\b|difference|differ|more|less|fewer|better|worse)/i;
const RANGE_GAP = /^\s*(?:(?<dash>-|–|—)|(?<word>to|through|thru|till|until|up\s+to|and))\s*$/i;
const BETWEEN_BEFORE = /\bbetween\s+$/i;
const FROM_BEFORE = /\bfrom\s+$/i;
const SINCE_BEFORE = /\b(?:ever\s+)?since\s+$/i;
const STARTING_BEFORE = /\b(?:starting|beginning)(?:\s+(?:from|on|in|with))?\s+$/i;
const AFTER_BEFORE = /\bafter\s+$/i;
const ONWARDS_AFTER = /^\s+(?:onwards?|forwards?|on)\b/i;
const TO_NOW_AFTER =
  /^\s+(?:to|until|till|up\s+to|through)\s+(?:now|the\s+present|present|date)\b/i;
const EVENT_AFTER =
  /^\s+(?:my|the|a|an|his|her|their|our|your|i|we|he|she|they|starting|taking|getting|having)\b/i;
const UNTIL_BEFORE = /\b(?:before|prior\s+to|until|till|up\s+(?:to|until))\s+$/i;
const WEEK_OF_BEFORE = /\b(?:the\s+)?week\s+of\s+$/i;
const MONTH_OF_BEFORE = /\bthe\s+month\s+of\s+$/i;
const RELATIVE_WORDS =
  /\b(?:ago|later|from\s+now|within|for|next|after|in\s+\d|days?|weeks?|months?|years?)\b|\//i;
const DATE_SHAPE = /\d[-.]\d/;
const MONTH_WORD = new RegExp(`\\b${MONTH}`, 'i');
const CHRONO_UNCERTAIN_AFTER =
  /^\s*(?:times?|x|out\s+of|%|mg|ml|hours?|minutes?|pills?|tablets?)\b/i;

/** Reads the periods a question names, as of `referenceTime` in `timeZone`. */
export function parseTime(text: string, options: TimeOptions): TimeParse {
  const cal = new QuestionCalendar(options.referenceTime, options.timeZone);
  const q = new Question(text, cal, isSouthernZone(options.timeZone));
  const chosen = longestFirst(candidates(q));
  const atoms = combine(q, chosen);

  const mentions: TimeMention[] = [];
  let contextual: ContextualTime | null = null;
  let previous: { span: Span; rule: string } | null = null;
  for (const atom of atoms) {
    const phrase = text.slice(atom.start, atom.end);
    let span = atom.span;
    let rule = atom.rule;
    if (atom.contextual) {
      // "last week vs the week before": the follow-up words point at this question's own period.
      if (previous && atom.contextual.kind === 'shift') {
        const { unit, amount } = atom.contextual;
        const from = shiftLocal(cal.clock, previous.span.from, unit, -amount);
        span = { from, to: previous.span.from };
        rule = `contextual_shift:${previous.rule}`;
      } else {
        // "a day before my period" is about an event, not the conversation's period.
        const event =
          atom.contextual.kind === 'shift' && EVENT_AFTER.test(text.slice(atom.end, atom.end + 24));
        if (!previous && !event) {
          contextual ??= { ...atom.contextual, text: phrase, start: atom.start, end: atom.end };
        }
        continue;
      }
    }
    if (!span) continue;
    previous = { span, rule };
    const { from, to } = span;
    if (mentions.some((m) => m.from.getTime() === from && m.to.getTime() === to)) continue;
    mentions.push({
      from: new Date(from),
      to: new Date(to),
      text: phrase,
      start: atom.start,
      end: atom.end,
      rule,
      explanation: explainSpan(span, cal),
    });
  }
  return { mentions, contextual };
}

/**
 * The period just before `range` (for "the week before"): to = range.from, from = range.from
 * minus `amount` units at the same wall-clock time in the zone (a month before 1 Oct is 1 Sep;
 * a month before 31 Mar is 28 or 29 Feb).
 */
export function shiftRange(
  range: { from: Date; to: Date },
  unit: 'day' | 'week' | 'month' | 'year',
  amount: number,
  timeZone: string,
): { from: Date; to: Date } {
  const clock = ZoneClock.of(timeZone);
  const start = range.from.getTime();
  return { from: new Date(shiftLocal(clock, start, unit, -amount)), to: new Date(start) };
}

/**
 * A shift ("the week before") asked with no period in the conversation: the period(s) just
 * before the current calendar one, i.e. "the week before" alone reads as last week and "the day
 * before" as yesterday. A `same` reference has nothing to point at: null.
 */
export function resolveContextualAlone(
  contextual: ContextualTime,
  options: TimeOptions,
): { from: Date; to: Date } | null {
  if (contextual.kind === 'same') return null;
  const cal = new QuestionCalendar(options.referenceTime, options.timeZone);
  const { year, month } = cal.local;
  const current =
    contextual.unit === 'day'
      ? cal.today
      : contextual.unit === 'week'
        ? cal.weekStart(cal.today)
        : contextual.unit === 'month'
          ? dayNumber(year, month, 1)
          : dayNumber(year, 1, 1);
  const from = new Date(cal.dayStart(current));
  return shiftRange({ from, to: from }, contextual.unit, contextual.amount, options.timeZone);
}

/** Every rule's matches, and chrono-node's explicit dates where the text has digits. */
function candidates(q: Question): Atom[] {
  const found: Atom[] = [];
  const text = q.text;
  RULES.forEach((rule, priority) => {
    const re = rule.re;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const built = rule.build(m, m.groups ?? {}, q);
      if (built) {
        found.push({
          ...built,
          start: built.start ?? m.index,
          end: built.end ?? m.index + m[0].length,
          priority,
        });
      } else {
        re.lastIndex = m.index + 1;
      }
    }
  });
  if (DIGIT.test(text)) found.push(...chronoDates(q, RULES.length));
  return found;
}

/**
 * Explicit calendar dates in formats the rules do not know ("Tue, 3rd March 2025 at 10am",
 * "3/3/25"), read with chrono-node. Only the date fields chrono is certain of are used; the
 * year, when missing, is placed by our past bias, and the instants are built in the question's
 * zone (chrono's own instants would use the machine's zone).
 */
function chronoDates(q: Question, priority: number): Atom[] {
  const atoms: Atom[] = [];
  for (const result of chrono.strict.parse(q.text, new Date(q.cal.now))) {
    const phrase = result.text.trimEnd();
    const start = result.index;
    const end = start + phrase.length;
    const s = result.start;
    if (!DIGIT.test(phrase) || RELATIVE_WORDS.test(phrase)) continue;
    if (!MONTH_WORD.test(phrase) && !DATE_SHAPE.test(phrase)) continue;
    if (!s.isCertain('day') || !s.isCertain('month')) continue;
    if (q.after(end, CHRONO_UNCERTAIN_AFTER)) continue;
    const month = MONTH_WORD.exec(phrase);
    if (month && !s.isCertain('year')) {
      const at = start + month.index;
      if (!monthWordIsMonth(q, month[0], at, end, { digitsDay: true })) continue;
    }
    const first = placeDate(
      q.cal,
      s.get('month') ?? 0,
      s.get('day') ?? 0,
      s.isCertain('year') ? (s.get('year') ?? undefined) : undefined,
    );
    if (!first) continue;
    let span = first.span;
    const e = result.end;
    if (e?.isCertain('day') && e.isCertain('month')) {
      const firstDay = q.cal.dayOf(span.from);
      const y = e.isCertain('year') ? (e.get('year') ?? 0) : ymdOf(firstDay).year;
      let last = dayNumber(y, e.get('month') ?? 0, e.get('day') ?? 0);
      if (last < firstDay && !e.isCertain('year'))
        last = dayNumber(y + 1, e.get('month') ?? 0, e.get('day') ?? 0);
      if (last < firstDay) continue;
      span = q.cal.days(firstDay, last);
    }
    atoms.push({ start, end, rule: 'date:chrono', priority, grain: 'day', span });
  }
  return atoms;
}

/** Of overlapping candidates, the longest wins (then the earlier, then the earlier rule). */
function longestFirst(found: Atom[]): Atom[] {
  found.sort(
    (a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || a.priority - b.priority,
  );
  const chosen: Atom[] = [];
  for (const atom of found) {
    if (!chosen.some((c) => atom.start < c.end && c.start < atom.end)) chosen.push(atom);
  }
  return chosen.sort((a, b) => a.start - b.start);
}

/** Index where a prefix pattern (anchored with $) starts just before `index`, or -1. */
function prefixStart(q: Question, index: number, re: RegExp): number {
  const from = Math.max(0, index - 48);
  const m = re.exec(q.text.slice(from, index));
  return m ? from + m.index : -1;
}

/** Joins "between A and B", "from A to B", "since A", "after A", "the week of A". */
function combine(q: Question, chosen: Atom[]): Atom[] {
  const out: Atom[] = [];
  const comparison = COMPARISON.test(q.text);
  for (let i = 0; i < chosen.length; i++) {
    const a = chosen[i];
    const b = chosen[i + 1];
    if (a.contextual || a.following) {
      const relative = b?.span && !b.contextual ? relativeTo(q, a, b) : null;
      if (relative) {
        out.push(relative);
        i++;
      } else {
        out.push(a);
      }
      continue;
    }
    if (!a.span) continue;
    const range = b && !b.contextual && b.span ? joinRange(q, a, b, comparison) : null;
    if (range) {
      out.push(range);
      i++;
      continue;
    }
    out.push(modify(q, a));
  }
  return out;
}

/** "the week before Christmas", "the day after my birthday on the 3rd": relative to a mention. */
function relativeTo(q: Question, a: Atom, b: Atom): Atom | null {
  if (!/^\s*$/.test(q.text.slice(a.end, b.start))) return null;
  const span = b.span!;
  const clock = q.cal.clock;
  let range;
  if (a.contextual?.kind === 'shift') {
    const { unit, amount } = a.contextual;
    range = { from: shiftLocal(clock, span.from, unit, -amount), to: span.from };
  } else if (a.following) {
    const { unit, amount } = a.following;
    range = { from: span.to, to: shiftLocal(clock, span.to, unit, amount) };
  } else {
    return null;
  }
  const rule = a.following ? 'after' : 'before';
  return {
    start: a.start,
    end: b.end,
    rule: `${rule}:${b.rule}`,
    priority: a.priority,
    grain: 'range',
    span: range,
  };
}

function joinRange(q: Question, a: Atom, b: Atom, comparison: boolean): Atom | null {
  const gap = RANGE_GAP.exec(q.text.slice(a.end, b.start));
  if (!gap) return null;
  const between = prefixStart(q, a.start, BETWEEN_BEFORE);
  const from = prefixStart(q, a.start, FROM_BEFORE);
  const word = gap.groups?.word?.toLowerCase();
  if (word === 'and' && between < 0) return null;
  const days = a.grain === 'day' && b.grain === 'day';
  if (word && comparison && !days && (between >= 0 || from < 0)) return null;
  let first = a.span!;
  let last = b.span!;
  if (last.to <= first.from) {
    // "Monday to Wednesday" asked on a Wednesday: the later end has started, so move it on;
    // "Dec 20 to Jan 5" asked in November: it has not, so take the earlier start.
    const later = b.recycle?.(1);
    const earlier = a.recycle?.(-1);
    if (later && later.from <= q.cal.now && first.from < later.to) last = later;
    else if (earlier && earlier.from < last.to) first = earlier;
    else if (later && first.from < later.to) last = later;
    else return null;
  }
  if (last.to <= first.from) return null;
  const start = between >= 0 ? between : from >= 0 ? from : a.start;
  return {
    start,
    end: b.end,
    rule: 'between',
    priority: a.priority,
    grain: days ? 'day' : 'range',
    span: { from: first.from, to: last.to },
  };
}

function modify(q: Question, a: Atom): Atom {
  const span = a.span!;
  const now = q.cal.now;
  const since = prefixStart(q, a.start, SINCE_BEFORE);
  if (since >= 0)
    return { ...a, start: since, rule: `since:${a.rule}`, span: { from: span.from, to: now } };
  const starting = prefixStart(q, a.start, STARTING_BEFORE);
  if (starting >= 0)
    return { ...a, start: starting, rule: `since:${a.rule}`, span: { from: span.from, to: now } };
  const toNow = TO_NOW_AFTER.exec(q.text.slice(a.end, a.end + 32));
  if (toNow) {
    const from = prefixStart(q, a.start, FROM_BEFORE);
    return {
      ...a,
      start: from >= 0 ? from : a.start,
      end: a.end + toNow[0].length,
      rule: `since:${a.rule}`,
      span: { from: span.from, to: now },
    };
  }
  const fromIndex = prefixStart(q, a.start, FROM_BEFORE);
  const onwards = ONWARDS_AFTER.exec(q.text.slice(a.end, a.end + 16));
  if (onwards && (fromIndex >= 0 || /onward|forward/i.test(onwards[0]))) {
    return {
      ...a,
      start: fromIndex >= 0 ? fromIndex : a.start,
      end: a.end + onwards[0].length,
      rule: `since:${a.rule}`,
      span: { from: span.from, to: now },
    };
  }
  const after = prefixStart(q, a.start, AFTER_BEFORE);
  if (after >= 0 && span.to <= now) {
    return { ...a, start: after, rule: `after:${a.rule}`, span: { from: span.to, to: now } };
  }
  const until = UNTIL_BEFORE.exec(q.text.slice(Math.max(0, a.start - 24), a.start));
  if (until) {
    const to = /^before|^prior/i.test(until[0].trimStart()) ? span.from : span.to;
    return {
      ...a,
      start: a.start - until[0].length,
      rule: `until:${a.rule}`,
      span: { from: OPEN_START, to },
    };
  }
  if (a.grain === 'day') {
    const weekOf = prefixStart(q, a.start, WEEK_OF_BEFORE);
    if (weekOf >= 0) {
      const monday = q.cal.weekStart(q.cal.dayOf(span.from));
      return { ...a, start: weekOf, rule: 'week_of', span: q.cal.days(monday, monday + 6) };
    }
  }
  if (a.rule === 'between') {
    const opener = Math.max(
      prefixStart(q, a.start, FROM_BEFORE),
      prefixStart(q, a.start, BETWEEN_BEFORE),
    );
    if (opener >= 0) return { ...a, start: opener };
  }
  const monthOf = prefixStart(q, a.start, MONTH_OF_BEFORE);
  if (monthOf >= 0 && a.rule === 'month') return { ...a, start: monthOf };
  return a;
}
