import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import {
  appConfig,
  appDatabaseConfig,
  authConfig,
  bridgeClientConfig,
  conversationConfig,
  databaseConfig,
  diaryConfig,
  resilienceConfig,
  securityConfig,
} from './config/configuration';
import { validateEnvironment } from './config/environment';
import { AuthModule } from './modules/auth/auth.module';
import { ConversationModule } from './modules/conversation/conversation.module';
import { HealthModule } from './modules/health/health.module';
import { NluModule } from './modules/nlu/nlu.module';
import { SecurityModule } from './modules/security/security.module';
import { BridgeClientModule } from './modules/bridge/client/bridge-client.module';
import { DirectDiaryModule } from './modules/symptoms/infrastructure/direct/direct-diary.module';
import { SymptomsModule } from './modules/symptoms/symptoms.module';
import { ErrorsModule } from './modules/errors/errors.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { LoggingModule } from './shared/infrastructure/logging.module';

export interface AppOptions {
  /** Where diary reads go: this process's own database connection, or the bridge. */
  readonly dataSource: 'direct' | 'bridge';
}

/** Composes the modules; holds no logic of its own. */
@Module({})
export class AppModule {
  static register(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          validate: validateEnvironment,
          load: [
            appConfig,
            databaseConfig,
            diaryConfig,
            conversationConfig,
            resilienceConfig,
            bridgeClientConfig,
            securityConfig,
            appDatabaseConfig,
            authConfig,
          ],
        }),
        LoggingModule,
        SecurityModule,
        // After SecurityModule: its rate limit counts a request before the token is checked.
        AuthModule.register(),
        SymptomsModule.register(
          options.dataSource === 'bridge' ? BridgeClientModule : DirectDiaryModule,
        ),
        NluModule,
        ConversationModule,
        HealthModule,
        MetricsModule.register({ role: 'api' }),
        ErrorsModule,
      ],
    };
  }
}
