import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isRecord } from './bench-support';

/**
 * The conversations the chat benchmark and the load test hold: the shared dev dialogues
 * (../shared/eval/dialogues-dev.jsonl, each at its own reference time) and dialogues of our own,
 * asked "now" (the demo diary ends today), every intent, with follow-ups.
 */

const shared = resolve(__dirname, '../../../..', '../shared/eval');

export interface BenchTurn {
  text: string;
  /** The intent the shared dev set expects, when it says one. */
  expectedIntent?: string;
}

export interface BenchDialogue {
  name: string;
  /** Undefined: the benchmark's start time. */
  referenceTime?: string;
  timezone: string;
  turns: BenchTurn[];
}

// ---------------------------------------------------------------------------------------------
// The dialogues
// ---------------------------------------------------------------------------------------------

/** Conversations of our own, asked "now" (the demo diary ends today), with follow-ups. */
export const OWN_DIALOGUES: readonly Omit<BenchDialogue, 'referenceTime'>[] = [
  {
    name: 'headache follow-ups',
    timezone: 'Europe/Berlin',
    turns: [
      'how many headaches did I have last week?',
      'and the week before?',
      'how bad were they?',
      'what about nausea?',
      'when did I last have it?',
    ],
  },
  {
    name: 'fatigue trend',
    timezone: 'Europe/Berlin',
    turns: [
      'is my fatigue getting worse?',
      'how many times this month?',
      'and last month?',
      'thanks!',
    ],
  },
  {
    name: 'migraine compare',
    timezone: 'Europe/London',
    turns: [
      'did I have more migraines in september or october?',
      'how bad were they in october?',
      'show me those entries',
    ],
  },
  {
    name: 'co-occurrence',
    timezone: 'Europe/Berlin',
    turns: [
      'what usually comes with my dizziness?',
      'do my headaches and nausea happen together?',
      'how often was I dizzy in the past 2 weeks',
    ],
  },
  {
    name: 'top symptoms and summary',
    timezone: 'America/New_York',
    turns: [
      'what were my most common symptoms last month?',
      'and the month before?',
      'give me a summary of last week',
      'what about this week?',
    ],
  },
  {
    name: 'back pain list',
    timezone: 'Europe/Berlin',
    turns: [
      'hi',
      'show my back pain entries from the last 10 days',
      'how bad was it on average?',
      'when did it start?',
    ],
  },
  {
    name: 'overview of a month',
    timezone: 'Europe/Berlin',
    turns: [
      'give me an overview of october',
      'what were my top symptoms in october',
      'how many coughs in october?',
      'and in november?',
    ],
  },
  {
    name: 'yesterday list',
    timezone: 'Asia/Tokyo',
    turns: [
      'list everything I logged yesterday',
      'and the day before?',
      'how many stomach aches did I have this year?',
      'is it getting better?',
    ],
  },
  {
    name: 'anxiety compare',
    timezone: 'Europe/Berlin',
    turns: [
      'compare my anxiety this month with last month',
      'what about insomnia?',
      'how bad was my insomnia last week?',
      'ok thank you',
    ],
  },
  {
    name: 'typos',
    timezone: 'Europe/Berlin',
    turns: [
      'how many hedaches in the last month',
      'what about nausea?',
      'how bad was the nausea',
      'and vomitting?',
    ],
  },
  {
    name: 'knee pain',
    timezone: 'America/Los_Angeles',
    turns: [
      'when did my knee pain start',
      'how many knee pain episodes in the past 3 months',
      'is it getting worse?',
      'what can I ask you?',
    ],
  },
].map((d) => ({ ...d, turns: d.turns.map((text) => ({ text })) }));

export function devDialogues(): BenchDialogue[] {
  return readFileSync(resolve(shared, 'dialogues-dev.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((line, i) => {
      const value: unknown = JSON.parse(line);
      if (
        !isRecord(value) ||
        typeof value.referenceTime !== 'string' ||
        typeof value.timezone !== 'string' ||
        !Array.isArray(value.turns)
      ) {
        throw new Error(`dialogues-dev.jsonl line ${i + 1}: unexpected shape`);
      }
      const turns = value.turns.map((turn: unknown): BenchTurn => {
        if (!isRecord(turn) || typeof turn.text !== 'string') {
          throw new Error(`dialogues-dev.jsonl line ${i + 1}: a turn without text`);
        }
        const expect = isRecord(turn.expect) ? turn.expect : {};
        return {
          text: turn.text,
          expectedIntent: typeof expect.intent === 'string' ? expect.intent : undefined,
        };
      });
      return {
        name: `dev dialogue ${i + 1}`,
        referenceTime: value.referenceTime,
        timezone: value.timezone,
        turns,
      };
    });
}
