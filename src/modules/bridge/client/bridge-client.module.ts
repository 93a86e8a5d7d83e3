import { Global, Module } from '@nestjs/common';

/** DATA_SOURCE=bridge: every diary read goes through the bridge (docs/bridge.md). */
@Global()
@Module({})
export class BridgeClientModule {}
