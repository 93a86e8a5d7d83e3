import { Agent, request } from 'undici';
import type { BenchDialogue } from '../bench/dialogues';

/**
 * The load test's people: each is a person using the app in a browser, with an address of its
 * own (a loopback source address from 127.0.0.0/8, so nginx and the app see distinct clients and
 * the per-address limits apply as they would on the internet), one keep-alive TLS connection pool,
 * and a think time between requests. A session opens the app (the last 30 days, the catalog),
 * then mixes chat turns (conversations with follow-ups), symptom lists, statistics and parses.
 */

export type RequestKind =
  'open' | 'catalog' | 'chat-start' | 'chat-turn' | 'list' | 'stats' | 'parse';

export interface Sample {
  kind: RequestKind;
  ms: number;
  /** HTTP status, or 0 for a transport error (timeout, reset). */
  status: number;
  at: number;
  /** For a non-2xx answer: who answered and why (the problem's title and detail, or the first bytes). */
  why?: string;
}

export interface MixOptions {
  baseUrl: string;
  ca: string;
  /** Access tokens to share among the users (logged in before the run). */
  tokens: readonly string[];
  dialogues: readonly BenchDialogue[];
  /**
   * Per token (same order): the catalog ids of that account's person, most frequent in their
   * diary first (people ask about the symptoms they have: Zipf picks favour them).
   */
  symptoms: readonly (readonly string[])[];
  /** Think time between two requests of one user, uniform in [min, max] ms. */
  thinkMs: readonly [number, number];
  timeoutMs: number;
  /** Today in the diary's zone, YYYY-MM-DD. */
  today: string;
  record: (sample: Sample) => void;
}

/** Zipf (s = 1) over ranks 0..n-1: a few symptoms and questions are asked far more than others. */
export function zipf(n: number, random = Math.random): number {
  let harmonic = 0;
  for (let k = 1; k <= n; k++) harmonic += 1 / k;
  let u = random() * harmonic;
  for (let k = 1; k <= n; k++) {
    u -= 1 / k;
    if (u <= 0) return k - 1;
  }
  return n - 1;
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function monthStart(isoDate: string, monthsBack: number): string {
  const d = new Date(`${isoDate.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - monthsBack);
  return d.toISOString().slice(0, 10);
}

/** The title and detail of a problem body (never a diary answer: those are 2xx), else its start. */
function why(text: string): string {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null) {
      const { title, detail } = body as { title?: unknown; detail?: unknown };
      return `${String(title)}: ${String(detail)}`.slice(0, 160);
    }
  } catch {
    // not JSON: an HTML page from nginx
  }
  return text.replace(/\s+/g, ' ').slice(0, 80);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The source address of user `index`: 127.1.x.y, never 127.0.0.1 (the operator's own). */
export function sourceAddress(index: number): string {
  return `127.1.${Math.floor(index / 250) % 250}.${(index % 250) + 1}`;
}

export class VirtualUser {
  private readonly agent: Agent;
  private readonly token: string;
  private readonly symptoms: readonly string[];
  private conversation: { id: string; dialogue: BenchDialogue; next: number } | undefined;

  constructor(
    readonly index: number,
    private readonly options: MixOptions,
  ) {
    this.agent = new Agent({
      connections: 2,
      keepAliveTimeout: 30_000,
      // undici takes the source address as a client option (inside `connect` it is ignored).
      localAddress: sourceAddress(index),
      connect: { ca: options.ca, rejectUnauthorized: true },
    });
    this.token = options.tokens[index % options.tokens.length];
    this.symptoms = options.symptoms[index % options.tokens.length];
  }

  /** Runs sessions until `active()` says stop, then closes its connections. */
  async run(active: () => boolean): Promise<void> {
    try {
      await this.think();
      while (active()) {
        await this.openApp();
        // A session: 6–15 actions, then the app is "reopened" later.
        const actions = 6 + Math.floor(Math.random() * 10);
        for (let i = 0; i < actions && active(); i++) {
          await this.think();
          if (!active()) break;
          await this.act();
        }
        await this.think();
      }
    } finally {
      await this.agent.close().catch(() => undefined);
    }
  }

  private async think(): Promise<void> {
    const [min, max] = this.options.thinkMs;
    await sleep(min + Math.random() * (max - min));
  }

  private pickSymptom(): string {
    return this.symptoms[zipf(this.symptoms.length)];
  }

  /** The periods a frontend offers: this month, last month, the last 7 and 30 days. */
  private pickPeriod(): { from: string; to: string } {
    const today = this.options.today;
    const tomorrow = addDays(today, 1);
    switch (zipf(4)) {
      case 0:
        return { from: addDays(today, -29), to: tomorrow };
      case 1:
        return { from: monthStart(today, 0), to: tomorrow };
      case 2:
        return { from: addDays(today, -6), to: tomorrow };
      default:
        return { from: monthStart(today, 1), to: monthStart(today, 0) };
    }
  }

  private async openApp(): Promise<void> {
    const today = this.options.today;
    await this.call('open', 'GET', `/api/health/symptoms?from=${addDays(today, -29)}&limit=20`);
    await this.call('catalog', 'GET', '/api/health/symptoms/catalog');
  }

  private async act(): Promise<void> {
    const roll = Math.random();
    if (roll < 0.5) return this.chat();
    const { from, to } = this.pickPeriod();
    if (roll < 0.7) {
      const page = Math.random() < 0.8 ? 1 : 2;
      await this.call(
        'list',
        'GET',
        `/api/health/symptoms?symptom=${this.pickSymptom()}&from=${from}&to=${to}&page=${page}&limit=20`,
      );
      return;
    }
    if (roll < 0.9) {
      const which = ['count', 'severity', 'trend', 'summary'][zipf(4)];
      const symptom = which === 'summary' ? '' : `symptom=${this.pickSymptom()}&`;
      await this.call(
        'stats',
        'GET',
        `/api/health/symptoms/stats/${which}?${symptom}from=${from}&to=${to}`,
      );
      return;
    }
    const dialogue = this.options.dialogues[zipf(this.options.dialogues.length)];
    const turn = dialogue.turns[Math.floor(Math.random() * dialogue.turns.length)];
    await this.call('parse', 'POST', '/api/nlu/parse', {
      text: turn.text,
      timezone: dialogue.timezone,
      ...(dialogue.referenceTime === undefined ? {} : { referenceTime: dialogue.referenceTime }),
    });
  }

  /** The next turn of the current conversation; a new conversation when it is over. */
  private async chat(): Promise<void> {
    if (
      this.conversation === undefined ||
      this.conversation.next >= this.conversation.dialogue.turns.length
    ) {
      const dialogue = this.options.dialogues[zipf(this.options.dialogues.length)];
      const started = await this.call('chat-start', 'POST', '/api/conversations', {
        timezone: dialogue.timezone,
      });
      const id = started?.id;
      if (typeof id !== 'string') {
        this.conversation = undefined;
        return;
      }
      this.conversation = { id, dialogue, next: 0 };
      await this.think();
    }
    const { id, dialogue, next } = this.conversation;
    this.conversation.next = next + 1;
    const answer = await this.call('chat-turn', 'POST', `/api/conversations/${id}/messages`, {
      text: dialogue.turns[next].text,
      timezone: dialogue.timezone,
      ...(dialogue.referenceTime === undefined ? {} : { referenceTime: dialogue.referenceTime }),
    });
    if (answer === undefined) this.conversation = undefined;
  }

  /** One request, timed to the whole body; answers the parsed body of a 2xx, else undefined. */
  private async call(
    kind: RequestKind,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<Record<string, unknown> | undefined> {
    const started = performance.now();
    try {
      const response = await request(`${this.options.baseUrl}${path}`, {
        method,
        dispatcher: this.agent,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      const text = await response.body.text();
      const ms = performance.now() - started;
      if (response.statusCode < 200 || response.statusCode > 299) {
        this.options.record({ kind, ms, status: response.statusCode, at: started, why: why(text) });
        return undefined;
      }
      this.options.record({ kind, ms, status: response.statusCode, at: started });
      const parsed: unknown = JSON.parse(text);
      return typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>)
        : undefined;
    } catch {
      this.options.record({ kind, ms: performance.now() - started, status: 0, at: started });
      return undefined;
    }
  }
}
