import { DependencyProbe } from '../../health/domain/dependency-probe';
import type { BridgeTransport } from './bridge-transport';

/** The bridge's unsigned readiness endpoint (it checks the diary database behind it). */
export const BRIDGE_READY_PATH = '/health/ready';

/**
 * DATA_SOURCE=bridge: this instance is ready when the bridge is, i.e. when the bridge answers its
 * own readiness 200 over the same pooled TLS connections the queries use.
 */
export class BridgeProbe extends DependencyProbe {
  readonly name = 'bridge';

  constructor(
    private readonly transport: BridgeTransport,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  async check(signal: AbortSignal): Promise<Record<string, unknown>> {
    const response = await this.transport.dispatcher.request({
      path: BRIDGE_READY_PATH,
      method: 'GET',
      headers: { accept: 'application/json' },
      signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
    });
    // The body is only drained: the bridge's details are its own business.
    await response.body.dump();
    if (response.statusCode !== 200) {
      throw new Error(`the bridge is not ready (HTTP ${response.statusCode})`);
    }
    // `status` is Terminus's own key (up/down): the HTTP status goes under another name.
    return { url: this.transport.origin, httpStatus: response.statusCode };
  }
}
