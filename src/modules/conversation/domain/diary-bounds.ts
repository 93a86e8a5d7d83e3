const MINUTE_MS = 60_000;

/**
 * The bounds a chat turn reads the diary with: a period's start rounded down and its end rounded
 * up to whole minutes, so always a superset of the period asked about, wider by under a minute
 * at each end.
 *
 * Why: periods that reach "now" ("this month so far", "the last 30 days", "since Monday") end at
 * the turn's instant, to the millisecond. Read as such, every turn asked the diary a question
 * nobody had asked before, and the response cache could never answer it: in the load test these
 * were half of all cache misses. Rounded, the same question asked within the same minute is the
 * same read, for whoever asks it on any instance.
 *
 * What it changes: an end rounded up also counts entries stamped up to a minute after the
 * question, which is what a diary written from a phone whose clock runs a little ahead needs
 * anyway; a start rounded down adds under a minute at the far end of the period. Whole days,
 * weeks, months and explicit dates are whole minutes already and stay exactly as they are.
 */
export function diaryFrom(from: Date): Date;
export function diaryFrom(from: Date | undefined): Date | undefined;
export function diaryFrom(from: Date | undefined): Date | undefined {
  if (from === undefined) return undefined;
  return new Date(Math.floor(from.getTime() / MINUTE_MS) * MINUTE_MS);
}

/** The end of a period for the diary: rounded up to a whole minute (see `diaryFrom`). */
export function diaryTo(to: Date): Date;
export function diaryTo(to: Date | undefined): Date | undefined;
export function diaryTo(to: Date | undefined): Date | undefined {
  if (to === undefined) return undefined;
  return new Date(Math.ceil(to.getTime() / MINUTE_MS) * MINUTE_MS);
}

/** A period widened to whole minutes for the diary (see `diaryFrom`); anything else kept. */
export function diaryPeriod<P extends { readonly from: Date; readonly to: Date }>(period: P): P {
  return { ...period, from: diaryFrom(period.from), to: diaryTo(period.to) };
}
