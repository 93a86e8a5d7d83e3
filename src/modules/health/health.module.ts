import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConversationStore } from '../conversation/application/conversation.store';
import { ConversationModule } from '../conversation/conversation.module';
import { DIARY_PROBE } from '../symptoms/application/diary-sources';
import { DiaryReadsProbe } from '../symptoms/infrastructure/resilience/diary-reads.probe';
import { ReadinessService } from './application/readiness.service';
import { DependencyProbe, ReadinessProbes } from './domain/dependency-probe';
import { ConversationStoreProbe } from './infrastructure/conversation-store.probe';
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
      inject: [DIARY_PROBE, ConversationStore, DiaryReadsProbe],
      useFactory: (diary: DependencyProbe, store: ConversationStore, reads: DiaryReadsProbe) =>
        new ReadinessProbes([
          diary,
          // Breaker and cache details; never fails readiness by itself.
          reads,
          ...(store.kind === 'redis' ? [new ConversationStoreProbe(store)] : []),
        ]),
    },
    ReadinessService,
  ],
  // The metrics module reads the same probes for dependency_up.
  exports: [ReadinessProbes],
})
export class HealthModule {}
