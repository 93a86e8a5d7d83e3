import { ZoneClock } from '../../../shared/domain/zone-clock';
import type { FrameTimeRange } from '../../nlu/domain/frame';
import type { SymptomEntry } from '../../symptoms/domain/symptom-entry';
import type { DiaryAnswer } from './answer';

/** An entry in machine form, as GET /api/health/symptoms writes it. */
export interface EntryFigure {
  readonly id: number;
  readonly symptom: string | null;
  readonly recordedAs: string;
  readonly occurredAt: string;
  readonly severity: number | null;
  readonly durationMinutes: number | null;
  readonly person: string;
}

/**
 * The figures of an answer in machine form (shared/contracts/nlu.md): `count` for count,
 * `lastOccurredAt` / `firstOccurredAt`, `entries` for list, `average` and `max` for severity,
 * one object per period for compare, `symptoms` (id and count) for top_symptoms and
 * co_occurrence. Instants are ISO 8601 with the zone's offset; days are 'YYYY-MM-DD'.
 */
export function answerResult(
  answer: DiaryAnswer,
  range: FrameTimeRange | null,
  timeZone: string,
): Record<string, unknown> {
  const clock = ZoneClock.of(timeZone);
  const iso = (d: Date) => clock.formatIso(d.getTime());
  const entry = (e: SymptomEntry | null): EntryFigure | null =>
    e === null
      ? null
      : {
          id: e.id,
          symptom: e.conceptId,
          recordedAs: e.recordedAs,
          occurredAt: iso(e.occurredAt),
          severity: e.severity,
          durationMinutes: e.durationMinutes,
          person: e.person,
        };
  const period = range === null ? null : { from: iso(range.from), to: iso(range.to) };
  switch (answer.intent) {
    case 'count':
      return {
        period,
        count: answer.result.count,
        days: answer.result.days,
        bySymptom: answer.result.byConcept.map((c) => ({
          id: c.conceptId,
          count: c.count,
          days: c.days,
        })),
        lastBefore: entry(answer.result.lastBefore),
      };
    case 'last_occurrence':
      return {
        period,
        lastOccurredAt: answer.result.entry ? iso(answer.result.entry.occurredAt) : null,
        entry: entry(answer.result.entry),
        lastBefore: entry(answer.result.lastBefore),
      };
    case 'first_occurrence':
      return {
        period,
        firstOccurredAt: answer.result.entry ? iso(answer.result.entry.occurredAt) : null,
        entry: entry(answer.result.entry),
      };
    case 'list':
      return {
        period,
        total: answer.result.total,
        entries: answer.result.items.map((e) => entry(e)),
      };
    case 'severity': {
      const s = answer.result;
      return {
        period,
        average: s.average,
        max: s.max,
        maxDays: s.maxDays,
        min: s.min,
        rated: s.rated,
        unrated: s.unrated,
        bySymptom: s.byConcept.map((c) => ({
          id: c.conceptId,
          average: c.average,
          max: c.max,
          min: c.min,
          rated: c.rated,
        })),
      };
    }
    case 'trend': {
      const t = answer.result;
      return {
        period: { from: iso(t.from), to: iso(t.to) },
        direction: t.direction,
        bucket: t.bucket,
        buckets: t.buckets.map((k) => ({
          start: k.start,
          end: k.end,
          count: k.count,
          averageSeverity: k.averageSeverity,
        })),
        counts: t.counts,
        severity: t.severity,
      };
    }
    case 'compare': {
      const c = answer.result;
      const figures = (p: typeof c.first) => ({
        from: iso(p.from),
        to: iso(p.to),
        count: p.count,
        days: p.days,
        averageSeverity: p.averageSeverity,
      });
      return { periods: [figures(c.first), figures(c.second)], difference: c.difference };
    }
    case 'co_occurrence':
      return {
        period,
        askedDays: answer.result.askedDays,
        symptoms: answer.result.symptoms.map((s) => ({
          id: s.conceptId,
          count: s.sharedDays,
          share: s.share,
        })),
        pairs: answer.result.pairs,
      };
    case 'top_symptoms':
      return {
        period,
        symptoms: answer.result.symptoms.map((s) => ({
          id: s.conceptId,
          count: s.count,
          days: s.days,
        })),
      };
    case 'summary': {
      const s = answer.result;
      return {
        period,
        count: s.count,
        days: s.days,
        averageSeverity: s.averageSeverity,
        symptoms: s.topSymptoms.map((t) => ({ id: t.conceptId, count: t.count, days: t.days })),
        mostSevere: entry(s.mostSevere),
        byPerson: s.byPerson,
      };
    }
    case 'advice':
      return {
        period,
        count: answer.result.count,
        days: answer.result.days,
        lastOccurredAt: answer.last?.entry ? iso(answer.last.entry.occurredAt) : null,
      };
  }
}
