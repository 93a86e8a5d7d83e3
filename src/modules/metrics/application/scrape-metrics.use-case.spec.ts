import { MetricsExposition, ScrapeCollector } from './metrics-exposition';
import { ScrapeMetricsUseCase } from './scrape-metrics.use-case';

class Fixed extends MetricsExposition {
  render() {
    return Promise.resolve({ contentType: 'text/plain', body: 'up 1\n' });
  }
}

class Recording extends ScrapeCollector {
  calls = 0;
  constructor(private readonly fails: boolean) {
    super();
  }
  collect(): Promise<void> {
    this.calls++;
    return this.fails ? Promise.reject(new Error('probe broke')) : Promise.resolve();
  }
}

describe('ScrapeMetricsUseCase', () => {
  it('runs every collector, and renders even when one of them fails', async () => {
    const ok = new Recording(false);
    const broken = new Recording(true);
    const scrape = new ScrapeMetricsUseCase(new Fixed(), [broken, ok]);
    await expect(scrape.scrape()).resolves.toEqual({ contentType: 'text/plain', body: 'up 1\n' });
    expect([ok.calls, broken.calls]).toEqual([1, 1]);
  });
});
