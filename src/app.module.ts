import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig, conversationConfig, databaseConfig, diaryConfig } from './config/configuration';
import { validateEnvironment } from './config/environment';
import { DatabaseModule } from './infrastructure/database/database.module';
import { ConversationModule } from './modules/conversation/conversation.module';
import { HealthModule } from './modules/health/health.module';
import { NluModule } from './modules/nlu/nlu.module';
import { SymptomsModule } from './modules/symptoms/symptoms.module';
import { LoggingModule } from './shared/infrastructure/logging.module';

/** Composes the modules; holds no logic of its own. */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      validate: validateEnvironment,
      load: [appConfig, databaseConfig, diaryConfig, conversationConfig],
    }),
    LoggingModule,
    DatabaseModule,
    SymptomsModule,
    NluModule,
    ConversationModule,
    HealthModule,
  ],
})
export class AppModule {}
