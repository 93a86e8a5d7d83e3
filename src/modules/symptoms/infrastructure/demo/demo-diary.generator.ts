/**
 * Deterministic generator of the DEMO symptom diary that an embedded database is filled with, so
 * that a newcomer has something realistic to ask questions about.
 *
 * Pure TypeScript: no framework, no database, no clock. Everything is local wall-clock time, so all
 * calendar arithmetic runs on UTC-based day numbers (Date.UTC) and never on a local-zone Date.
 *
 * The diary is driven by two small tables:
 * - HABITS: one symptom of one person, with how often it happens (a daily chance, a number of days
 *   per calendar month, or a cycle), when in the day it is logged, how bad it is and what tends to
 *   come with it (companions, e.g. nausea after a migraine);
 * - EPISODES: illnesses lasting several days with several symptoms (winter colds, stomach bugs).
 * Each habit draws from its own seeded random stream, so tuning one habit leaves the others alone.
 */

export interface DemoDiaryRow {
  /** 'Anna' | 'Ben' | 'Mia'. */
  person: string;
  /** The symptom as the person typed it; one of DEMO_SPELLINGS[conceptId]. */
  sym: string;
  /** The catalog id the generator meant (for tests; not stored). */
  conceptId: string;
  /** 1..10, or null when not rated. */
  sev: number | null;
  /** Local wall-clock 'YYYY-MM-DD HH:mm:ss' in the diary's zone. */
  logged: string;
  /** Minutes, or null when unknown. */
  dur_mins: number | null;
  notes: string | null;
  deleted: 'Y' | 'N';
}

export interface DemoDiaryOptions {
  /** 'YYYY-MM-DD': the local date the diary ends on (inclusive; no entry after 21:59 that day). */
  today: string;
  /** 'HH:mm': optional local clock time of `today`; no entry is later than it. */
  nowTime?: string;
  /** How many months back from `today` the diary starts (default 15). */
  months?: number;
  /** PRNG seed, an integer used modulo 2^32 (default 20260101). */
  seed?: number;
}

export const DEMO_PEOPLE: readonly string[] = Object.freeze(['Anna', 'Ben', 'Mia']);

/**
 * Catalog id -> the ways the generator types that symptom. The first spelling is the canonical one
 * and is typed most often; later ones (variants, then misspellings) progressively less often.
 */
const SPELLINGS = {
  migraine: ['Migraine', 'migraine', 'migraine attack', 'migrane', 'Migrane'],
  nausea: ['Nausea', 'nausea', 'feeling sick', 'nauseous', 'Nauseous', 'nausia'],
  light_sensitivity: [
    'Light sensitivity',
    'light sensitivity',
    'light hurts eyes',
    'sensitive to light',
  ],
  vomiting: ['Vomiting', 'vomiting', 'threw up', 'vomited'],
  headache: ['Headache', 'headache', 'head ache', 'Head ache', 'Headach'],
  menstrual_cramps: ['Period pain', 'period pain', 'period cramps', 'Menstrual cramps'],
  anxiety: ['Anxiety', 'anxiety', 'anxious', 'feeling anxious', 'Anxious'],
  neck_pain: ['Neck pain', 'neck pain', 'stiff neck', 'sore neck', 'Stiff neck'],
  back_pain: ['Back pain', 'back pain', 'back ache', 'lower back pain', 'backache', 'bak pain'],
  sore_throat: ['Sore throat', 'sore throat', 'throat sore', 'scratchy throat', 'sore throught'],
  runny_nose: ['Runny nose', 'runny nose', 'streaming nose', 'runy nose'],
  nasal_congestion: ['Blocked nose', 'blocked nose', 'stuffy nose', 'congested nose'],
  cough: ['Cough', 'cough', 'coughing', 'Coughing', 'chesty cough'],
  sneezing: ['Sneezing', 'sneezing', 'sneezing fits', 'sneezes', 'sneezng'],
  fever: ['Fever', 'fever', 'temperature', 'high temperature', 'feverish'],
  heartburn: ['Heartburn', 'heartburn', 'acid reflux', 'heart burn', 'reflux'],
  joint_pain: ['Knee pain', 'knee pain', 'sore knee', 'joint pain', 'knee ache'],
  fatigue: ['Fatigue', 'fatigue', 'tired', 'exhausted', 'Tired', 'so tired', 'fatige'],
  insomnia: ['Insomnia', 'insomnia', 'couldnt sleep', "couldn't sleep", 'cant sleep', 'insomina'],
  brain_fog: ['Brain fog', 'brain fog', 'foggy head', 'cant concentrate', 'brainfog'],
  palpitations: ['Palpitations', 'palpitations', 'heart racing', 'racing heart', 'palpitatons'],
  abdominal_pain: ['Stomach ache', 'stomach ache', 'tummy pain', 'stomach pain', 'tummy ache'],
  diarrhea: ['Diarrhoea', 'diarrhoea', 'diarrhea', 'Diarrhea', 'diarhea'],
  bloating: ['Bloating', 'bloating', 'bloated', 'Bloated', 'bloted'],
  muscle_pain: ['Muscle pain', 'muscle pain', 'aching muscles', 'sore muscles'],
  dizziness: ['Dizziness', 'dizzy', 'Dizzy', 'lightheaded', 'dizzyness'],
  low_mood: ['Low mood', 'low mood', 'feeling low', 'feeling down'],
} as const satisfies Record<string, readonly string[]>;

export const DEMO_SPELLINGS: Readonly<Record<string, readonly string[]>> = Object.freeze(SPELLINGS);

// ---------------------------------------------------------------------------------------------
// The household's habits
// ---------------------------------------------------------------------------------------------

type Person = 'Anna' | 'Ben' | 'Mia';
type ConceptId = keyof typeof SPELLINGS;
type Range = readonly [number, number];
/** A value that may depend on the day (weekday, month, progress through the diary). */
type ByDay<T> = T | ((day: Day) => T);

interface Day {
  /** Days since 1970-01-01. */
  readonly index: number;
  readonly year: number;
  /** 1..12. */
  readonly month: number;
  /** 0 = Sunday .. 6 = Saturday. */
  readonly weekday: number;
  /** 0 on the first day of the diary, 1 on its last day. */
  readonly progress: number;
}

/** What gets logged: a concept, its severity and duration ranges and the notes it may carry. */
interface Entry {
  readonly conceptId: ConceptId;
  readonly severity: ByDay<Range>;
  /** Duration in minutes when known. */
  readonly minutes: Range;
  readonly notes: readonly string[];
}

type Frequency =
  /** An independent chance on every day. */
  | { readonly kind: 'daily'; readonly chance: (day: Day) => number }
  /** This many distinct days in every calendar month. */
  | { readonly kind: 'monthly'; readonly days: Range }
  /** A run of consecutive days at the start of every cycle (e.g. a period). */
  | { readonly kind: 'cycle'; readonly length: Range; readonly days: Range };

/** Something logged the same day as a habit's first entry, with a chance. */
interface Companion extends Entry {
  readonly chance: number;
  /** Logged this many minutes after the habit's entry... */
  readonly after?: Range;
  /** ...or at a time within these 'HH:mm-HH:mm' windows. */
  readonly times?: readonly string[];
}

interface Habit extends Entry {
  readonly person: Person;
  readonly when: Frequency;
  /** Entries on a day it happens (default one). */
  readonly entries?: ByDay<Range>;
  /** 'HH:mm-HH:mm' windows; a time is uniform over all of them (longer windows win more often). */
  readonly times: readonly string[];
  readonly with?: readonly Companion[];
}

interface EpisodeSymptom extends Entry {
  /** Chance the symptom is part of an episode at all. */
  readonly inEpisode: number;
  /** Part of the episode it shows in, as fractions of its length. */
  readonly phase: Range;
  /** Chance of being logged on a day within its phase, and how many entries then. */
  readonly chance: number;
  readonly entries: Range;
  readonly times: readonly string[];
}

interface EpisodeHabit {
  readonly name: string;
  readonly person: Person;
  /** Season as 'MM-DD' bounds; may wrap the year end. */
  readonly season: { readonly from: string; readonly to: string };
  readonly perSeason: Range;
  /** Days per episode. */
  readonly length: Range;
  readonly symptoms: readonly EpisodeSymptom[];
}

const daily = (chance: (day: Day) => number): Frequency => ({ kind: 'daily', chance });
const monthly = (min: number, max: number): Frequency => ({ kind: 'monthly', days: [min, max] });
const lerp = (from: number, to: number, t: number): number => from + (to - from) * t;
/** A severity range sliding from `start` (first day) to `end` (last day). */
const trend =
  (start: Range, end: Range) =>
  (day: Day): Range => [
    Math.round(lerp(start[0], end[0], day.progress)),
    Math.round(lerp(start[1], end[1], day.progress)),
  ];
const isWorkday = (day: Day): boolean => day.weekday >= 1 && day.weekday <= 5;

const HABITS: readonly Habit[] = [
  // Anna: migraines with nausea and light sensitivity, headaches, periods, some anxiety.
  {
    person: 'Anna',
    conceptId: 'migraine',
    when: monthly(2, 5),
    times: ['07:00-11:00', '13:00-20:00'],
    severity: [6, 9],
    minutes: [240, 720],
    notes: [
      'had to lie down in a dark room',
      'took my triptan',
      'aura first',
      'missed work',
      'after a bad night',
      'weather change?',
    ],
    with: [
      {
        conceptId: 'nausea',
        chance: 0.7,
        after: [5, 60],
        severity: [4, 7],
        minutes: [30, 180],
        notes: ['could not eat', 'ginger tea', 'came with the migraine'],
      },
      {
        conceptId: 'light_sensitivity',
        chance: 0.55,
        after: [5, 60],
        severity: [5, 8],
        minutes: [120, 480],
        notes: ['curtains closed', 'sunglasses indoors', 'screen too bright'],
      },
      {
        conceptId: 'vomiting',
        chance: 0.12,
        after: [20, 60],
        severity: [6, 8],
        minutes: [5, 20],
        notes: ['once', 'felt a bit better after'],
      },
    ],
  },
  {
    person: 'Anna',
    conceptId: 'headache',
    when: monthly(5, 10),
    times: ['09:00-20:30'],
    severity: [3, 6],
    minutes: [30, 240],
    notes: ['too much screen time', 'skipped lunch', 'not enough water', 'paracetamol helped'],
  },
  {
    person: 'Anna',
    conceptId: 'menstrual_cramps',
    when: { kind: 'cycle', length: [26, 31], days: [1, 3] },
    entries: [1, 3],
    times: ['07:00-10:00', '15:00-21:30'],
    severity: [4, 8],
    minutes: [120, 600],
    notes: ['hot water bottle', 'took ibuprofen', 'worst on day one', 'worked from home'],
    with: [
      {
        conceptId: 'bloating',
        chance: 0.4,
        times: ['10:00-21:30'],
        severity: [2, 5],
        minutes: [60, 480],
        notes: ['period related'],
      },
    ],
  },
  {
    person: 'Anna',
    conceptId: 'anxiety',
    when: monthly(3, 7),
    times: ['08:00-21:30'],
    severity: [3, 7],
    minutes: [10, 120],
    notes: ['big presentation tomorrow', 'busy week', 'breathing exercises helped', 'restless'],
    with: [
      {
        conceptId: 'palpitations',
        chance: 0.3,
        after: [0, 20],
        severity: [3, 6],
        minutes: [2, 20],
        notes: ['heart pounding', 'settled after a while'],
      },
    ],
  },
  {
    person: 'Anna',
    conceptId: 'insomnia',
    when: monthly(2, 4),
    times: ['00:30-05:30'],
    severity: [3, 6],
    minutes: [30, 150],
    notes: ['worrying about work', 'woke at 4am', 'too hot'],
  },
  {
    person: 'Anna',
    conceptId: 'neck_pain',
    when: monthly(2, 6),
    entries: [1, 2],
    times: ['07:00-10:00', '17:00-21:00'],
    severity: [3, 6],
    minutes: [60, 480],
    notes: ['slept awkwardly', 'long day at the laptop', 'heat pad helped'],
  },
  {
    // Hay fever in early summer.
    person: 'Anna',
    conceptId: 'sneezing',
    when: daily((day) => (day.month >= 5 && day.month <= 7 ? 0.5 : 0)),
    entries: [1, 3],
    times: ['08:00-12:00', '15:00-20:00'],
    severity: [2, 6],
    minutes: [5, 60],
    notes: ['pollen count high', 'hay fever again', 'took an antihistamine', 'windows open'],
    with: [
      {
        conceptId: 'runny_nose',
        chance: 0.6,
        after: [0, 45],
        severity: [2, 5],
        minutes: [30, 240],
        notes: ['hay fever', 'after the park'],
      },
    ],
  },

  // Ben: back pain on workdays, heartburn after dinner, a knee that complains.
  {
    person: 'Ben',
    conceptId: 'back_pain',
    when: daily((day) => (isWorkday(day) ? 0.8 : 0.25)),
    entries: (day) => (isWorkday(day) ? [1, 3] : [1, 1]),
    times: ['06:30-08:45', '17:30-21:30'],
    severity: (day) => (isWorkday(day) ? [4, 7] : [3, 5]),
    minutes: [30, 240],
    notes: [
      'long day at the desk',
      'meetings all day',
      'lifted boxes at work',
      'long commute',
      'stretching helped a bit',
      'took ibuprofen',
    ],
  },
  {
    person: 'Ben',
    conceptId: 'headache',
    when: monthly(1, 3),
    times: ['12:00-21:00'],
    severity: [2, 5],
    minutes: [30, 180],
    notes: ['long day', 'not enough water'],
  },
  {
    person: 'Ben',
    conceptId: 'heartburn',
    when: monthly(5, 9),
    times: ['19:00-21:45'],
    severity: [3, 6],
    minutes: [15, 120],
    notes: ['after a curry', 'late dinner', 'pizza night', 'antacid helped', 'glass of wine'],
  },
  {
    person: 'Ben',
    conceptId: 'joint_pain',
    when: monthly(3, 6),
    entries: [1, 2],
    times: ['07:00-09:30', '18:00-21:30'],
    severity: [3, 6],
    minutes: [30, 300],
    notes: ['after football', 'after a run', 'stairs at work', 'iced it'],
  },

  // Mia: fatigue that slowly improves, with poor sleep and brain fog tracking it.
  {
    person: 'Mia',
    conceptId: 'fatigue',
    when: daily((day) => lerp(6 / 7, 2 / 7, day.progress)),
    entries: (day) => (day.progress < 0.5 ? [1, 3] : [1, 2]),
    times: ['09:00-11:30', '13:00-18:30'],
    severity: trend([6, 8], [2, 4]),
    minutes: [120, 480],
    notes: [
      'needed a nap',
      'slept 9 hours, still tired',
      'left work early',
      'short walk helped',
      'pacing myself',
      'better than last week',
    ],
    with: [
      {
        conceptId: 'insomnia',
        chance: 0.65,
        times: ['00:30-05:30'],
        severity: trend([5, 8], [2, 5]),
        minutes: [30, 180],
        notes: ['awake from 3am', 'mind racing', 'took ages to fall asleep'],
      },
      {
        conceptId: 'brain_fog',
        chance: 0.6,
        times: ['09:30-16:00'],
        severity: trend([5, 7], [2, 4]),
        minutes: [60, 300],
        notes: ['read the same page three times', 'lost words mid-sentence', 'hard to focus'],
      },
      {
        conceptId: 'muscle_pain',
        chance: 0.2,
        times: ['12:00-20:00'],
        severity: trend([4, 6], [2, 4]),
        minutes: [60, 360],
        notes: ['aching legs', 'after a short walk'],
      },
    ],
  },
  {
    person: 'Mia',
    conceptId: 'headache',
    when: monthly(1, 3),
    times: ['10:00-21:00'],
    severity: [2, 5],
    minutes: [30, 180],
    notes: ['after a bad night', 'screen time'],
  },
  {
    person: 'Mia',
    conceptId: 'dizziness',
    when: monthly(2, 5),
    times: ['07:00-10:00', '12:00-21:00'],
    severity: [2, 5],
    minutes: [1, 15],
    notes: ['stood up too fast', 'skipped breakfast', 'had to sit down'],
  },
  {
    person: 'Mia',
    conceptId: 'low_mood',
    when: monthly(3, 6),
    times: ['16:00-21:45'],
    severity: [3, 6],
    minutes: [60, 600],
    notes: ['fed up with being tired', 'rainy weekend', 'talked to a friend', 'quiet day'],
  },
];

const COLD_NOTES = ['everyone at work has it', 'lemon and honey', 'stayed home', 'kept me up'];

/** A winter cold: sore throat and sneezing first, then a runny/blocked nose, the cough last. */
const COLD: readonly EpisodeSymptom[] = [
  {
    conceptId: 'sore_throat',
    inEpisode: 1,
    phase: [0, 0.5],
    chance: 0.95,
    entries: [1, 3],
    times: ['07:00-10:00', '12:00-15:00', '18:00-21:30'],
    severity: [3, 7],
    minutes: [120, 720],
    notes: [...COLD_NOTES, 'hurts to swallow'],
  },
  {
    conceptId: 'sneezing',
    inEpisode: 0.7,
    phase: [0, 0.5],
    chance: 0.7,
    entries: [1, 2],
    times: ['07:00-21:00'],
    severity: [2, 4],
    minutes: [5, 30],
    notes: COLD_NOTES,
  },
  {
    conceptId: 'fever',
    inEpisode: 0.45,
    phase: [0.1, 0.45],
    chance: 0.9,
    entries: [1, 2],
    times: ['08:00-11:00', '17:00-21:30'],
    severity: [4, 7],
    minutes: [180, 720],
    notes: ['38.1', '37.9 in the evening', 'chills too', 'took paracetamol'],
  },
  {
    conceptId: 'runny_nose',
    inEpisode: 0.9,
    phase: [0.1, 0.8],
    chance: 0.9,
    entries: [1, 3],
    times: ['07:00-21:30'],
    severity: [2, 5],
    minutes: [60, 600],
    notes: [...COLD_NOTES, 'through a box of tissues'],
  },
  {
    conceptId: 'nasal_congestion',
    inEpisode: 0.8,
    phase: [0.3, 0.9],
    chance: 0.8,
    entries: [1, 2],
    times: ['06:30-09:00', '19:00-21:45'],
    severity: [3, 6],
    minutes: [60, 600],
    notes: [...COLD_NOTES, 'steam helped'],
  },
  {
    conceptId: 'cough',
    inEpisode: 1,
    phase: [0.35, 1],
    chance: 0.95,
    entries: [1, 4],
    times: ['07:00-21:45'],
    severity: [3, 7],
    minutes: [30, 600],
    notes: [...COLD_NOTES, 'dry cough', 'chesty now', 'worse lying down'],
  },
];

/** A stomach bug: nausea and vomiting first, then diarrhoea, tummy pain throughout. */
const STOMACH_BUG: readonly EpisodeSymptom[] = [
  {
    conceptId: 'nausea',
    inEpisode: 1,
    phase: [0, 0.6],
    chance: 0.9,
    entries: [1, 2],
    times: ['06:00-21:30'],
    severity: [4, 7],
    minutes: [30, 240],
    notes: ['stomach bug', 'something I ate?'],
  },
  {
    conceptId: 'vomiting',
    inEpisode: 0.7,
    phase: [0, 0.4],
    chance: 0.9,
    entries: [1, 3],
    times: ['06:00-21:30'],
    severity: [5, 8],
    minutes: [5, 20],
    notes: ['stomach bug', 'kept water down after'],
  },
  {
    conceptId: 'diarrhea',
    inEpisode: 0.9,
    phase: [0.2, 1],
    chance: 0.9,
    entries: [1, 3],
    times: ['06:00-21:30'],
    severity: [3, 6],
    minutes: [5, 30],
    notes: ['stomach bug', 'rehydration salts'],
  },
  {
    conceptId: 'abdominal_pain',
    inEpisode: 1,
    phase: [0, 1],
    chance: 0.8,
    entries: [1, 2],
    times: ['07:00-21:30'],
    severity: [3, 6],
    minutes: [30, 240],
    notes: ['stomach bug', 'crampy', 'hot water bottle'],
  },
];

const WINTER = { from: '11-01', to: '03-31' } as const;
const ALL_YEAR = { from: '01-01', to: '12-31' } as const;

const EPISODES: readonly EpisodeHabit[] = [
  {
    name: 'cold',
    person: 'Ben',
    season: WINTER,
    perSeason: [2, 3],
    length: [5, 10],
    symptoms: COLD,
  },
  // Ben tends to bring his colds home.
  {
    name: 'cold',
    person: 'Anna',
    season: WINTER,
    perSeason: [1, 2],
    length: [4, 7],
    symptoms: COLD,
  },
  {
    name: 'cold',
    person: 'Mia',
    season: WINTER,
    perSeason: [1, 2],
    length: [4, 8],
    symptoms: COLD,
  },
  ...(['Anna', 'Ben', 'Mia'] as const).map((person) => ({
    name: 'stomach bug',
    person,
    season: ALL_YEAR,
    perSeason: [0, 1] as const,
    length: [2, 4] as const,
    symptoms: STOMACH_BUG,
  })),
];

// ---------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------

const DEFAULT_MONTHS = 15;
const DEFAULT_SEED = 20260101;
const MS_PER_DAY = 86_400_000;
/** No entry is logged after 21:59 (seconds since midnight). */
const LATEST_SECOND = 21 * 3600 + 59 * 60;
const UNRATED_SHARE = 0.1;
const UNKNOWN_DURATION_SHARE = 0.3;
const NOTED_SHARE = 0.25;
const DELETED_SHARE = 0.02;

interface Plan {
  readonly seed: number;
  /** First and last diary day (day numbers, inclusive). */
  readonly first: number;
  readonly last: number;
  /** Latest second of the last day an entry may have. */
  readonly lastSecond: number;
  /** Whether the last day is still going on (nowTime was given). */
  readonly ongoing: boolean;
}

interface Logged {
  readonly person: Person;
  readonly conceptId: ConceptId;
  readonly sym: string;
  readonly day: number;
  readonly second: number;
  readonly sev: number | null;
  readonly dur: number | null;
  readonly notes: string | null;
  readonly deleted: 'Y' | 'N';
}

/** Generates the demo diary: rows sorted by `logged` ascending. Same options, same rows. */
export function generateDemoDiary(options: DemoDiaryOptions): DemoDiaryRow[] {
  const plan = planOf(options);
  const logged: Logged[] = [];
  for (const habit of HABITS) {
    const random = streamFor(plan.seed, `${habit.person}:${habit.conceptId}`);
    logged.push(...habitEntries(habit, plan, random));
  }
  for (const episode of EPISODES) {
    const random = streamFor(plan.seed, `${episode.person}:${episode.name}`);
    logged.push(...episodeEntries(episode, plan, random));
  }
  return logged
    .filter((entry) => isWithin(entry, plan))
    .sort(
      (a, b) =>
        a.day - b.day ||
        a.second - b.second ||
        a.person.localeCompare(b.person) ||
        a.conceptId.localeCompare(b.conceptId),
    )
    .map((entry) => toRow(entry, plan));
}

function planOf(options: DemoDiaryOptions): Plan {
  const months = options.months ?? DEFAULT_MONTHS;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(months) || months < 1 || months > 600) {
    throw new RangeError(`months must be an integer from 1 to 600, got ${months}`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const last = parseDate(options.today);
  const { year, month, date } = partsOf(last);
  const back = year * 12 + (month - 1) - months;
  const firstYear = Math.floor(back / 12);
  const firstMonth = (back % 12) + 1;
  const first = dayNumber(
    firstYear,
    firstMonth,
    Math.min(date, daysInMonth(firstYear, firstMonth)),
  );
  const now = options.nowTime === undefined ? undefined : parseClock(options.nowTime);
  return {
    seed,
    first,
    last,
    lastSecond: Math.min(LATEST_SECOND, now ?? LATEST_SECOND),
    ongoing: now !== undefined,
  };
}

function habitEntries(habit: Habit, plan: Plan, random: Random): Logged[] {
  const logged: Logged[] = [];
  for (const index of occurrenceDays(habit.when, plan, random)) {
    const day = dayOf(index, plan);
    const count = random.int(valueOn(habit.entries ?? [1, 1], day));
    const seconds = Array.from({ length: count }, () => timeIn(habit.times, random)).sort(
      (a, b) => a - b,
    );
    for (const second of seconds) logged.push(entryOf(habit.person, habit, day, second, random));
    for (const companion of habit.with ?? []) {
      if (!random.chance(companion.chance)) continue;
      const second = companion.after
        ? seconds[0] + random.int(companion.after) * 60 + random.int([0, 59])
        : timeIn(companion.times ?? habit.times, random);
      logged.push(entryOf(habit.person, companion, day, second, random));
    }
  }
  return logged;
}

/** The days (day numbers) a habit happens on; may spill a little outside the diary's range. */
function occurrenceDays(when: Frequency, plan: Plan, random: Random): number[] {
  const days: number[] = [];
  switch (when.kind) {
    case 'daily':
      for (let index = plan.first; index <= plan.last; index++) {
        if (random.chance(when.chance(dayOf(index, plan)))) days.push(index);
      }
      return days;
    case 'monthly': {
      // Whole calendar months; days outside the diary are dropped later, thinning the edge months.
      let { year, month } = partsOf(plan.first);
      while (dayNumber(year, month, 1) <= plan.last) {
        const length = daysInMonth(year, month);
        const chosen = random.sample(length, random.int(when.days));
        for (const date of chosen.sort((a, b) => a - b))
          days.push(dayNumber(year, month, date + 1));
        [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
      }
      return days;
    }
    case 'cycle':
      for (let start = plan.first - random.int([0, 30]); start <= plan.last;) {
        const run = random.int(when.days);
        for (let offset = 0; offset < run; offset++) days.push(start + offset);
        start += random.int(when.length);
      }
      return days;
  }
}

function episodeEntries(episode: EpisodeHabit, plan: Plan, random: Random): Logged[] {
  const logged: Logged[] = [];
  const [fromMonth, fromDate] = episode.season.from.split('-').map(Number);
  const [toMonth, toDate] = episode.season.to.split('-').map(Number);
  const wraps = toMonth < fromMonth;
  for (let year = partsOf(plan.first).year - 1; year <= partsOf(plan.last).year; year++) {
    const seasonStart = dayNumber(year, fromMonth, fromDate);
    const seasonEnd = dayNumber(wraps ? year + 1 : year, toMonth, toDate);
    if (seasonEnd < plan.first || seasonStart > plan.last) continue;
    // Split the season into equal slots, one episode somewhere inside each: they never overlap.
    const count = random.int(episode.perSeason);
    if (count === 0) continue;
    const slot = Math.floor((seasonEnd - seasonStart + 1) / count);
    for (let i = 0; i < count; i++) {
      const length = Math.min(random.int(episode.length), slot);
      const start = seasonStart + i * slot + random.int([0, slot - length]);
      for (const symptom of episode.symptoms) {
        if (!random.chance(symptom.inEpisode)) continue;
        for (let offset = 0; offset < length; offset++) {
          const phase = (offset + 0.5) / length;
          if (phase < symptom.phase[0] || phase > symptom.phase[1]) continue;
          if (!random.chance(symptom.chance)) continue;
          const day = dayOf(start + offset, plan);
          for (let n = random.int(symptom.entries); n > 0; n--) {
            const second = timeIn(symptom.times, random);
            logged.push(entryOf(episode.person, symptom, day, second, random));
          }
        }
      }
    }
  }
  return logged;
}

function entryOf(person: Person, entry: Entry, day: Day, second: number, random: Random): Logged {
  const [low, high] = valueOn(entry.severity, day);
  const sev = random.chance(UNRATED_SHARE) ? null : clamp(random.int([low, high]), 1, 10);
  const minutes = random.int(entry.minutes);
  const dur = random.chance(UNKNOWN_DURATION_SHARE)
    ? null
    : minutes >= 30
      ? Math.round(minutes / 5) * 5
      : minutes;
  const noted = random.chance(NOTED_SHARE) && entry.notes.length > 0;
  return {
    person,
    conceptId: entry.conceptId,
    sym: spell(entry.conceptId, random),
    day: day.index,
    second: Math.min(second, LATEST_SECOND),
    sev,
    dur,
    notes: noted ? random.pick(entry.notes) : null,
    deleted: random.chance(DELETED_SHARE) ? 'Y' : 'N',
  };
}

/** Earlier spellings are typed more often: weight 1/(i+1)^2, so the canonical one ~2/3 of the time. */
function spell(conceptId: ConceptId, random: Random): string {
  const spellings: readonly string[] = SPELLINGS[conceptId];
  const weights = spellings.map((_, i) => 1 / (i + 1) ** 2);
  let target = random.next() * weights.reduce((sum, weight) => sum + weight, 0);
  for (let i = 0; i < spellings.length; i++) {
    target -= weights[i];
    if (target < 0) return spellings[i];
  }
  return spellings[0];
}

function isWithin(entry: Logged, plan: Plan): boolean {
  if (entry.day < plan.first || entry.day > plan.last) return false;
  return entry.day < plan.last || entry.second <= plan.lastSecond;
}

function toRow(entry: Logged, plan: Plan): DemoDiaryRow {
  // On a day still going on, a symptom that has not ended yet has no known duration.
  const unfinished =
    plan.ongoing &&
    entry.day === plan.last &&
    entry.dur !== null &&
    entry.second + entry.dur * 60 > plan.lastSecond;
  return {
    person: entry.person,
    sym: entry.sym,
    conceptId: entry.conceptId,
    sev: entry.sev,
    logged: `${formatDate(entry.day)} ${formatClock(entry.second)}`,
    dur_mins: unfinished ? null : entry.dur,
    notes: entry.notes,
    deleted: entry.deleted,
  };
}

function valueOn<T>(value: ByDay<T>, day: Day): T {
  return typeof value === 'function' ? (value as (day: Day) => T)(day) : value;
}

/** A second of the day uniformly within 'HH:mm-HH:mm' windows. */
function timeIn(windows: readonly string[], random: Random): number {
  const spans = windows.map((window) => window.split('-').map((clock) => parseClock(clock) / 60));
  const total = spans.reduce((sum, [from, to]) => sum + (to - from + 1), 0);
  let minute = random.int([0, total - 1]);
  for (const [from, to] of spans) {
    if (minute <= to - from) return (from + minute) * 60 + random.int([0, 59]);
    minute -= to - from + 1;
  }
  throw new Error('unreachable: minute outside the windows');
}

// ---------------------------------------------------------------------------------------------
// Calendar days (UTC-based day numbers: no local time zone involved) and clock times
// ---------------------------------------------------------------------------------------------

function dayNumber(year: number, month: number, date: number): number {
  return Math.round(Date.UTC(year, month - 1, date) / MS_PER_DAY);
}

function partsOf(index: number): { year: number; month: number; date: number; weekday: number } {
  const utc = new Date(index * MS_PER_DAY);
  return {
    year: utc.getUTCFullYear(),
    month: utc.getUTCMonth() + 1,
    date: utc.getUTCDate(),
    weekday: utc.getUTCDay(),
  };
}

function dayOf(index: number, plan: Plan): Day {
  const { year, month, weekday } = partsOf(index);
  const progress = clamp((index - plan.first) / Math.max(1, plan.last - plan.first), 0, 1);
  return { index, year, month, weekday, progress };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseDate(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match) {
    const [year, month, date] = match.slice(1).map(Number);
    if (year >= 1000 && month >= 1 && month <= 12 && date >= 1) {
      if (date <= daysInMonth(year, month)) return dayNumber(year, month, date);
    }
  }
  throw new RangeError(`today must be a valid 'YYYY-MM-DD' date, got '${text}'`);
}

/** 'HH:mm' -> seconds since midnight. */
function parseClock(text: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw new RangeError(`time must be a valid 'HH:mm' clock time, got '${text}'`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60;
}

function formatDate(index: number): string {
  const { year, month, date } = partsOf(index);
  return `${year}-${pad(month)}-${pad(date)}`;
}

function formatClock(second: number): string {
  const hours = Math.floor(second / 3600);
  const minutes = Math.floor((second % 3600) / 60);
  return `${pad(hours)}:${pad(minutes)}:${pad(second % 60)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG. */
class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Uniform integer in [low, high]. */
  int([low, high]: Range): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `count` distinct integers from [0, size), by a partial Fisher-Yates shuffle. */
  sample(size: number, count: number): number[] {
    const pool = Array.from({ length: size }, (_, i) => i);
    const taken = Math.min(count, size);
    for (let i = 0; i < taken; i++) {
      const j = i + Math.floor(this.next() * (size - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, taken);
  }
}

/** An independent stream per habit: FNV-1a of the label, mixed with the seed (murmur3 finalizer). */
function streamFor(seed: number, label: string): Random {
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
  }
  let mixed = (hash ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  return new Random((mixed ^ (mixed >>> 16)) >>> 0);
}
