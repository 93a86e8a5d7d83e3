import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { bridgeClientConfig, type BridgeClientConfig } from '../../../config/configuration';
import { DIARY_PROBE, SOURCE_EXECUTOR } from '../../symptoms/application/diary-sources';
import { BridgeQueryExecutor } from './bridge-query.executor';
import { BridgeTransport, createBridgeTransport } from './bridge-transport';
import { BridgeProbe } from './bridge.probe';

/**
 * DATA_SOURCE=bridge: every diary read goes through the bridge (docs/bridge.md), one signed
 * HTTPS call each. Deliberately imports no database module: in this mode the process never holds
 * the diary's credentials. Provides the source executor (wrapped by the symptoms module's
 * resilience decorator) and the readiness probe.
 */
@Global()
@Module({
  providers: [
    {
      provide: BridgeTransport,
      inject: [bridgeClientConfig.KEY],
      useFactory: (config: BridgeClientConfig) => createBridgeTransport(config),
    },
    {
      provide: SOURCE_EXECUTOR,
      inject: [BridgeTransport, bridgeClientConfig.KEY],
      useFactory: (transport: BridgeTransport, config: BridgeClientConfig) => {
        if (!config.keyId || !config.secret) {
          throw new Error('DATA_SOURCE=bridge needs BRIDGE_KEY_ID and BRIDGE_SECRET');
        }
        return new BridgeQueryExecutor(transport, {
          keyId: config.keyId,
          secret: config.secret,
          timeoutMs: config.timeoutMs,
        });
      },
    },
    {
      provide: DIARY_PROBE,
      inject: [BridgeTransport, bridgeClientConfig.KEY],
      useFactory: (transport: BridgeTransport, config: BridgeClientConfig) =>
        new BridgeProbe(transport, config.timeoutMs),
    },
  ],
  exports: [SOURCE_EXECUTOR, DIARY_PROBE],
})
export class BridgeClientModule implements OnApplicationShutdown {
  constructor(@Inject(BridgeTransport) private readonly transport: BridgeTransport) {}

  /** After the HTTP server has stopped taking requests: in-flight calls end, then the pool. */
  async onApplicationShutdown(): Promise<void> {
    await this.transport.close();
  }
}
