import catalogDocument from './catalog.contract.json';

/** A canonical symptom concept of the project's catalog (shared/contracts/symptom-catalog.json). */
export interface SymptomConcept {
  readonly id: string;
  readonly name: string;
  readonly system: string;
}

/**
 * The symptom catalog: the stable ids the API accepts and the NLU produces.
 * Ids are contract values: concepts may be added, never renamed or removed.
 */
export class SymptomCatalog {
  private readonly byId: ReadonlyMap<string, SymptomConcept>;

  constructor(concepts: readonly SymptomConcept[]) {
    this.byId = new Map(concepts.map((concept) => [concept.id, concept]));
  }

  /** The catalog shipped with the service. */
  static readonly standard = new SymptomCatalog(catalogDocument.symptoms);

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): SymptomConcept | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  all(): SymptomConcept[] {
    return [...this.byId.values()];
  }
}
