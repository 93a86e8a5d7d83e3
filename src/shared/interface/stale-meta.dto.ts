/**
 * Present when the answer was served from the response cache because the diary could not be read
 * (its source was down or the circuit breaker open). The figures are those of `asOf`; the same is
 * said by the `X-Data-Stale` and `X-Data-As-Of` headers.
 */
export class StaleMetaDto {
  /** Always true when present. @example true */
  stale?: boolean;
  /** When the answer was read from the diary (ISO 8601, UTC). @example "2026-03-10T14:29:58.120Z" */
  asOf?: string;
}
