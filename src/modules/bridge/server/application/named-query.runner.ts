/**
 * Port: runs one named diary read (the fixed catalogue of docs/bridge.md) on untrusted JSON
 * params and answers its JSON result. Throws InvalidInputError for an unknown name or bad
 * params, DependencyUnavailableError / DependencyTimeoutError when the diary cannot answer.
 */
export abstract class NamedQueryRunner {
  abstract run(name: string, params: unknown): Promise<unknown>;
}
