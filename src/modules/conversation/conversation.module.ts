import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { conversationConfig, type ConversationConfig } from '../../config/configuration';
import { NluModule } from '../nlu/nlu.module';
import { ChatMetrics } from './application/chat-metrics';
import { ChatService } from './application/chat.service';
import { ConversationStore } from './application/conversation.store';
import { CacheConversationStore } from './infrastructure/cache-conversation.store';
import { PrometheusChatMetrics } from './infrastructure/prometheus-chat.metrics';
import { ConversationsController } from './interface/conversations.controller';

/** The chat: conversations with context, answered from the diary (US-BE-03, US-BE-04). */
@Module({
  imports: [NluModule],
  controllers: [ConversationsController],
  providers: [
    {
      provide: ConversationStore,
      inject: [conversationConfig.KEY],
      useFactory: (config: ConversationConfig) =>
        CacheConversationStore.create({ redisUrl: config.redisUrl, memoryMax: config.memoryMax }),
    },
    ChatService,
    { provide: ChatMetrics, useClass: PrometheusChatMetrics },
  ],
  exports: [ConversationStore],
})
export class ConversationModule implements OnApplicationShutdown {
  constructor(@Inject(ConversationStore) private readonly store: ConversationStore) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.store instanceof CacheConversationStore) await this.store.close();
  }
}
