import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ErrorOccurrence, ErrorReporter } from '../../../shared/application/error-reporter';
import {
  CapturedError,
  DependencyFailureSampler,
  describeThrown,
  MAX_MESSAGE_LENGTH,
  MAX_STACK_LENGTH,
  redactErrorText,
  secretsOf,
} from '../domain/captured-error';
import { CapturedErrorRepository } from './captured-error.repository';
import { ErrorMetrics } from './error-metrics';

export interface ErrorCaptureOptions {
  readonly retentionDays: number;
  readonly maxRows: number;
  readonly pruneEveryMs: number;
  /** Writes waiting for the store beyond this are dropped (and counted): a down store holds no backlog. */
  readonly maxPendingWrites?: number;
  /** A dependency failure of one route and code is captured at most once per this window. */
  readonly dependencySampleMs?: number;
}

const DEFAULT_MAX_PENDING_WRITES = 50;
const DEFAULT_DEPENDENCY_SAMPLE_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The error store's entry point (docs/errors.md). Each error the exception filter answers with a
 * 500 is captured once: an id, redacted message and stack, one structured log line
 * (`msg: "unexpected error"`, with errorId, requestId, route, code) for Loki, one count in
 * errors_captured_total, and a row written in the background. A dependency failure
 * (502/503/504) is captured the same way, sampled (once per route and code a minute), and logged
 * as `dependency failure`. Nothing here ever throws at the caller or makes it wait: a store that
 * is down costs a warning and a count of store failures.
 */
export class ErrorCaptureService extends ErrorReporter {
  private readonly logger = new Logger('ErrorStore');
  private readonly captured = new WeakSet<object>();
  private readonly sampler: DependencyFailureSampler;
  private readonly maxPendingWrites: number;
  private pendingWrites = 0;
  private readonly writes = new Set<Promise<void>>();
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repository: CapturedErrorRepository,
    private readonly metrics: ErrorMetrics,
    private readonly options: ErrorCaptureOptions,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
    this.sampler = new DependencyFailureSampler(
      options.dependencySampleMs ?? DEFAULT_DEPENDENCY_SAMPLE_MS,
    );
    this.maxPendingWrites = options.maxPendingWrites ?? DEFAULT_MAX_PENDING_WRITES;
  }

  report(occurrence: ErrorOccurrence): string | undefined {
    try {
      return this.capture(occurrence);
    } catch (error) {
      // Capturing must never change the answer; say why it failed, without the error's text.
      this.logger.warn(
        { name: error instanceof Error ? error.name : typeof error },
        'error capture failed',
      );
      return undefined;
    }
  }

  /** Starts the periodic pruning (and prunes once now). */
  start(): void {
    void this.prune();
    this.pruneTimer = setInterval(() => void this.prune(), this.options.pruneEveryMs);
    this.pruneTimer.unref();
  }

  /** Stops pruning and waits for the writes in flight. */
  async stop(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = undefined;
    await Promise.allSettled([...this.writes]);
  }

  /** Drops errors past the retention and beyond the row limit; never throws. */
  async prune(): Promise<number> {
    const olderThan = new Date(this.now().getTime() - this.options.retentionDays * DAY_MS);
    try {
      const removed = await this.repository.prune(olderThan, this.options.maxRows);
      if (removed > 0) this.logger.log({ removed }, 'error store pruned');
      return removed;
    } catch (error) {
      this.logger.warn({ reason: reasonOf(error) }, 'error store could not be pruned');
      return 0;
    }
  }

  private capture(occurrence: ErrorOccurrence): string | undefined {
    const thrown = occurrence.error;
    const unexpected = occurrence.status === 500;
    if (typeof thrown === 'object' && thrown !== null) {
      if (this.captured.has(thrown)) return undefined;
      this.captured.add(thrown);
    }
    const at = this.now();
    if (
      !unexpected &&
      !this.sampler.shouldCapture(occurrence.route, occurrence.code, at.getTime())
    ) {
      return undefined;
    }
    const secrets = secretsOf(occurrence.requestValues);
    const described = describeThrown(thrown);
    const record: CapturedError = {
      id: randomUUID(),
      occurredAt: at,
      requestId: occurrence.requestId,
      method: occurrence.method,
      route: occurrence.route,
      status: occurrence.status,
      code: occurrence.code,
      name: described.name.slice(0, 200),
      message: redactErrorText(described.message, secrets, MAX_MESSAGE_LENGTH),
      stack:
        described.stack === undefined
          ? null
          : redactErrorText(described.stack, secrets, MAX_STACK_LENGTH),
    };
    const line = {
      errorId: record.id,
      requestId: record.requestId,
      method: record.method,
      route: record.route,
      status: record.status,
      code: record.code,
      errorName: record.name,
      errorMessage: record.message,
      ...(unexpected ? { stack: record.stack } : {}),
    };
    if (unexpected) this.logger.error(line, 'unexpected error');
    else this.logger.warn(line, 'dependency failure');
    this.metrics.captured(record.route, record.code);
    this.write(record);
    return record.id;
  }

  private write(record: CapturedError): void {
    if (this.pendingWrites >= this.maxPendingWrites) {
      this.metrics.storeFailed();
      this.logger.warn(
        { errorId: record.id, pendingWrites: this.pendingWrites },
        'error store is behind: error not stored (it is in the log)',
      );
      return;
    }
    this.pendingWrites++;
    const write = this.repository
      .save(record)
      .catch((error: unknown) => {
        this.metrics.storeFailed();
        this.logger.warn(
          { errorId: record.id, reason: reasonOf(error) },
          'error store unavailable: error not stored (it is in the log)',
        );
      })
      .finally(() => {
        this.pendingWrites--;
        this.writes.delete(write);
      });
    this.writes.add(write);
  }
}

/** The driver's code or the error's class: enough to tell "down" from "broken", no data. */
function reasonOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code ??
    (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown';
}
