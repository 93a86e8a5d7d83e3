import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Intent } from '../frame';
import {
  CONFIDENCE_THRESHOLD,
  classifyIntent,
  type IntentSignals,
  normaliseForIntent,
  withinOneEdit,
} from './intent-classifier';
import { INTENT_CUES } from './intent-rules';

/**
 * Signals in shorthand: 'S' the question names a symptom, one 'T' per period it names.
 * For the dev set they come from `expect` (symptoms non-empty, a range present, a comparison).
 */
type Signals = '' | 'S' | 'T' | 'ST' | 'TT' | 'STT';
const FOLLOW_UP = 'follow-up' as const;
type Expected = Intent | typeof FOLLOW_UP;
type Case = readonly [text: string, signals: Signals, expected: Expected];

const signalsOf = (s: Signals): IntentSignals => ({
  hasSymptom: s.includes('S'),
  hasTime: s.includes('T'),
  timeCount: s.replace(/S/g, '').length,
});

const EVAL_DIR = path.join(__dirname, '../../../../../../shared/eval');

/** Literal copy of shared/eval/nlu-dev.jsonl (questions with an intent), so a lone clone runs it. */
const NLU_DEV: readonly Case[] = [
  ['How many headaches did I have last week?', 'ST', 'count'],
  ['how often was I dizzy this month', 'ST', 'count'],
  ['Number of times I threw up in October', 'ST', 'count'],
  ['how many migraines in the past 2 weeks', 'ST', 'count'],
  ['count my coughing fits since monday', 'ST', 'count'],
  ["How many nights couldn't I sleep last month?", 'ST', 'count'],
  ['how many times did my stomach hurt yesterday', 'ST', 'count'],
  ['how many severe headaches this year', 'ST', 'count'],
  ['how many mild back pain days in september', 'ST', 'count'],
  ['When did I last have a fever?', 'S', 'last_occurrence'],
  ['last time i felt nauseous?', 'S', 'last_occurrence'],
  ['when was my most recent panic attack', 'S', 'last_occurrence'],
  ['when did my knee pain start', 'S', 'first_occurrence'],
  ['When did I first log heartburn this year?', 'ST', 'first_occurrence'],
  ['Show me what I logged yesterday', 'T', 'list'],
  ['list my rashes from august', 'ST', 'list'],
  ['show all entries for sore throat between october 10 and october 20', 'ST', 'list'],
  ['What did I record over the weekend?', 'T', 'list'],
  ['show my symptoms from last week except headaches', 'T', 'list'],
  ['How bad was my back pain last week?', 'ST', 'severity'],
  ['what was the average severity of my migraines in october', 'ST', 'severity'],
  ['worst my joints have hurt this month?', 'ST', 'severity'],
  ['Is my fatigue getting better?', 'S', 'trend'],
  ['how has my insomnia changed over the last 3 months', 'ST', 'trend'],
  ['are my tummy aches getting worse', 'S', 'trend'],
  ['Did I have more headaches in September or October?', 'STT', 'compare'],
  ['compare my anxiety this week with last week', 'STT', 'compare'],
  ['What usually comes with my dizziness?', 'S', 'co_occurrence'],
  ['do my headaches and nausea happen together', 'S', 'co_occurrence'],
  ['What was my most common symptom last month?', 'T', 'top_symptoms'],
  ['which symptoms bothered me the most this year', 'T', 'top_symptoms'],
  ['Give me a summary of last week', 'T', 'summary'],
  ['overview of my health in october please', 'T', 'summary'],
  ['What should I take for my cough?', 'S', 'advice'],
  ['do I have the flu?', '', 'advice'],
  ['hi there', '', 'greeting'],
  ['thanks a lot!', '', 'thanks'],
  ['what can I ask you?', '', 'help'],
  ["what's the weather going to be tomorrow", '', 'unknown'],
  ['how many times did I get the runs last month', 'ST', 'count'],
  ['how often did I have a blocked nose in october', 'ST', 'count'],
  ['how many hedaches did i have in october', 'ST', 'count'],
  ['when did I last feel light-headed', 'S', 'last_occurrence'],
  ['how many days was I wiped out last week', 'ST', 'count'],
  ['show my ringing ears entries', 'S', 'list'],
  ['how often did my heart race in the past month', 'ST', 'count'],
  ['how many period cramps in october', 'ST', 'count'],
  ['how bad was the pins and needles in my hands 3 days ago', 'ST', 'severity'],
  ['when did I last have trouble breathing', 'S', 'last_occurrence'],
];

/** Literal copy of shared/eval/dialogues-dev.jsonl: each turn with its own signals (not the
 * inherited ones) and the intent expected after the context is applied. */
const DIALOGUES_DEV: readonly (readonly Case[])[] = [
  [
    ['how many migraines did I have in october', 'ST', 'count'],
    ['and in september?', 'T', 'count'],
    ['how bad were they?', '', 'severity'],
    ['when was the most recent one?', '', 'last_occurrence'],
  ],
  [
    ['show my nausea entries from last week', 'ST', 'list'],
    ['what about vomiting?', 'S', 'list'],
    ['and the week before?', 'T', 'list'],
  ],
  [
    ['is my back pain getting worse', 'S', 'trend'],
    ['how many times this month', 'T', 'count'],
    ['ok thanks', '', 'thanks'],
  ],
  [
    ['hello', '', 'greeting'],
    ['what were my most common symptoms in october', 'T', 'top_symptoms'],
    ['and the month before?', 'T', 'top_symptoms'],
  ],
];

const INTENTS_TO_COVER: readonly Intent[] = [
  'count',
  'last_occurrence',
  'first_occurrence',
  'list',
  'severity',
  'trend',
  'compare',
  'co_occurrence',
  'top_symptoms',
  'summary',
  'advice',
  'greeting',
  'thanks',
  'help',
  'unknown',
];

/**
 * Our own questions, written differently from the dev set (paraphrases, lay wording, typos,
 * British and American spellings, short forms). FOLLOW_UP means: `followUp` is true (the intent
 * comes from the previous turn). Every other case also checks `followUp` is false.
 * This is the tuning set (written before the rules, but the rules were shaped with it in view):
 * first run 191/192, now 192/192. The held-out batches below are the honest measure.
 */
const OWN: readonly Case[] = [
  // count
  ['how frequently do I get heartburn', 'S', 'count'],
  ['hw many headaches this week', 'ST', 'count'],
  ['how many times have I been sick since the 1st', 'ST', 'count'],
  ["what's the number of days I felt dizzy in august", 'ST', 'count'],
  ['did I get a lot of nosebleeds last month?', 'ST', 'count'],
  ['how often have I had cramps lately', 'ST', 'count'],
  ['total migraines this year?', 'ST', 'count'],
  ['how many episodes of diarrhoea did I log in the last fortnight', 'ST', 'count'],
  ["times I've had a sore throat this winter", 'ST', 'count'],
  ['count of coughing days in november', 'ST', 'count'],
  ['how many days did my back hurt last week', 'ST', 'count'],
  ['tally up my anxiety attacks for october', 'ST', 'count'],
  ['how regularly did I get nauseous in september', 'ST', 'count'],
  ['Was I often tired last month?', 'ST', 'count'],
  ['how much did I cough this week', 'ST', 'count'],
  ['any headaches yesterday?', 'ST', 'count'],
  ['headaches last week?', 'ST', 'count'],
  ['how many bad migraines did I have in the last 30 days', 'ST', 'count'],
  ['how manny times did i throw up this month', 'ST', 'count'],
  ['frequency of my dizzy spells since january', 'ST', 'count'],
  ['how many times in total have I logged fatigue', 'S', 'count'],
  // last_occurrence
  ['when did I most recently have a migraine', 'S', 'last_occurrence'],
  ['when was the last time my ankle swelled up', 'S', 'last_occurrence'],
  ['wen did i last throw up', 'S', 'last_occurrence'],
  ['latest entry for heartburn?', 'S', 'last_occurrence'],
  ['my last asthma attack was when?', 'S', 'last_occurrence'],
  ['how long since my last nosebleed', 'S', 'last_occurrence'],
  ['when did I last log anything', '', 'last_occurrence'],
  ['most recent headache', 'S', 'last_occurrence'],
  ['when was I last dizzy', 'S', 'last_occurrence'],
  ['last time I had a rash', 'S', 'last_occurrence'],
  ['how long ago was my last panic attack', 'S', 'last_occurrence'],
  ['when did my heartburn last flare up', 'S', 'last_occurrence'],
  ['date of my latest fever', 'S', 'last_occurrence'],
  // first_occurrence
  ['when did the dizziness begin', 'S', 'first_occurrence'],
  ['when did I start getting migraines', 'S', 'first_occurrence'],
  ['how long have I had this cough', 'S', 'first_occurrence'],
  ['first time I logged a rash', 'S', 'first_occurrence'],
  ['what was my earliest entry for back pain', 'S', 'first_occurrence'],
  ['since when have I been getting heartburn', 'S', 'first_occurrence'],
  ['when did this nausea first show up', 'S', 'first_occurrence'],
  ['when did the headaches kick off this year', 'ST', 'first_occurrence'],
  ['how long has my knee been hurting', 'S', 'first_occurrence'],
  ['when did i first notice the tinnitus', 'S', 'first_occurrence'],
  ['my first migraine in october, when was it?', 'ST', 'first_occurrence'],
  // list
  ['show me my headaches from last week', 'ST', 'list'],
  ['list everything I logged in september', 'T', 'list'],
  ['what did I note down yesterday', 'T', 'list'],
  ['display my entries for the past 3 days', 'T', 'list'],
  ['give me all my nausea entries', 'S', 'list'],
  ['what symptoms did I have on monday', 'T', 'list'],
  ['can you pull up my fatigue logs from october', 'ST', 'list'],
  ['what did I write in my diary last weekend', 'T', 'list'],
  ['let me see my migraine entries', 'S', 'list'],
  ['which days did I have a headache last month', 'ST', 'list'],
  ['what happened on the 3rd', 'T', 'list'],
  ['entries from yesterday', 'T', 'list'],
  ['show all my symptoms', '', 'list'],
  ['what symptoms have I recorded this week', 'T', 'list'],
  ['bring up my cough entries from august', 'ST', 'list'],
  // severity
  ['how severe were my migraines last month', 'ST', 'severity'],
  ['how bad has the back pain been', 'S', 'severity'],
  ['what was the worst headache I had in october', 'ST', 'severity'],
  ['how intense was my nausea yesterday', 'ST', 'severity'],
  ['average pain level for my knee this month', 'ST', 'severity'],
  ['how much did my stomach hurt last week', 'ST', 'severity'],
  ['on a scale of 0-10 how bad was my fatigue', 'S', 'severity'],
  ['how painful were my cramps in september', 'ST', 'severity'],
  ['what severity did I give my headaches yesterday', 'ST', 'severity'],
  ['were my migraines mild or severe last week', 'ST', 'severity'],
  ['how strong was the dizziness on monday', 'ST', 'severity'],
  ['peak severity of my rash this week', 'ST', 'severity'],
  // trend
  ['is my cough improving', 'S', 'trend'],
  ['are my headaches getting less frequent', 'S', 'trend'],
  ['has my anxiety got worse over the past few months', 'ST', 'trend'],
  ['is the nausea easing off', 'S', 'trend'],
  ["how's my sleep been trending", 'S', 'trend'],
  ['is my back pain going down', 'S', 'trend'],
  ['are my migraines on the rise', 'S', 'trend'],
  ['any improvement in my fatigue since september', 'ST', 'trend'],
  ['how have my headaches developed over time', 'S', 'trend'],
  ['is my dizziness worsening', 'S', 'trend'],
  ['is it getting better', '', 'trend'],
  ['are my symptoms getting better or worse', '', 'trend'],
  // compare
  ['headaches: october vs september', 'STT', 'compare'],
  ['was I more tired this week than last week', 'STT', 'compare'],
  ['compare my nausea in august and september', 'STT', 'compare'],
  ['did I cough less this month compared to last month', 'STT', 'compare'],
  ['more migraines this year or last year?', 'STT', 'compare'],
  ['how does this week compare to last week for back pain', 'STT', 'compare'],
  ['difference between my anxiety in july and august', 'STT', 'compare'],
  ['fewer headaches in november than october?', 'STT', 'compare'],
  ['this month versus last month', 'TT', 'compare'],
  ['was my fatigue worse in january or february', 'STT', 'compare'],
  // co_occurrence
  ['what symptoms come along with my migraines', 'S', 'co_occurrence'],
  ['do I get nausea when I have a headache', 'S', 'co_occurrence'],
  ['is my dizziness linked to my headaches', 'S', 'co_occurrence'],
  ["what else do I usually have when I'm anxious", 'S', 'co_occurrence'],
  ['does fatigue tend to accompany my back pain', 'S', 'co_occurrence'],
  ['which symptoms appear together with heartburn', 'S', 'co_occurrence'],
  ['are my nausea and vomiting connected', 'S', 'co_occurrence'],
  ['what goes with my insomnia', 'S', 'co_occurrence'],
  ['do cramps and back pain show up at the same time', 'S', 'co_occurrence'],
  ['what other symptoms happen alongside my fever', 'S', 'co_occurrence'],
  // top_symptoms
  ['what were my top symptoms last month', 'T', 'top_symptoms'],
  ['which symptom did I log the most this year', 'T', 'top_symptoms'],
  ["what's been bothering me most lately", 'T', 'top_symptoms'],
  ['my most frequent complaints in october', 'T', 'top_symptoms'],
  ['what do I suffer from most often', '', 'top_symptoms'],
  ['main symptoms this week?', 'T', 'top_symptoms'],
  ['what was my biggest problem last month', 'T', 'top_symptoms'],
  ['top 3 symptoms since january', 'T', 'top_symptoms'],
  ['which symptoms came up most in september', 'T', 'top_symptoms'],
  ["what's my commonest symptom", '', 'top_symptoms'],
  // summary
  ['give me an overview of this month', 'T', 'summary'],
  ['summarise last week for me', 'T', 'summary'],
  ['recap of october please', 'T', 'summary'],
  ['how was my health last month', 'T', 'summary'],
  ['can I get a health report for september', 'T', 'summary'],
  ['how have I been doing this week', 'T', 'summary'],
  ['quick rundown of the past 7 days', 'T', 'summary'],
  ['sum up my week', '', 'summary'],
  ['summary please', '', 'summary'],
  ['how did october go health-wise', 'T', 'summary'],
  ['overveiw of my symptoms this year', 'T', 'summary'],
  // advice
  ['what can I take for a migraine', 'S', 'advice'],
  ['should I go to the doctor about my chest pain', 'S', 'advice'],
  ['is it normal to have headaches every day', 'S', 'advice'],
  ["what's causing my dizziness", 'S', 'advice'],
  ['how do I get rid of heartburn', 'S', 'advice'],
  ['could this be covid', '', 'advice'],
  ['is ibuprofen ok for back pain', 'S', 'advice'],
  ['what dose of paracetamol should I take', '', 'advice'],
  ['am I depressed', 'S', 'advice'],
  ["what's wrong with me", '', 'advice'],
  ['should I be worried about my palpitations', 'S', 'advice'],
  ['how can I stop feeling nauseous', 'S', 'advice'],
  ['what helps with insomnia', 'S', 'advice'],
  ['do I need antibiotics', '', 'advice'],
  ['is my rash contagious', 'S', 'advice'],
  // greeting
  ['hey', '', 'greeting'],
  ['good evening!', '', 'greeting'],
  ['hiya', '', 'greeting'],
  ['hello there, how are you?', '', 'greeting'],
  ['morning', '', 'greeting'],
  ['yo', '', 'greeting'],
  // thanks
  ['thank you so much', '', 'thanks'],
  ['cheers!', '', 'thanks'],
  ['thx', '', 'thanks'],
  ['great, thanks', '', 'thanks'],
  ['ok cool, got it', '', 'thanks'],
  ['much appreciated', '', 'thanks'],
  ['ta', '', 'thanks'],
  // help
  ['what can you do?', '', 'help'],
  ['how does this work', '', 'help'],
  ['help', '', 'help'],
  ['give me some examples', '', 'help'],
  ['what sort of questions can I ask', '', 'help'],
  ['what are you able to answer', '', 'help'],
  ['how do I use this', '', 'help'],
  // unknown
  ['tell me a joke', '', 'unknown'],
  ['who won the football last night', 'T', 'unknown'],
  ["what's the capital of australia", '', 'unknown'],
  ['will it rain tomorrow', 'T', 'unknown'],
  ["what's the weather going to be tomorrow", 'T', 'unknown'],
  ['book me a table for two', '', 'unknown'],
  ['how many people live in london', '', 'unknown'],
  ['what time is it', '', 'unknown'],
  ['play some music', '', 'unknown'],
  ["what's 12 times 7", '', 'unknown'],
  // mixed messages: the diary question outweighs the small talk
  ['hi! how often did I have migraines last month', 'ST', 'count'],
  ['thanks, and when did I last feel dizzy?', 'S', 'last_occurrence'],
  ["cool. now show me yesterday's entries", 'T', 'list'],
  ['thanks! and how many headaches last week?', 'ST', 'count'],
  // follow-ups: no intent cue of their own
  ['and last month?', 'T', FOLLOW_UP],
  ['what about headaches?', 'S', FOLLOW_UP],
  ['how about in august', 'T', FOLLOW_UP],
  ['same for dizziness', 'S', FOLLOW_UP],
  ['and for nausea', 'S', FOLLOW_UP],
  ['and the month before that?', 'T', FOLLOW_UP],
  ['what about the previous week', 'T', FOLLOW_UP],
  ['ok and vomiting?', 'S', FOLLOW_UP],
  ['nausea too?', 'S', FOLLOW_UP],
  ['and my back pain?', 'S', FOLLOW_UP],
  ['how about fatigue last week', 'ST', FOLLOW_UP],
  ['and before that?', '', FOLLOW_UP],
  ['in september?', 'T', FOLLOW_UP],
  // not follow-ups: they have an intent of their own
  ['and how bad was it?', '', 'severity'],
  ['what about the worst one?', '', 'severity'],
  ['and how many times?', '', 'count'],
  ['nausea?', 'S', 'count'],
  ['and when did it start?', '', 'first_occurrence'],
];

interface DevLine {
  readonly text: string;
  readonly expect: {
    readonly intent?: Intent;
    readonly symptoms?: readonly string[];
    readonly fromDate?: unknown;
    readonly toDate?: unknown;
    readonly comparison?: unknown;
  };
}
interface DialogueLine {
  readonly turns: readonly { readonly text: string; readonly expect: DevLine['expect'] }[];
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(path.join(EVAL_DIR, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

function devCasesFromFile(): Case[] {
  return readJsonl<DevLine>('nlu-dev.jsonl').flatMap((line): Case[] => {
    const { intent, symptoms, fromDate, comparison } = line.expect;
    if (intent === undefined) return [];
    const periods = comparison !== undefined ? 'TT' : fromDate !== undefined ? 'T' : '';
    const signals = `${symptoms && symptoms.length > 0 ? 'S' : ''}${periods}` as Signals;
    return [[line.text, signals, intent]];
  });
}

/** A turn's own signals: what it names that the previous turn's frame did not already hold. */
function dialoguesFromFile(): Case[][] {
  return readJsonl<DialogueLine>('dialogues-dev.jsonl').map((dialogue) =>
    dialogue.turns.map((turn, i): Case => {
      const previous = i > 0 ? dialogue.turns[i - 1].expect : null;
      const symptoms = turn.expect.symptoms ?? [];
      const newSymptom =
        symptoms.length > 0 &&
        JSON.stringify(symptoms) !== JSON.stringify(previous?.symptoms ?? []);
      const range =
        turn.expect.fromDate === undefined
          ? null
          : JSON.stringify([turn.expect.fromDate, turn.expect.toDate]);
      const previousRange =
        previous?.fromDate === undefined
          ? null
          : JSON.stringify([previous.fromDate, previous.toDate]);
      const newTime = range !== null && range !== previousRange;
      const signals = `${newSymptom ? 'S' : ''}${newTime ? 'T' : ''}` as Signals;
      return [turn.text, signals, turn.expect.intent ?? 'unknown'];
    }),
  );
}

/** Runs a dialogue as the assembler does: a follow-up keeps the previous turn's intent. */
function effectiveIntents(turns: readonly Case[]): Intent[] {
  let previous: Intent | null = null;
  return turns.map(([text, signals]) => {
    const result = classifyIntent(text, signalsOf(signals));
    const intent = result.followUp && previous !== null ? previous : result.intent;
    previous = intent;
    return intent;
  });
}

function expectCase([text, signals, expected]: Case): void {
  const result = classifyIntent(text, signalsOf(signals));
  if (expected === FOLLOW_UP) {
    expect({ text, followUp: result.followUp }).toEqual({ text, followUp: true });
  } else {
    expect({ text, intent: result.intent, followUp: result.followUp }).toEqual({
      text,
      intent: expected,
      followUp: false,
    });
  }
}

// Required in CI (shared/ sits beside the clone there); only a lone clone may lack them.
const HAVE_EVAL_FILES =
  (existsSync(path.join(EVAL_DIR, 'nlu-dev.jsonl')) &&
    existsSync(path.join(EVAL_DIR, 'dialogues-dev.jsonl'))) ||
  process.env.CI === 'true';

describe('classifyIntent on the dev set (100% required)', () => {
  it.each(NLU_DEV)('%s [%s] -> %s', (text, signals, expected) => {
    const result = classifyIntent(text, signalsOf(signals));
    expect(result.intent).toBe(expected);
    expect(result.followUp).toBe(false);
    expect(result.confidence).toBeGreaterThanOrEqual(CONFIDENCE_THRESHOLD);
  });

  it.each(DIALOGUES_DEV.map((turns) => [turns.map(([t]) => t).join(' / '), turns] as const))(
    'dialogue: %s',
    (_name, turns) => {
      expect(effectiveIntents(turns)).toEqual(turns.map(([, , intent]) => intent));
    },
  );

  (HAVE_EVAL_FILES ? describe : describe.skip)('read from ../shared/eval', () => {
    it('nlu-dev.jsonl: every question with an intent', () => {
      const cases = devCasesFromFile();
      expect(cases.length).toBeGreaterThanOrEqual(NLU_DEV.length);
      const wrong = cases
        .map(([text, signals, expected]) => ({
          text,
          expected,
          got: classifyIntent(text, signalsOf(signals)).intent,
        }))
        .filter((r) => r.got !== r.expected);
      expect(wrong).toEqual([]);
    });

    it('dialogues-dev.jsonl: every turn, follow-ups inheriting the previous intent', () => {
      for (const turns of dialoguesFromFile()) {
        expect(effectiveIntents(turns)).toEqual(turns.map(([, , intent]) => intent));
      }
    });

    it('the inline copies match the files', () => {
      expect(devCasesFromFile()).toEqual(NLU_DEV);
      expect(dialoguesFromFile()).toEqual(DIALOGUES_DEV);
    });
  });
});

describe('classifyIntent on our own questions', () => {
  it.each(OWN)('%s [%s] -> %s', (text, signals, expected) => {
    expectCase([text, signals, expected]);
  });

  it('covers every intent', () => {
    const covered = new Set(OWN.map(([, , expected]) => expected));
    for (const intent of INTENTS_TO_COVER) expect(covered).toContain(intent);
  });
});

/**
 * Held out, in two batches, each written after the rules were tuned on the dev set and OWN and
 * first run without looking at the rules. First-run accuracy: batch 1 60/65 (92%), batch 2 47/50
 * (94%). Their misses were then fixed with general cues (not by special-casing the text):
 * "what was the last day I had ...", "what date did ... start", "can I see ...", "get better",
 * "recommend a good film" (an off-topic noun beats a generic advice word), "how recently",
 * "do I have an ear infection", "what am I able to ask you".
 */
const HELD_OUT: readonly Case[] = [
  ['how many times did I feel faint in the last month', 'ST', 'count'],
  ['how often do my joints ache', 'S', 'count'],
  ['no. of migraine days in july', 'ST', 'count'],
  ['did i have many headaches in march', 'ST', 'count'],
  ['in total, how many days was I sick in november?', 'ST', 'count'],
  ['how frequent were my nosebleeds this year', 'ST', 'count'],
  ['what was the last day I had a migraine', 'S', 'last_occurrence'],
  ['when did I last get a cold sore', 'S', 'last_occurrence'],
  ['remind me when I last had a sore throat', 'S', 'last_occurrence'],
  ['whens the last time I felt anxious', 'S', 'last_occurrence'],
  ['when did my cough first appear', 'S', 'first_occurrence'],
  ['when did the back ache begin this year', 'ST', 'first_occurrence'],
  ['how long have I been having hot flushes', 'S', 'first_occurrence'],
  ['what date did the rash start', 'S', 'first_occurrence'],
  ['show everything from the last 2 weeks', 'T', 'list'],
  ['what have I logged so far today', 'T', 'list'],
  ['can I see my headache log for june', 'ST', 'list'],
  ['list all my symptoms for yesterday', 'T', 'list'],
  ['what did I put down for tuesday', 'T', 'list'],
  ['how bad did my migraines get in july', 'ST', 'severity'],
  ['what was my average headache severity last month', 'ST', 'severity'],
  ['how serious was my chest pain yesterday', 'ST', 'severity'],
  ['what was the highest pain score for my back this week', 'ST', 'severity'],
  ['how rough was my nausea over the weekend', 'ST', 'severity'],
  ['is my insomnia any better', 'S', 'trend'],
  ['are my migraines becoming more frequent', 'S', 'trend'],
  ['has my heartburn improved since I changed diet', 'S', 'trend'],
  ['is the trend for my anxiety up or down', 'S', 'trend'],
  ['did my fatigue get better over the summer', 'ST', 'trend'],
  ['did I feel sicker in october than in september', 'STT', 'compare'],
  ['back pain this month vs last month', 'STT', 'compare'],
  ['how do my headaches in june compare with july', 'STT', 'compare'],
  ['more or fewer migraines this week than last?', 'STT', 'compare'],
  ['what tends to happen with my migraines', 'S', 'co_occurrence'],
  ['when my stomach hurts do I also feel sick', 'S', 'co_occurrence'],
  ['any symptoms that show up with my headaches?', 'S', 'co_occurrence'],
  ['is there a connection between my anxiety and my palpitations', 'S', 'co_occurrence'],
  ['what did I have the most of in august', 'T', 'top_symptoms'],
  ['most common symptoms?', '', 'top_symptoms'],
  ['which complaints came up most often this year', 'T', 'top_symptoms'],
  ['what has been my most frequent issue recently', 'T', 'top_symptoms'],
  ['summarize my symptoms for the past month', 'T', 'summary'],
  ['how was last week for me', 'T', 'summary'],
  ['can you give me a quick recap of yesterday', 'T', 'summary'],
  ['an overview please', '', 'summary'],
  ['what medicine is best for a sore throat', 'S', 'advice'],
  ['do you think I should see a GP about my dizziness', 'S', 'advice'],
  ['why do I keep getting headaches', 'S', 'advice'],
  ['is it dangerous to have palpitations', 'S', 'advice'],
  ['can I take aspirin with my migraine', 'S', 'advice'],
  ['good afternoon', '', 'greeting'],
  ['hey there!', '', 'greeting'],
  ['perfect, thank you', '', 'thanks'],
  ['that was helpful, thanks', '', 'thanks'],
  ['what kind of things can you tell me', '', 'help'],
  ['I need help', '', 'help'],
  ['what questions do you understand', '', 'help'],
  ["who's going to win the election", '', 'unknown'],
  ['recommend a good film', '', 'unknown'],
  ['how old is the universe', '', 'unknown'],
  ['what about my tummy aches?', 'S', FOLLOW_UP],
  ['and the week after?', '', FOLLOW_UP],
  ['same question for september', 'T', FOLLOW_UP],
  ['how about the last 3 months', 'T', FOLLOW_UP],
  ['and how often was that?', '', 'count'],
  // second batch
  ['how many times was I short of breath in september', 'ST', 'count'],
  ['count the days I had a runny nose this month', 'ST', 'count'],
  ['how often did I wake up with a headache last week', 'ST', 'count'],
  ['how many itchy days did I log since the start of october', 'ST', 'count'],
  ['what number of migraines did I get in the last six weeks', 'ST', 'count'],
  ['when did I last have the shakes', 'S', 'last_occurrence'],
  ['how recently did I have chest pain', 'S', 'last_occurrence'],
  ['when was my latest bout of diarrhoea', 'S', 'last_occurrence'],
  ['when did my neck pain first start', 'S', 'first_occurrence'],
  ['earliest record of dizziness this year?', 'ST', 'first_occurrence'],
  ['when did I begin logging my bloating', 'S', 'first_occurrence'],
  ['show my blurry vision entries from last month', 'ST', 'list'],
  ['what did I enter on sunday', 'T', 'list'],
  ['list my symptoms for the past 5 days', 'T', 'list'],
  ['all my fever entries please', 'S', 'list'],
  ['how severe was my heartburn on monday', 'ST', 'severity'],
  ['how bad did my period pain get last month', 'ST', 'severity'],
  ['what was the worst my tinnitus got in october', 'ST', 'severity'],
  ['my average pain score for headaches this year', 'ST', 'severity'],
  ['is my breathing getting any easier', 'S', 'trend'],
  ['are the night sweats becoming less frequent', 'S', 'trend'],
  ['has my low mood changed since july', 'ST', 'trend'],
  ['is my appetite improving', 'S', 'trend'],
  ['did I get more headaches in october than in september', 'STT', 'compare'],
  ['compare last month to this month for my back pain', 'STT', 'compare'],
  ['was my cough worse last week or this week', 'STT', 'compare'],
  ['what symptoms usually go along with my migraines', 'S', 'co_occurrence'],
  ['do I tend to get dizzy and nauseous at the same time', 'S', 'co_occurrence'],
  ['what else shows up when I have a fever', 'S', 'co_occurrence'],
  ['what symptom did I have most often in october', 'T', 'top_symptoms'],
  ['what troubled me the most last month', 'T', 'top_symptoms'],
  ['which symptoms have I logged most frequently', '', 'top_symptoms'],
  ['can you summarise my october', 'T', 'summary'],
  ['give me the highlights of last week', 'T', 'summary'],
  ['overview of the past 30 days', 'T', 'summary'],
  ['what should I do about my back pain', 'S', 'advice'],
  ['is it ok to take ibuprofen every day', '', 'advice'],
  ['do I have an ear infection', 'S', 'advice'],
  ['howdy', '', 'greeting'],
  ['hi, good morning', '', 'greeting'],
  ['thanks, that helps', '', 'thanks'],
  ['brilliant, cheers', '', 'thanks'],
  ['what am I able to ask you', '', 'help'],
  ['can you help me?', '', 'help'],
  ['what is the score in the arsenal game', '', 'unknown'],
  ['write me a poem', '', 'unknown'],
  ['what about in august?', 'T', FOLLOW_UP],
  ['and for my headaches?', 'S', FOLLOW_UP],
  ['how about the previous month', 'T', FOLLOW_UP],
  ['and how severe were they?', '', 'severity'],
];

describe('classifyIntent on held-out questions (batches 1 and 2)', () => {
  it.each(HELD_OUT)('%s [%s] -> %s', (text, signals, expected) => {
    expectCase([text, signals, expected]);
  });
});

/**
 * Final held-out batch: written last and never tuned on. A miss stays here as `it.failing` (the
 * test passes while the classifier still gets it wrong), so the file states the measured
 * accuracy honestly.
 */
const FINAL_HELD_OUT: readonly Case[] = [
  ['how many times did I have the sniffles last week', 'ST', 'count'],
  ['how many bouts of heartburn since monday', 'ST', 'count'],
  ['was I dizzy much in october?', 'ST', 'count'],
  ['how many nights did I sweat through in september', 'ST', 'count'],
  ['when did I last take a sick day for my back', 'S', 'last_occurrence'],
  ['remind me of the last time I had a nosebleed', '', 'last_occurrence'],
  ['when was the last entry for my sore throat', 'S', 'last_occurrence'],
  ['when did my shoulder pain start bothering me', 'S', 'first_occurrence'],
  ['how long have my ears been ringing', 'S', 'first_occurrence'],
  ['show me what I wrote about my stomach last week', 'ST', 'list'],
  ['what did I track on the 12th', 'T', 'list'],
  ['give me a list of my headaches in october', 'ST', 'list'],
  ['how bad were my cramps on average last month', 'ST', 'severity'],
  ['what was the peak of my back pain this month', 'ST', 'severity'],
  ['how awful was the nausea yesterday', 'ST', 'severity'],
  ['is my tiredness easing up', 'S', 'trend'],
  ['over the last few months have my headaches got worse', 'ST', 'trend'],
  ['how is my insomnia trending', 'S', 'trend'],
  ['did I have more dizzy spells in august compared to july', 'STT', 'compare'],
  ['this week vs last week: nausea', 'STT', 'compare'],
  ['does my heartburn come together with bloating', 'S', 'co_occurrence'],
  ['what do my headaches usually come with', 'S', 'co_occurrence'],
  ['which symptom have I had the most since january', 'T', 'top_symptoms'],
  ['what are my most common complaints', '', 'top_symptoms'],
  ['summarise my health for october', 'T', 'summary'],
  ['how was my september health-wise', 'T', 'summary'],
  ['what painkiller should I use for cramps', 'S', 'advice'],
  ['should I be concerned about these headaches', 'S', 'advice'],
  ['hi hi', '', 'greeting'],
  ['thanks for the info', '', 'thanks'],
  ['what can this bot do', '', 'help'],
  ['whats the best restaurant near me', '', 'unknown'],
  ['and what about nausea?', 'S', FOLLOW_UP],
  ['and two weeks ago?', 'T', FOLLOW_UP],
  ['and how about the month before', '', FOLLOW_UP],
];

/** FINAL_HELD_OUT questions the rules get wrong. */
const FINAL_MISSES: ReadonlySet<string> = new Set<string>([
  // "how was my <month>" reads as a severity question (generic "how was my ...") that ties
  // with the generic "health-wise" summary hint; the tie goes to severity, confidence 0.4.
  'how was my september health-wise',
  // "what can this bot do": the help cues know "what can you do", not "this bot": unknown.
  'what can this bot do',
]);

describe('classifyIntent on the final held-out batch', () => {
  const hits = FINAL_HELD_OUT.filter(([text]) => !FINAL_MISSES.has(text));
  const misses = FINAL_HELD_OUT.filter(([text]) => FINAL_MISSES.has(text));
  it.each(hits)('%s [%s] -> %s', (text, signals, expected) => {
    expectCase([text, signals, expected]);
  });
  if (misses.length > 0) {
    it.failing.each(misses)('known miss: %s [%s] -> %s', (text, signals, expected) => {
      expectCase([text, signals, expected]);
    });
  }
});

describe('mechanisms', () => {
  const classify = (text: string, signals: Signals) => classifyIntent(text, signalsOf(signals));

  it('small talk yields to a diary question or a named symptom', () => {
    expect(classify('thanks! and how many headaches last week?', 'ST').intent).toBe('count');
    expect(classify('hi, headaches yesterday?', 'ST').intent).toBe('count');
    expect(classify('hello! what can you help me with', '').intent).toBe('help');
  });

  it('small talk after a follow-up lead is not a follow-up', () => {
    expect(classify('and thanks!', '')).toMatchObject({ intent: 'thanks', followUp: false });
  });

  it('generic cues give way to specific ones', () => {
    // "entries" (generic list) vs "latest" (last_occurrence)
    expect(classify('latest entry for heartburn', 'S').intent).toBe('last_occurrence');
    // "when did I have" reads as last_occurrence without a time, list with one
    expect(classify('when did I have a migraine', 'S').intent).toBe('last_occurrence');
    expect(classify('when did I have migraines in october', 'ST').intent).toBe('list');
  });

  it('overrides rule out competing readings', () => {
    expect(classify('what did I log the most last month', 'T').scores).toEqual({
      top_symptoms: expect.any(Number) as number,
    });
  });

  it('two periods make a comparison', () => {
    expect(classify('headaches in september and october', 'STT').intent).toBe('compare');
    expect(classify('headaches in september and october', 'ST').intent).toBe('count');
  });

  it('reads unit abbreviations after "last" as a period, not an occurrence', () => {
    expect(classify('what did i log last wk', 'T').intent).toBe('list');
    expect(classify('summary of last mo pls', 'T').intent).toBe('summary');
    expect(classify('headaches last yr', 'ST').intent).toBe('count');
  });

  it('advice: a named condition as the possible cause, or what to put on it', () => {
    expect(classify('might my fatigue be anaemia', 'S').intent).toBe('advice');
    expect(classify('could the headaches be high blood pressure', 'S').intent).toBe('advice');
    expect(classify('is this the flu or hay fever', '').intent).toBe('advice');
    expect(classify('what can i rub on my sore knee', 'S').intent).toBe('advice');
  });

  it('"during the day / night" is a time of day, not a co-occurrence', () => {
    expect(classify('how often do i feel tired during the day', 'S').intent).toBe('count');
    expect(classify('what do i get during my migraines', 'S').intent).toBe('co_occurrence');
  });

  it('"the first day/night I ..." asks for the first occurrence', () => {
    expect(classify('first night i had a fever in june', 'ST').intent).toBe('first_occurrence');
    expect(classify('the earliest date my knees hurt', 'S').intent).toBe('first_occurrence');
  });

  it('a question with nothing of the diary in it is unknown', () => {
    expect(classify('how many people live in london', '').intent).toBe('unknown');
    expect(classify('how many legs does a spider have', '').intent).toBe('unknown');
    expect(classify('how many were there', '').intent).toBe('count');
  });

  it('a bare time is elliptical, a full question with a time is not', () => {
    expect(classify('last week?', 'T')).toMatchObject({ intent: 'summary', followUp: true });
    expect(classify('what is on tv tonight', 'T')).toMatchObject({
      intent: 'unknown',
      followUp: false,
    });
    expect(classify('who is playing tonight', 'T')).toMatchObject({ followUp: false });
  });

  it('words pointing at the period in context make a follow-up', () => {
    expect(classify('the week before?', '').followUp).toBe(true);
    expect(classify('what about that week', '').followUp).toBe(true);
    expect(classify('how many in the week before', '')).toMatchObject({
      intent: 'count',
      followUp: false,
    });
  });

  it('a follow-up with nothing to follow still gets a default reading', () => {
    expect(classify('what about vomiting?', 'S')).toMatchObject({
      intent: 'count',
      followUp: true,
    });
    expect(classify('what about vomiting?', 'S').confidence).toBeLessThan(CONFIDENCE_THRESHOLD);
  });
});

describe('confidence', () => {
  const confidence = (text: string, signals: Signals) =>
    classifyIntent(text, signalsOf(signals)).confidence;

  it('is best / (best + runner-up + 1): one naming cue alone gives 0.75', () => {
    expect(confidence('how many headaches', 'S')).toBe(0.75);
  });

  it('is higher when cues agree', () => {
    expect(confidence('show me what I logged yesterday', 'T')).toBeGreaterThan(0.75);
  });

  it('answers a symptom and a time without a cue at the threshold, asks for a bare symptom', () => {
    expect(confidence('headaches last week?', 'ST')).toBe(0.6);
    expect(confidence('nausea?', 'S')).toBeLessThan(CONFIDENCE_THRESHOLD);
  });

  it('is low when two intents have cues of similar weight', () => {
    expect(confidence('how many pills did I take', '')).toBeLessThan(CONFIDENCE_THRESHOLD);
  });

  it('stays within 0..1 and scores are explained', () => {
    for (const [text, signals] of [...NLU_DEV, ...OWN]) {
      const result = classifyIntent(text, signalsOf(signals));
      expect(result.confidence).toBeGreaterThan(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
      expect(result.rule).not.toBe('');
      expect(result.scores[result.intent]).toBeDefined();
    }
  });

  it('gives unknown for an empty or meaningless message', () => {
    expect(classifyIntent('', signalsOf(''))).toMatchObject({ intent: 'unknown', followUp: false });
    expect(classifyIntent('?!', signalsOf('')).intent).toBe('unknown');
    expect(classifyIntent('asdf qwerty', signalsOf('')).intent).toBe('unknown');
  });
});

describe('explain output', () => {
  it('names the winning cues', () => {
    const result = classifyIntent('How many headaches did I have last week?', signalsOf('ST'));
    expect(result.rule).toBe('count:how-many');
    expect(result.scores).toEqual({ count: 3 });
  });

  it('marks follow-ups in the rule', () => {
    const result = classifyIntent('and in september?', signalsOf('T'));
    expect(result.followUp).toBe(true);
    expect(result.rule).toMatch(/^follow-up\+/);
  });

  it('shows the runner-up', () => {
    const result = classifyIntent('how many pills did I take', signalsOf(''));
    expect(result.scores).toEqual({ count: 3, advice: 3 });
    expect(result.confidence).toBe(0.43);
  });

  it('leaves out small talk that yielded', () => {
    const result = classifyIntent('help me count my headaches', signalsOf('S'));
    expect(result.intent).toBe('count');
    expect(Object.keys(result.scores)).toEqual(['count']);
  });
});

describe('rules', () => {
  it('have unique ids of the form <intent>:<name>', () => {
    const ids = INTENT_CUES.map((cue) => cue.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const cue of INTENT_CUES) expect(cue.id.startsWith(`${cue.intent}:`)).toBe(true);
  });

  it('use no global or sticky patterns (stateful across calls)', () => {
    for (const cue of INTENT_CUES) expect(cue.pattern.flags).not.toMatch(/[gy]/);
  });
});

describe('normaliseForIntent', () => {
  it('lowercases, drops apostrophes and punctuation, folds typos', () => {
    expect(normaliseForIntent("Hw MANY head-aches didn't I log?!")).toBe(
      'how many head aches didnt i log',
    );
    expect(normaliseForIntent('wen was my lst migraine')).toBe('when was my last migraine');
    expect(normaliseForIntent("what's the sumarry")).toBe('what is the summary');
  });

  it('leaves inflections and guarded words alone', () => {
    expect(normaliseForIntent('symptom decently')).toBe('symptom decently');
  });

  it('withinOneEdit: substitution, insertion, deletion, swap', () => {
    expect(withinOneEdit('summary', 'summery')).toBe(true);
    expect(withinOneEdit('summary', 'sumary')).toBe(true);
    expect(withinOneEdit('summary', 'summaryy')).toBe(true);
    expect(withinOneEdit('summary', 'sumamry')).toBe(true);
    expect(withinOneEdit('summary', 'smumray')).toBe(false);
    expect(withinOneEdit('summary', 'sum')).toBe(false);
  });
});

describe('performance', () => {});
