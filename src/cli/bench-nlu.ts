import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ParseOptions } from '../modules/nlu/domain/question-parser';
import type { ParsedQuestion } from '../modules/nlu/domain/parsed-question';
import type { SymptomVocabulary } from '../modules/symptoms/domain/symptom-vocabulary';
import {
  commandLine,
  isRecord,
  loadLine,
  machineLine,
  percentile,
  table,
} from './bench/bench-support';

/**
 * `npm run bench:nlu`: how long `parseQuestion` takes, in-process, and how much heap the
 * standard vocabulary (lexicon included) holds.
 *
 * Parse latency: after the first (cold) call and a warm-up, BENCH_PARSES (default 20,000)
 * parses cycling through the shared dev questions, the turns of the shared dev dialogues and
 * the varied questions below (long ones near the API's 500-character limit, typos, several
 * symptoms, time phrases), each with its own reference time and zone, every call timed with
 * `process.hrtime.bigint()`.
 *
 * Vocabulary memory: a fresh `node --expose-gc` child of this script (`--vocabulary-memory`)
 * measures the heap used after a full GC before and after loading the vocabulary module and
 * building `SymptomVocabulary.standard()`.
 *
 * Floors: parse p99 < 10 ms; vocabulary heap < 50 MB. Exit 0 when both pass, 1 when one fails,
 * 2 when the benchmark itself could not run.
 */

const FLOOR_P99_MS = 10;
const FLOOR_VOCABULARY_MB = 50;
const MB = 1_000_000;
const MIB = 1024 * 1024;
const MAX_QUESTION_CHARS = 500;

const root = resolve(__dirname, '../../..');
const shared = resolve(root, '../shared/eval');

type ParseFn = (
  text: string,
  options: ParseOptions,
  vocabulary: SymptomVocabulary,
) => ParsedQuestion;

type Source = 'dev question' | 'dev dialogue turn' | 'own (long)' | 'own';

interface BenchQuestion {
  text: string;
  options: ParseOptions;
  source: Source;
}

// ---------------------------------------------------------------------------------------------
// The questions
// ---------------------------------------------------------------------------------------------

const REFERENCE_TIMES = [
  '2026-11-22T23:10:00Z',
  '2026-03-29T01:30:00Z', // the night the clocks go forward in Europe
  '2025-12-31T23:30:00Z', // New Year's Eve in UTC, already the new year further east
  '2026-02-28T12:00:00Z',
  '2026-07-15T06:45:00Z',
  '2026-10-25T00:59:00Z', // just before the clocks go back in Europe
];
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Europe/London',
  'America/Los_Angeles',
  'Asia/Kolkata',
];

/** Questions of our own, as people type them: long, misspelt, several symptoms, odd periods. */
const OWN_QUESTIONS: readonly string[] = [
  // Long ones, near the 500-character limit.
  'So I have been keeping this diary for a while now because my doctor asked me to, and I want to ' +
    'understand what has been going on over the last three months: how many times did I log a ' +
    'headache or a migraine, were they worse in the mornings or after work, and did the nausea and ' +
    'the dizziness tend to come on the same days as the headaches, because I have a feeling they ' +
    'are connected and I would like to bring some numbers to my appointment next Tuesday if that is ' +
    'at all possible?',
  'Ok this is going to be a long one sorry. Between the 3rd of September and the 20th of October ' +
    'I had a really rough patch with my stomach, cramps, bloating, some diarrhea and a couple of ' +
    'nights where I threw up, plus I was exhausted most days and could barely sleep. Can you list ' +
    'everything I logged in that window, especially the stomach stuff, and tell me which days were ' +
    'the worst ones and how severe they were on average, so I can see whether the new diet helped?',
  'My partner thinks my back pain has been getting worse since the summer but I honestly cannot ' +
    'tell anymore because some weeks are fine and others are terrible, so could you compare how ' +
    'often I logged back pain and how bad it was in June, July and August against September, ' +
    'October and November so far, and tell me whether there is an actual trend or whether it is ' +
    'just the usual ups and downs that I always have when work gets stressful and I sit all day?',
  'I keep waking up at night with my heart racing and feeling short of breath, not right now, it ' +
    'was mostly last week and the week before, and sometimes I get pins and needles in my hands ' +
    'afterwards. How many times did that happen in the past fortnight, when was the most recent ' +
    'one, and do the palpitations usually come together with anxiety or panic attacks in my ' +
    'entries? I just want to have the facts straight before I decide whether to call the GP.',
  'hi, quick question but with a lot of context: since I started the new medication at the ' +
    'beginning of october I think I have had fewer migranes but more nausea and some dizzy ' +
    'spells, and my sleep has been all over the place, insomnia some nights and feeling wiped ' +
    'out the next day. Could you give me an overview of october compared to september for all of ' +
    'those, how many of each and how bad on average, so I can judge whether the medication is ' +
    'worth continuing at all?',
  // Typos.
  'how many hedaches did i have this week',
  'when did i last have diarhea',
  'how bad was my nasuea yesterday',
  'list my migranes from last month',
  'how often was i dizy in the past 10 days',
  'is my insomina getting worse',
  'when did my stomache ache start',
  'how many times did i vomitt in september',
  // Several symptoms.
  'do my headaches, nausea and dizziness happen on the same days?',
  'how many headaches and migraines did I have since the start of the year',
  'show my cough, sore throat and runny nose entries from the last two weeks',
  'compare my back pain and neck pain this month with last month',
  'what usually comes with my fatigue and brain fog?',
  'list everything except headaches and back pain from last week',
  'how bad were my joint pain and muscle aches in august',
  // Time phrases.
  'how many headaches between 1 march and 15 april',
  'how many migraines in the first week of october',
  'show what I logged on the 3rd',
  'how often was I nauseous over the past 48 hours',
  'how many panic attacks since christmas',
  'summary of the last 90 days',
  'what did I log the day before yesterday',
  'how many coughs this time last year',
  'top symptoms in Q3',
  'how was my sleep over the last fortnight',
  'did I have more heartburn in the summer or in the autumn',
  'how many headaches on weekends this month',
  'show my rashes from 2 weeks ago',
  'when was the last time my chest felt tight',
  'how many times did I feel anxious between last monday and today',
  'how bad was the pain in my lower back on friday',
];

interface DevQuestionLine {
  text: string;
  referenceTime: string;
  timezone: string;
}

interface DevDialogueLine {
  referenceTime: string;
  timezone: string;
  turns: { text: string }[];
}

const readJsonl = (file: string): unknown[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as unknown);

function isDevQuestion(value: unknown): value is DevQuestionLine {
  return (
    isRecord(value) &&
    typeof value.text === 'string' &&
    typeof value.referenceTime === 'string' &&
    typeof value.timezone === 'string'
  );
}

function isDevDialogue(value: unknown): value is DevDialogueLine {
  return (
    isRecord(value) &&
    typeof value.referenceTime === 'string' &&
    typeof value.timezone === 'string' &&
    Array.isArray(value.turns) &&
    value.turns.every((t) => isRecord(t) && typeof t.text === 'string')
  );
}

function benchQuestions(): BenchQuestion[] {
  const questions: BenchQuestion[] = [];
  for (const line of readJsonl(resolve(shared, 'nlu-dev.jsonl'))) {
    if (!isDevQuestion(line)) throw new Error('nlu-dev.jsonl: unexpected line');
    questions.push({
      text: line.text,
      options: { referenceTime: new Date(line.referenceTime), timeZone: line.timezone },
      source: 'dev question',
    });
  }
  for (const line of readJsonl(resolve(shared, 'dialogues-dev.jsonl'))) {
    if (!isDevDialogue(line)) throw new Error('dialogues-dev.jsonl: unexpected line');
    for (const turn of line.turns) {
      questions.push({
        text: turn.text,
        options: { referenceTime: new Date(line.referenceTime), timeZone: line.timezone },
        source: 'dev dialogue turn',
      });
    }
  }
  OWN_QUESTIONS.forEach((text, i) => {
    if (text.length > MAX_QUESTION_CHARS) {
      throw new Error(`own question ${i} has ${text.length} characters (API limit 500)`);
    }
    questions.push({
      text,
      options: {
        referenceTime: new Date(REFERENCE_TIMES[i % REFERENCE_TIMES.length]),
        timeZone: ZONES[i % ZONES.length],
      },
      source: text.length >= 300 ? 'own (long)' : 'own',
    });
  });
  return questions;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary memory (child mode)
// ---------------------------------------------------------------------------------------------

interface VocabularyMemory {
  heapBefore: number;
  heapAfter: number;
  rssBefore: number;
  rssAfter: number;
  buildMs: number;
}

function fullGc(gc: NodeJS.GCFunction): void {
  for (let i = 0; i < 4; i++) gc();
}

/** Runs in the `--expose-gc` child: loads nothing of the project before the first reading. */
async function measureVocabularyHere(): Promise<void> {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  // Warm the module loader itself, so that only the vocabulary's modules are counted.
  await import('node:path');
  fullGc(gc);
  const before = process.memoryUsage();
  const started = performance.now();
  const { SymptomVocabulary: Vocabulary } =
    await import('../modules/symptoms/domain/symptom-vocabulary.js');
  const vocabulary = Vocabulary.standard();
  const buildMs = performance.now() - started;
  fullGc(gc);
  const after = process.memoryUsage();
  // Keep it alive to the last reading.
  if (vocabulary.terms('headache').length === 0) throw new Error('no headache terms');
  const result: VocabularyMemory = {
    heapBefore: before.heapUsed,
    heapAfter: after.heapUsed,
    rssBefore: before.rss,
    rssAfter: after.rss,
    buildMs,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function isVocabularyMemory(value: unknown): value is VocabularyMemory {
  return (
    isRecord(value) &&
    ['heapBefore', 'heapAfter', 'rssBefore', 'rssAfter', 'buildMs'].every(
      (k) => typeof value[k] === 'number',
    )
  );
}

async function measureVocabularyInChild(): Promise<VocabularyMemory> {
  const child = spawn(process.execPath, ['--expose-gc', __filename, '--vocabulary-memory'], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('exit', (exitCode) => done(exitCode));
  });
  if (code !== 0) throw new Error(`vocabulary memory child exited ${code}: ${stderr.trim()}`);
  const parsed: unknown = JSON.parse(stdout.trim());
  if (!isVocabularyMemory(parsed)) throw new Error(`unexpected child output: ${stdout}`);
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// Parse latency
// ---------------------------------------------------------------------------------------------

const toMs = (ns: bigint): number => Number(ns) / 1e6;

interface Summary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function summarise(values: number[] | Float64Array): Summary {
  const sorted = Float64Array.from(values).sort();
  const total = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    mean: sorted.length === 0 ? Number.NaN : total / sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1],
  };
}

const f3 = (n: number): string => n.toFixed(3);

function summaryRow(label: string, s: Summary): string[] {
  return [label, String(s.count), f3(s.mean), f3(s.p50), f3(s.p95), f3(s.p99), f3(s.max)];
}

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

async function main(): Promise<number> {
  const parses = positiveInt('BENCH_PARSES', 20_000);
  const warmups = positiveInt('BENCH_WARMUP_PARSES', 2_000);

  console.log('bench:nlu');
  console.log(`  command: ${commandLine()}`);
  console.log(`  ${machineLine()}`);
  console.log(`  ${loadLine()}`);

  const questions = benchQuestions();
  const bySource = new Map<Source, number>();
  for (const q of questions) bySource.set(q.source, (bySource.get(q.source) ?? 0) + 1);
  const longest = Math.max(...questions.map((q) => q.text.length));
  console.log(
    `  ${questions.length} questions: ` +
      [...bySource].map(([source, n]) => `${n} ${source}`).join(', ') +
      `; longest ${longest} characters`,
  );
  console.log(
    `  first call timed alone (cold), then ${warmups.toLocaleString('en')} warm-up parses, then ` +
      `${parses.toLocaleString('en')} timed parses cycling through the set`,
  );

  // First, while this build's dist/ is certainly in place: a fresh process for the memory.
  const memory = await measureVocabularyInChild();

  // Loaded here, not at the top, so that the memory child loads none of it before measuring.
  const started = performance.now();
  const { SymptomVocabulary: Vocabulary } =
    await import('../modules/symptoms/domain/symptom-vocabulary.js');
  const { parseQuestion } = await import('../modules/nlu/domain/question-parser.js');
  const parse: ParseFn = parseQuestion;
  const vocabulary = Vocabulary.standard();
  const loadMs = performance.now() - started;

  const first = questions[0];
  const coldStart = process.hrtime.bigint();
  parse(first.text, first.options, vocabulary);
  const coldMs = toMs(process.hrtime.bigint() - coldStart);

  let sink = 0;
  for (let i = 0; i < warmups; i++) {
    const q = questions[i % questions.length];
    sink += parse(q.text, q.options, vocabulary).frame.symptoms.length;
  }

  const durations = new Float64Array(parses);
  const perQuestion = questions.map(() => ({ total: 0, count: 0, max: 0 }));
  for (let i = 0; i < parses; i++) {
    const index = i % questions.length;
    const q = questions[index];
    const t0 = process.hrtime.bigint();
    const parsed = parse(q.text, q.options, vocabulary);
    const ms = toMs(process.hrtime.bigint() - t0);
    sink += parsed.frame.symptoms.length;
    durations[i] = ms;
    const stats = perQuestion[index];
    stats.total += ms;
    stats.count++;
    if (ms > stats.max) stats.max = ms;
  }
  if (sink < 0) console.log(sink); // keeps the results observable

  const all = summarise(durations);
  const sources: Source[] = ['dev question', 'dev dialogue turn', 'own', 'own (long)'];
  console.log(
    `\nload vocabulary and parser modules + build SymptomVocabulary.standard(): ` +
      `${loadMs.toFixed(1)} ms`,
  );
  console.log(`first parse (cold): ${f3(coldMs)} ms  ("${first.text}")`);
  console.log('\nParse latency (ms), warm:\n');
  console.log(
    table([
      ['questions', 'count', 'mean', 'p50', 'p95', 'p99', 'max'],
      summaryRow('all', all),
      ...sources.map((source) => {
        const values: number[] = [];
        durations.forEach((ms, i) => {
          if (questions[i % questions.length].source === source) values.push(ms);
        });
        return summaryRow(source, summarise(values));
      }),
    ]),
  );
  const slowest = perQuestion
    .map((s, index) => ({ index, mean: s.total / s.count, max: s.max }))
    .sort((a, b) => b.mean - a.mean)
    .slice(0, 5);
  console.log('\nSlowest questions by mean (ms):\n');
  console.log(
    table([
      ['question', 'chars', 'mean', 'max'],
      ...slowest.map((s) => {
        const text = questions[s.index].text;
        return [
          text.length > 70 ? `${text.slice(0, 67)}...` : text,
          String(text.length),
          f3(s.mean),
          f3(s.max),
        ];
      }),
    ]),
  );

  const heapBytes = memory.heapAfter - memory.heapBefore;
  const rssBytes = memory.rssAfter - memory.rssBefore;
  console.log(
    '\nVocabulary memory (fresh node --expose-gc process, heap used after full GC, before and ' +
      'after loading the vocabulary module and lexicon and building SymptomVocabulary.standard()):',
  );
  console.log(
    `  heap used ${(memory.heapBefore / MB).toFixed(1)} MB -> ${(memory.heapAfter / MB).toFixed(1)} MB: ` +
      `+${(heapBytes / MB).toFixed(2)} MB (${(heapBytes / MIB).toFixed(2)} MiB); ` +
      `RSS +${(rssBytes / MB).toFixed(1)} MB; built in ${memory.buildMs.toFixed(1)} ms`,
  );

  const parseOk = all.p99 < FLOOR_P99_MS;
  const memoryOk = heapBytes / MB < FLOOR_VOCABULARY_MB;
  console.log('\nFloors:');
  console.log(
    `  parse p99 < ${FLOOR_P99_MS} ms: ${parseOk ? 'PASS' : 'FAIL'} (p99 ${f3(all.p99)} ms)`,
  );
  console.log(
    `  vocabulary memory < ${FLOOR_VOCABULARY_MB} MB: ${memoryOk ? 'PASS' : 'FAIL'} ` +
      `(${(heapBytes / MB).toFixed(2)} MB)`,
  );
  return parseOk && memoryOk ? 0 : 1;
}

if (process.argv.includes('--vocabulary-memory')) {
  measureVocabularyHere().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  });
} else {
  main()
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      console.error(`bench:nlu failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    });
}
