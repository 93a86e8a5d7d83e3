import type { CapturedError } from '../domain/captured-error';

export interface CapturedErrorQuery {
  readonly from?: Date;
  /** Exclusive. */
  readonly to?: Date;
  readonly route?: string;
  readonly code?: string;
  readonly requestId?: string;
  readonly page: number;
  readonly limit: number;
}

/** Port: where captured errors are kept (adapter: a table in the app's own schema). */
export abstract class CapturedErrorRepository {
  abstract save(error: CapturedError): Promise<void>;
  /** Newest first. */
  abstract find(query: CapturedErrorQuery): Promise<{ items: CapturedError[]; total: number }>;
  abstract get(id: string): Promise<CapturedError | undefined>;
  /** Removes errors older than `olderThan`, then all but the newest `maxRows`; returns how many. */
  abstract prune(olderThan: Date, maxRows: number): Promise<number>;
}
