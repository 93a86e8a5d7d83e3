import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig, databaseConfig, diaryConfig } from './config/configuration';
import { validateEnvironment } from './config/environment';
import { DatabaseModule } from './infrastructure/database/database.module';
import { HealthModule } from './modules/health/health.module';
import { SymptomsModule } from './modules/symptoms/symptoms.module';
import { LoggingModule } from './shared/infrastructure/logging.module';

/** Composes the modules; holds no logic of its own. */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      validate: validateEnvironment,
      load: [appConfig, databaseConfig, diaryConfig],
    }),
    LoggingModule,
    DatabaseModule,
    SymptomsModule,
    HealthModule,
  ],
})
export class AppModule {}
