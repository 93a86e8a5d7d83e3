import { Inject, Injectable } from '@nestjs/common';
import {
  Exposition,
  MetricsExposition,
  SCRAPE_COLLECTORS,
  ScrapeCollector,
} from './metrics-exposition';

/** One scrape: every collector reads its source (in parallel), then the registry is rendered. */
@Injectable()
export class ScrapeMetricsUseCase {
  constructor(
    private readonly exposition: MetricsExposition,
    @Inject(SCRAPE_COLLECTORS) private readonly collectors: readonly ScrapeCollector[],
  ) {}

  async scrape(): Promise<Exposition> {
    // A collector's failure (a probe that threw past its own handling) never fails the scrape.
    await Promise.allSettled(this.collectors.map((collector) => collector.collect()));
    return this.exposition.render();
  }
}
