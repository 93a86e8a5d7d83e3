import { ZoneClock } from '../../../shared/domain/zone-clock';
import type { Frame, FrameTimeRange } from '../domain/frame';
import type { ParsedQuestion } from '../domain/parsed-question';
import type { FrameDto, FrameTimeRangeDto, ParseResponseDto } from './dto/frame.dto';

function range(value: FrameTimeRange | null, clock: ZoneClock): FrameTimeRangeDto | null {
  return value === null
    ? null
    : {
        from: clock.formatIso(value.from.getTime()),
        to: clock.formatIso(value.to.getTime()),
        text: value.text,
      };
}

/** A frame as the contract writes it: instants as ISO 8601 with the zone's offset. */
export function presentFrame(frame: Frame, timeZone: string): FrameDto {
  const clock = ZoneClock.of(timeZone);
  return {
    intent: frame.intent,
    confidence: Math.round(frame.confidence * 100) / 100,
    symptoms: frame.symptoms.map((s) => ({ id: s.id, text: s.text, negated: s.negated })),
    timeRange: range(frame.timeRange, clock),
    comparisonRange: range(frame.comparisonRange, clock),
    severity: frame.severity ? { min: frame.severity.min, max: frame.severity.max } : null,
    safety: frame.safety.urgent
      ? { urgent: true, ...(frame.safety.kind ? { kind: frame.safety.kind } : {}) }
      : { urgent: false },
    person: frame.person ?? null,
  };
}

export function presentParse(parsed: ParsedQuestion): ParseResponseDto {
  const { explain } = parsed;
  return {
    ...presentFrame(parsed.frame, explain.timeZone),
    explain: {
      spans: explain.spans.map((s) => ({ ...s })),
      intent: { rule: explain.intent.rule, scores: { ...explain.intent.scores } },
      followUp: explain.followUp,
      contextualTime: explain.contextualTime ? { ...explain.contextualTime } : null,
      anaphora: explain.anaphora,
      unplaced: explain.unplaced.map((u) => ({ text: u.text, candidates: [...u.candidates] })),
      timeZone: explain.timeZone,
      referenceTime: explain.referenceTime,
    },
  };
}
