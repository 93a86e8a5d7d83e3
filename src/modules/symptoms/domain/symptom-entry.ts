/** One diary entry, as the rest of the service sees it (the legacy row's quirks absorbed). */
export interface SymptomEntry {
  readonly id: number;
  readonly person: string;
  /** The catalog concept the recorded name maps to; null when the vocabulary cannot place it. */
  readonly conceptId: string | null;
  /** The name exactly as the person typed it. */
  readonly recordedAs: string;
  readonly occurredAt: Date;
  /** 1..10; null when the person did not rate it. */
  readonly severity: number | null;
  readonly durationMinutes: number | null;
  readonly notes: string | null;
}

/** How many live entries the diary holds for a concept. */
export interface ConceptCount {
  readonly conceptId: string;
  readonly count: number;
}
