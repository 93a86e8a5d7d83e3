import { Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { metricsConfig, type MetricsConfig } from '../../config/configuration';
import {
  APP_DATA_SOURCE,
  AppDatabaseModule,
} from '../../infrastructure/database/app-database.module';
import { ErrorReporter } from '../../shared/application/error-reporter';
import { CapturedErrorRepository } from './application/captured-error.repository';
import { CapturedErrorsService } from './application/captured-errors.service';
import { ErrorCaptureService } from './application/error-capture.service';
import { ErrorMetrics } from './application/error-metrics';
import { PrometheusErrorMetrics } from './infrastructure/prometheus-error.metrics';
import { SqlCapturedErrorRepository } from './infrastructure/sql-captured-error.repository';
import { AdminErrorsController } from './interface/admin-errors.controller';

/**
 * The error store (docs/errors.md): every unexpected error the exception filter answers is
 * captured once (log line, metric, a row in `app.captured_errors`), pruned by retention and row
 * count, and readable by admins under /api/admin/errors. The filter reaches it through the
 * ErrorReporter port (create-app.ts).
 */
@Module({
  imports: [AppDatabaseModule, ConfigModule.forFeature(metricsConfig)],
  controllers: [AdminErrorsController],
  providers: [
    {
      provide: CapturedErrorRepository,
      inject: [getDataSourceToken(APP_DATA_SOURCE)],
      useFactory: (dataSource: DataSource) => new SqlCapturedErrorRepository(dataSource),
    },
    { provide: ErrorMetrics, useClass: PrometheusErrorMetrics },
    {
      provide: ErrorCaptureService,
      inject: [CapturedErrorRepository, ErrorMetrics, metricsConfig.KEY],
      useFactory: (
        repository: CapturedErrorRepository,
        metrics: ErrorMetrics,
        config: MetricsConfig,
      ) => new ErrorCaptureService(repository, metrics, config.errorStore),
    },
    { provide: ErrorReporter, useExisting: ErrorCaptureService },
    CapturedErrorsService,
  ],
  exports: [ErrorReporter, ErrorCaptureService],
})
export class ErrorsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(ErrorCaptureService) private readonly capture: ErrorCaptureService) {}

  onApplicationBootstrap(): void {
    this.capture.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.capture.stop();
  }
}
