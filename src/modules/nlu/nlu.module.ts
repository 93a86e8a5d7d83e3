import { Module } from '@nestjs/common';
import { NluMetrics } from './application/nlu-metrics';
import { NluService } from './application/nlu.service';
import { PrometheusNluMetrics } from './infrastructure/prometheus-nlu.metrics';
import { NluController } from './interface/nlu.controller';

/** Natural-language understanding of diary questions (US-BE-02). */
@Module({
  controllers: [NluController],
  providers: [NluService, { provide: NluMetrics, useClass: PrometheusNluMetrics }],
  exports: [NluService],
})
export class NluModule {}
