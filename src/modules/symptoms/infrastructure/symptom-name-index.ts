import { SymptomVocabulary } from '../domain/symptom-vocabulary';

/** A distinct name as recorded in the diary, with how many live entries use it. */
export interface RecordedName {
  readonly name: string;
  readonly count: number;
  /** Who recorded it (the same name recorded by two people comes as two rows). */
  readonly person?: string;
}

export interface NameIndexSnapshot {
  /** For each concept, the raw names in the diary that map to it. */
  readonly namesByConcept: ReadonlyMap<string, readonly string[]>;
  /** For each concept, the live entries recorded under those names. */
  readonly countsByConcept: ReadonlyMap<string, number>;
  /** Raw names the vocabulary could not place. */
  readonly unmapped: readonly string[];
  /** The people of the household who have live entries. */
  readonly people: readonly string[];
  readonly builtAt: number;
}

/**
 * The diary's free-text names mapped to catalog concepts once per refresh, so that a filter by
 * concept becomes `sym = ANY(<the raw names>)` on an index, never text matching in SQL.
 * Refreshed after `ttlMs`; one load at a time; a failed refresh keeps serving the last snapshot.
 */
export class SymptomNameIndex {
  private snapshot?: NameIndexSnapshot;
  private loading?: Promise<NameIndexSnapshot>;
  private readonly conceptOfName = new Map<string, string | null>();

  constructor(
    private readonly load: () => Promise<RecordedName[]>,
    private readonly vocabulary: SymptomVocabulary,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async current(): Promise<NameIndexSnapshot> {
    const snapshot = this.snapshot;
    if (snapshot && this.now() - snapshot.builtAt < this.ttlMs) return snapshot;
    this.loading ??= this.rebuild().finally(() => (this.loading = undefined));
    if (!snapshot) return this.loading;
    // Stale: answer from the last snapshot while the refresh runs.
    this.loading.catch(() => undefined);
    return snapshot;
  }

  /** The concept a recorded name maps to, remembered across refreshes. */
  conceptOf(name: string): string | null {
    let concept = this.conceptOfName.get(name);
    if (concept === undefined) {
      concept = this.vocabulary.normalise(name)?.conceptId ?? null;
      this.conceptOfName.set(name, concept);
    }
    return concept;
  }

  /** Forget the snapshot (the next call loads again). */
  invalidate(): void {
    this.snapshot = undefined;
  }

  private async rebuild(): Promise<NameIndexSnapshot> {
    const names = await this.load();
    const namesByConcept = new Map<string, string[]>();
    const countsByConcept = new Map<string, number>();
    const unmapped: string[] = [];
    const people = new Set<string>();
    for (const { name, count, person } of names) {
      if (person !== undefined) people.add(person);
      const concept = this.conceptOf(name);
      if (concept === null) {
        if (!unmapped.includes(name)) unmapped.push(name);
        continue;
      }
      const list = namesByConcept.get(concept);
      if (!list) namesByConcept.set(concept, [name]);
      else if (!list.includes(name)) list.push(name);
      countsByConcept.set(concept, (countsByConcept.get(concept) ?? 0) + count);
    }
    this.snapshot = {
      namesByConcept,
      countsByConcept,
      unmapped,
      people: [...people].sort(),
      builtAt: this.now(),
    };
    return this.snapshot;
  }
}
