/**
 * A dependency whose reachability decides whether this instance may take traffic (the diary
 * database now; Redis and the bridge when they are used). `check` resolves with details worth
 * showing an operator, or throws when the dependency cannot serve.
 */
export abstract class DependencyProbe {
  abstract readonly name: string;
  abstract check(signal: AbortSignal): Promise<Record<string, unknown>>;
}

/** The probes that make up readiness. */
export class ReadinessProbes {
  constructor(readonly probes: readonly DependencyProbe[]) {
    const names = probes.map((p) => p.name);
    if (new Set(names).size !== names.length) {
      throw new Error(`readiness probe names must be unique: ${names.join(', ')}`);
    }
  }
}
