import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DiaryConnection } from '../../infrastructure/database/diary-connection';
import { ConversationStore } from '../conversation/application/conversation.store';
import { ConversationModule } from '../conversation/conversation.module';
import { DIARY_DATA_SOURCE } from '../../infrastructure/database/database.module';
import { ReadinessService } from './application/readiness.service';
import { ReadinessProbes } from './domain/dependency-probe';
import { ConversationStoreProbe } from './infrastructure/conversation-store.probe';
import { DiaryDatabaseProbe } from './infrastructure/diary-database.probe';
import { HealthController } from './interface/health.controller';

@Module({
  imports: [
    ConversationModule,
    TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 }),
  ],
  controllers: [HealthController],
  providers: [
    {
      provide: ReadinessProbes,
      inject: [getDataSourceToken(DIARY_DATA_SOURCE), DiaryConnection, ConversationStore],
      useFactory: (dataSource: DataSource, connection: DiaryConnection, store: ConversationStore) =>
        new ReadinessProbes([
          new DiaryDatabaseProbe(dataSource, connection.isEmbedded),
          ...(store.kind === 'redis' ? [new ConversationStoreProbe(store)] : []),
        ]),
    },
    ReadinessService,
  ],
})
export class HealthModule {}
