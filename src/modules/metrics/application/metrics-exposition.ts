/** A scrape's answer: the registry in Prometheus's text format. */
export interface Exposition {
  readonly contentType: string;
  readonly body: string;
}

/** Port: renders every metric of this process (adapter: prom-client's default registry). */
export abstract class MetricsExposition {
  abstract render(): Promise<Exposition>;
}

/**
 * Port: a gauge read from its source when Prometheus scrapes (pool counts, dependency probes),
 * rather than kept up to date on every change. A collector that fails leaves its last values.
 */
export abstract class ScrapeCollector {
  abstract collect(): Promise<void>;
}

/** DI token of the collectors a scrape runs (an array of ScrapeCollector). */
export const SCRAPE_COLLECTORS = Symbol.for('symptom-diary.scrape-collectors');
