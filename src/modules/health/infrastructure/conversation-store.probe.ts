import { ConversationStore } from '../../conversation/application/conversation.store';
import { DependencyProbe } from '../domain/dependency-probe';

/** Redis answers for the conversation store (only probed when conversations live in Redis). */
export class ConversationStoreProbe extends DependencyProbe {
  readonly name = 'redis';

  constructor(private readonly store: ConversationStore) {
    super();
  }

  async check(): Promise<Record<string, unknown>> {
    await this.store.ping();
    return { use: 'conversations' };
  }
}
