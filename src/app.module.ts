import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import {
  appConfig,
  bridgeClientConfig,
  conversationConfig,
  databaseConfig,
  diaryConfig,
  resilienceConfig,
} from './config/configuration';
import { validateEnvironment } from './config/environment';
import { ConversationModule } from './modules/conversation/conversation.module';
import { HealthModule } from './modules/health/health.module';
import { NluModule } from './modules/nlu/nlu.module';
import { BridgeClientModule } from './modules/bridge/client/bridge-client.module';
import { DirectDiaryModule } from './modules/symptoms/infrastructure/direct/direct-diary.module';
import { SymptomsModule } from './modules/symptoms/symptoms.module';
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
          ],
        }),
        LoggingModule,
        SymptomsModule.register(
          options.dataSource === 'bridge' ? BridgeClientModule : DirectDiaryModule,
        ),
        NluModule,
        ConversationModule,
        HealthModule,
      ],
    };
  }
}
