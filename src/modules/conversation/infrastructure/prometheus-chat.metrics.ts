import { counter } from '../../../shared/infrastructure/prometheus';
import { ChatMetrics } from '../application/chat-metrics';

/** `chat_turns_total{intent}`. */
export class PrometheusChatMetrics extends ChatMetrics {
  private readonly turns = counter({
    name: 'chat_turns_total',
    help: 'Chat messages answered, by the intent the question was read as (after context)',
    labelNames: ['intent'] as const,
  });

  turn(intent: string): void {
    this.turns.inc({ intent });
  }
}
