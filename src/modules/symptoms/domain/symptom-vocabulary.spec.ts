import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SymptomCatalog } from './symptom-catalog';
import { LITERAL_TERMS, SYMPTOM_LEXICON } from './symptom-lexicon';
import { SymptomVocabulary, fuzzyBound, plausibleTypo } from './symptom-vocabulary';

const vocabulary = SymptomVocabulary.standard();
const catalog = SymptomCatalog.standard;
const conceptOf = (text: string): string | null => vocabulary.normalise(text)?.conceptId ?? null;

/** One lay phrase per concept, other than its catalog name. */
const LAY_TERMS: Readonly<Record<string, string>> = {
  headache: 'my head hurts',
  migraine: 'migraines',
  dizziness: 'light headed',
  brain_fog: 'cant concentrate',
  numbness_tingling: 'pins and needles',
  tremor: 'shaky hands',
  fainting: 'passed out',
  light_sensitivity: 'light hurts my eyes',
  fatigue: 'worn out',
  weakness: 'no strength',
  fever: 'high temperature',
  chills: 'shivering',
  night_sweats: 'sweating at night',
  hot_flashes: 'hot flushes',
  loss_of_appetite: 'not hungry',
  weight_loss: 'losing weight',
  swelling: 'swollen ankles',
  insomnia: 'couldnt sleep',
  drowsiness: 'sleepy',
  anxiety: 'anxious',
  low_mood: 'feeling down',
  irritability: 'grumpy',
  nausea: 'feeling sick',
  vomiting: 'threw up',
  abdominal_pain: 'tummy ache',
  bloating: 'bloated',
  diarrhea: 'loose stools',
  constipation: 'constipated',
  heartburn: 'acid reflux',
  cough: 'coughing',
  shortness_of_breath: 'out of breath',
  wheezing: 'wheezy',
  sore_throat: 'throat hurts',
  runny_nose: 'sniffles',
  nasal_congestion: 'blocked nose',
  sneezing: 'sneezes',
  chest_pain: 'tight chest',
  palpitations: 'heart racing',
  back_pain: 'bad back',
  neck_pain: 'stiff neck',
  joint_pain: 'sore knees',
  muscle_pain: 'body aches',
  stiffness: 'stiff',
  rash: 'hives',
  itching: 'itchy',
  blurred_vision: 'blurry eyes',
  ear_pain: 'earache',
  tinnitus: 'ears ringing',
  menstrual_cramps: 'period pain',
  frequent_urination: 'peeing a lot',
};

/** Everyday words and phrases that name no symptom, some close to symptom words. */
const NOT_SYMPTOMS = [
  'headphones',
  'cold',
  'a cold',
  'flu',
  'the flu',
  'fine',
  'great day',
  'coffee',
  'back',
  'head',
  'weather',
  'good',
  'okay',
  'work',
  'went to the gym',
  'walked the dog',
  'pizza',
  'holiday',
  'sunny',
  'weekend',
  'birthday party',
  'busy day',
  'shopping',
  'read a book',
  'cup of tea',
  'slept well',
  'feeling great',
  'two weeks',
  'went camping',
  'tried yoga',
  'having a great time',
  'back to work',
  'head office',
  'heart',
  'stomach',
  'sleep',
  'appetite',
  'pain',
  'doctor appointment',
  'nothing',
  'same as yesterday',
];

describe('SymptomVocabulary', () => {
  describe('construction', () => {
    const small = new SymptomCatalog([
      { id: 'headache', name: 'Headache', system: 'neurological' },
      { id: 'migraine', name: 'Migraine', system: 'neurological' },
    ]);

    it('builds the standard vocabulary once', () => {
      expect(SymptomVocabulary.standard()).toBe(vocabulary);
    });

    it('refuses a lexicon naming a concept the catalog lacks', () => {
      expect(
        () =>
          new SymptomVocabulary(
            { headache: ['headache'], migraine: ['migraine'], cold: ['cold'] },
            small,
          ),
      ).toThrow(/'cold'/);
    });

    it('refuses a lexicon leaving a catalog concept without terms', () => {
      expect(() => new SymptomVocabulary({ headache: ['headache'] }, small)).toThrow(/migraine/);
      expect(() => new SymptomVocabulary({ headache: ['headache'], migraine: [] }, small)).toThrow(
        /migraine/,
      );
    });

    it('refuses two concepts sharing a term once normalised', () => {
      expect(
        () => new SymptomVocabulary({ headache: ['Headaches'], migraine: ['headache'] }, small),
      ).toThrow(/same once normalised/);
    });

    it('refuses a term made only of filler words', () => {
      expect(
        () =>
          new SymptomVocabulary({ headache: ['headache', 'the'], migraine: ['migraine'] }, small),
      ).toThrow(/no words/);
    });

    it('has terms for every concept of the catalog, and only for those', () => {
      expect(Object.keys(SYMPTOM_LEXICON).sort()).toEqual(catalog.ids().sort());
      for (const id of catalog.ids()) expect(vocabulary.terms(id).length).toBeGreaterThanOrEqual(8);
      expect(vocabulary.terms('headache')).toContain('head ache');
      expect(vocabulary.terms('cold')).toEqual([]);
    });
  });

  describe('normalise', () => {
    it.each(catalog.all().map((concept) => [concept.id, concept.name]))(
      'reaches %s from its catalog name %j',
      (id, name) => {
        expect(conceptOf(name)).toBe(id);
      },
    );

    it('has a lay term for every concept of the catalog', () => {
      expect(Object.keys(LAY_TERMS).sort()).toEqual(catalog.ids().sort());
    });

    it.each(Object.entries(LAY_TERMS))('reaches %s from the lay term %j', (id, lay) => {
      expect(vocabulary.normalise(lay)).toEqual(
        expect.objectContaining({ conceptId: id, kind: 'exact', distance: 0 }),
      );
    });

    it('maps every lexicon term to its own concept', () => {
      for (const [id, terms] of Object.entries(SYMPTOM_LEXICON)) {
        for (const term of terms) expect([term, conceptOf(term)]).toEqual([term, id]);
      }
    });

    it('maps every literal term to its own concept', () => {
      for (const [id, terms] of Object.entries(LITERAL_TERMS)) {
        for (const term of terms) expect([term, conceptOf(term)]).toEqual([term, id]);
        for (const term of terms) expect(vocabulary.terms(id)).toContain(term);
      }
    });

    it('reads literal terms with their small words only', () => {
      expect(conceptOf('had the runs all day')).toBe('diarrhea');
      expect(conceptOf('bathroom with the runs')).toBe('diarrhea');
      expect(conceptOf('went for runs')).toBeNull();
      expect(conceptOf('runs')).toBeNull();
      expect(conceptOf('the blues')).toBe('low_mood');
      expect(conceptOf('blue lips')).toBeNull();
      expect(conceptOf('no the runs')).toBeNull();
    });

    it.each([
      ['Headache', 'headache'],
      ['head ache', 'headache'],
      ['migrane', 'migraine'],
      ['tummy pain', 'abdominal_pain'],
      ['threw up', 'vomiting'],
      ['feeling sick', 'nausea'],
      ['couldnt sleep', 'insomnia'],
      ["couldn't sleep", 'insomnia'],
      ['Back ache', 'back_pain'],
    ])('maps the diary entry %j to %s', (text, id) => {
      expect(conceptOf(text)).toBe(id);
    });

    it.each([
      ['threw up', 'vomiting'],
      ['throwing up', 'vomiting'],
      ['puking', 'vomiting'],
      ['being sick', 'vomiting'],
      ['emesis', 'vomiting'],
      ['feel sick', 'nausea'],
      ['queasy', 'nausea'],
      ['cant sleep', 'insomnia'],
      ['trouble sleeping', 'insomnia'],
      ['sleepless', 'insomnia'],
      ['tired', 'fatigue'],
      ['exhausted', 'fatigue'],
      ['no energy', 'fatigue'],
      ['dizzy', 'dizziness'],
      ['lightheaded', 'dizziness'],
      ['room spinning', 'dizziness'],
      ['vertigo', 'dizziness'],
      ['blacked out', 'fainting'],
      ['fainted', 'fainting'],
      ['syncope', 'fainting'],
      ['stuffy nose', 'nasal_congestion'],
      ['runny nose', 'runny_nose'],
      ['temperature', 'fever'],
      ['feverish', 'fever'],
      ['pyrexia', 'fever'],
      ['paresthesia', 'numbness_tingling'],
      ['foggy', 'brain_fog'],
      ['photophobia', 'light_sensitivity'],
      ['cramps', 'menstrual_cramps'],
      ['heart pounding', 'palpitations'],
      ['breathless', 'shortness_of_breath'],
      ['cant breathe', 'shortness_of_breath'],
      ['dyspnoea', 'shortness_of_breath'],
      ['dyspnea', 'shortness_of_breath'],
      ['sore head', 'headache'],
      ['cephalalgia', 'headache'],
      ['pain in my back', 'back_pain'],
      ['lower back pain', 'back_pain'],
      ['stomach pain', 'abdominal_pain'],
      ['belly ache', 'abdominal_pain'],
      ['myalgia', 'muscle_pain'],
      ['arthralgia', 'joint_pain'],
      ['pruritus', 'itching'],
      ['tinnitus', 'tinnitus'],
      ['diarrhoea', 'diarrhea'],
    ])('maps the lay or medical term %j to %s', (text, id) => {
      expect(conceptOf(text)).toBe(id);
    });

    it.each([
      ['bad headache after work', 'headache'],
      ['really bad back ache', 'back_pain'],
      ['mild nausea', 'nausea'],
      ['a bit dizzy today', 'dizziness'],
      ['TERRIBLE abdominal pain', 'abdominal_pain'],
      ['my knees hurt', 'joint_pain'],
      ['aching in my hips', 'joint_pain'],
      ['stomach is still sore', 'abdominal_pain'],
      ['pain in major joints', 'joint_pain'],
    ])('finds the symptom inside %j', (text, id) => {
      expect(vocabulary.normalise(text)).toEqual(
        expect.objectContaining({ conceptId: id, kind: 'exact', distance: 0 }),
      );
    });

    it('prefers the widest term found', () => {
      expect(conceptOf('migraine headache')).toBe('migraine');
      expect(conceptOf('muscle pain in my lower back')).toBe('back_pain');
      expect(conceptOf('stomach cramps')).toBe('abdominal_pain');
      expect(conceptOf('leg cramps')).toBe('muscle_pain');
      expect(conceptOf('chest congestion')).toBe('cough');
      expect(conceptOf('feeling faint')).toBe('dizziness');
    });

    it('reads "X and Y pain" as X pain first', () => {
      expect(conceptOf('back and hip pain')).toBe('back_pain');
      expect(conceptOf('hip and back pain')).toBe('joint_pain');
      expect(conceptOf('pins and needles')).toBe('numbness_tingling');
    });

    it('ignores a negated symptom', () => {
      expect(vocabulary.normalise('no headache')).toBeNull();
      expect(vocabulary.normalise('not tired')).toBeNull();
      expect(vocabulary.normalise('no real fever')).toBeNull();
      expect(conceptOf('no appetite')).toBe('loss_of_appetite');
      expect(conceptOf('feeling sick but not vomiting')).toBe('nausea');
    });

    it.each([
      ['hedache', 'headache'],
      ['headach', 'headache'],
      ['head ache', 'headache'],
      ['migrane', 'migraine'],
      ['migrain', 'migraine'],
      ['nausia', 'nausea'],
      ['nauseus', 'nausea'],
      ['diarhea', 'diarrhea'],
      ['diarrhoea', 'diarrhea'],
      ['dizzyness', 'dizziness'],
      ['fatige', 'fatigue'],
      ['tierd', 'fatigue'],
      ['insomia', 'insomnia'],
      ['backache', 'back_pain'],
      ['back ache', 'back_pain'],
      ['stomache ache', 'abdominal_pain'],
      ['coff', 'cough'],
      ['sneezeing', 'sneezing'],
      ['vomitting', 'vomiting'],
      ['heartburn', 'heartburn'],
      ['heart burn', 'heartburn'],
      ['palpatations', 'palpitations'],
      ['migrane headaches', 'migraine'],
      ['bad hedache today', 'headache'],
      ['hed ache', 'headache'],
      ['backpian', 'back_pain'],
    ])('corrects the typo %j to %s', (text, id) => {
      expect(conceptOf(text)).toBe(id);
    });

    it('tells a fuzzy match and its distance', () => {
      expect(vocabulary.normalise('hedache')).toEqual({
        conceptId: 'headache',
        term: 'headache',
        kind: 'fuzzy',
        distance: 1,
      });
      expect(vocabulary.normalise('Headache')).toEqual({
        conceptId: 'headache',
        term: 'headache',
        kind: 'exact',
        distance: 0,
      });
    });

    it.each(NOT_SYMPTOMS.concat(['', '   ', '?!']))('maps %j to nothing', (text) => {
      expect(vocabulary.normalise(text)).toBeNull();
    });

    it('refuses a typo equally close to two concepts', () => {
      const small = new SymptomCatalog([
        { id: 'x', name: 'X', system: 'general' },
        { id: 'y', name: 'Y', system: 'general' },
      ]);
      const tied = new SymptomVocabulary({ x: ['banana'], y: ['banani'] }, small);
      expect(tied.normalise('banano')).toBeNull();
      expect(tied.normalise('bananaa')?.conceptId).toBe('x');
      expect(tied.normalise('banani')?.conceptId).toBe('y');
    });
  });

  describe('AskAPatient lay phrases', () => {
    const fixture = join(__dirname, '../../../../test/fixtures/lay-terms-askapatient-train.tsv');
    const rows = readFileSync(fixture, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t'));

    it('maps the lay phrases of the fixture to their concept', () => {
      expect(rows.length).toBeGreaterThan(500);
      const correct = rows.filter(([phrase, id]) => conceptOf(phrase) === id).length;
      // Measured 91.5% (563 of 615); the rest are mostly long descriptions and rare misspellings.
      expect(correct / rows.length).toBeGreaterThanOrEqual(0.88);
    });

    it('names only catalog concepts', () => {
      for (const [, id] of rows) expect(catalog.has(id)).toBe(true);
    });
  });

  describe('candidates', () => {
    it('offers the named concept first, with score 1', () => {
      const [first] = vocabulary.candidates('headache');
      expect(first).toEqual({ conceptId: 'headache', term: 'headache', score: 1 });
    });

    it('puts the closest concept first for a typo, scores decreasing', () => {
      const candidates = vocabulary.candidates('hedache');
      expect(candidates[0].conceptId).toBe('headache');
      expect(candidates[0].score).toBeGreaterThan(0.8);
      for (let i = 1; i < candidates.length; i++) {
        expect(candidates[i].score).toBeLessThanOrEqual(candidates[i - 1].score);
      }
      expect(new Set(candidates.map((c) => c.conceptId)).size).toBe(candidates.length);
    });

    it('offers the symptoms a bare body part may mean', () => {
      expect(vocabulary.candidates('back')[0].conceptId).toBe('back_pain');
      expect(vocabulary.candidates('head')[0].conceptId).toBe('headache');
      expect(vocabulary.candidates('stomach')[0].conceptId).toBe('abdominal_pain');
      const heart = vocabulary.candidates('heart', 3).map((c) => c.conceptId);
      expect(heart).toEqual(expect.arrayContaining(['palpitations', 'heartburn', 'chest_pain']));
    });

    it('respects the limit and stays within 0..1', () => {
      const candidates = vocabulary.candidates('pain', 2);
      expect(candidates).toHaveLength(2);
      for (const c of vocabulary.candidates('sleep')) {
        expect(c.score).toBeGreaterThan(0);
        expect(c.score).toBeLessThanOrEqual(1);
      }
      expect(vocabulary.candidates('headache', 0)).toEqual([]);
    });

    it('offers nothing for blank text or unrelated words', () => {
      expect(vocabulary.candidates('')).toEqual([]);
      expect(vocabulary.candidates('great day')).toEqual([]);
      expect(vocabulary.candidates('flu')).toEqual([]);
    });
  });
});

/** A mention as [concept, words as written]. */
const mentionsOf = (text: string): [string, string][] =>
  vocabulary.findMentions(text).map((m) => [m.conceptId, m.text]);

/** Question words and phrases that name no symptom (many close to symptom words). */
const QUESTION_PHRASES = [
  'how many times',
  'how often',
  'how much',
  'how bad',
  'how severe has it been',
  'what was the average severity',
  'last month',
  'last week',
  'the past 2 weeks',
  'show me',
  'show me what I logged yesterday',
  'what usually comes with',
  'what usually comes with it',
  'getting better',
  'getting worse',
  'is it improving',
  'compare',
  'compare this week with last week',
  'overview',
  'overview of my health in october please',
  'weather tomorrow',
  "what's the weather going to be tomorrow",
  'hi there',
  'hello',
  'good morning',
  'thanks a lot',
  'thank you so much',
  'ok thanks',
  'what can I ask',
  'what can you do',
  'help',
  'most common',
  'what was my most common symptom last month',
  'which symptoms bothered me the most this year',
  'summary',
  'give me a summary of last week',
  'give me a rundown of last week',
  'give me a run down of last week',
  'thanks for the rundown',
  'what should I take',
  'what should I take for it',
  'do I have the flu',
  'do I have a cold',
  'did I catch a cold',
  'my entries',
  'show all entries',
  'list my symptoms',
  'my health',
  'health overview',
  'what did I record over the weekend',
  'when was the last time',
  'when was the most recent one',
  'and the week before?',
  'and in september?',
  'how bad were they?',
  'since monday',
  'between october 10 and october 20',
  'in the morning',
  'every day',
  'how many nights',
  'number of times',
  'any patterns',
  'what triggers them',
  'monthly report',
  'weekly breakdown',
  'anything else',
  'everything',
  'statistics',
  'stats please',
  'can you explain',
  'tell me more',
  'export my data',
  'delete my entries',
  'how long did it last',
  'duration',
  'frequency',
  'total count',
  'per week',
  'on average',
  'never mind',
  'sorry',
  'perfect',
  'awesome',
  "that's helpful",
  'who are you',
  'are you a doctor',
  'is this normal',
  'should I see a doctor',
  'should I be worried',
  'do I need to worry about it',
  'what medication helps',
  'which pills should I take',
  'what time is it',
  'tell me a joke',
  'book an appointment',
  'how many steps did I walk',
  'how much water did I drink',
  'did I sleep well',
  'what did I eat yesterday',
  'I went for a run',
  'this weak',
  'a weak ago',
  'which months were the worst',
  'was it better or worse',
  'after meals',
  'before bed',
  'compared to last year',
  'month by month',
  'has anything changed',
  'any outliers',
  'longest streak',
];

describe('SymptomVocabulary.findMentions', () => {
  it.each([
    ['how many hedaches and nausea did I have last month', ['headache', 'nausea']],
    ['do my headaches and nausea happen together', ['headache', 'nausea']],
    ['how bad was the pins and needles in my hands 3 days ago', ['numbness_tingling']],
    ['how many times did I get the runs last month', ['diarrhea']],
    ["How many nights couldn't I sleep last month?", ['insomnia']],
    ['how often did my heart race in the past month', ['palpitations']],
    ['show my ringing ears entries', ['tinnitus']],
    ['were my ears ringing', ['tinnitus']],
    ['when was my most recent panic attack', ['anxiety']],
    ['when did my knee pain start', ['joint_pain']],
    ['worst my joints have hurt this month?', ['joint_pain']],
    ['how many days was I wiped out last week', ['fatigue']],
    ['when did I last feel light-headed', ['dizziness']],
    ['how many times did my stomach hurt yesterday', ['abdominal_pain']],
    ['are my tummy aches getting worse', ['abdominal_pain']],
    ['my head hurts', ['headache']],
    ['I threw up', ['vomiting']],
    ['when did I last have trouble breathing', ['shortness_of_breath']],
    ['how often did I have a blocked nose in october', ['nasal_congestion']],
    ['how many period cramps in october', ['menstrual_cramps']],
    ['count my coughing fits since monday', ['cough']],
    ['last time i felt nauseous?', ['nausea']],
    ['list my rashes from august', ['rash']],
    ['show all entries for sore throat between october 10 and october 20', ['sore_throat']],
    ['What should I take for my cough?', ['cough']],
    ['how many mild back pain days in september', ['back_pain']],
    [
      'headache, nausea, dizziness and fatigue last week',
      ['headache', 'nausea', 'dizziness', 'fatigue'],
    ],
    ['how often did i feel sick and throw up', ['nausea', 'vomiting']],
    ['how many days with no energy', ['fatigue']],
    ['how often has my heart been racing', ['palpitations']],
    ['has my head been hurting more', ['headache']],
    ['my stomach has been really sore', ['abdominal_pain']],
    ['when did i pass out', ['fainting']],
    ['feeling blue lately', ['low_mood']],
  ])('finds in %j: %j', (text, ids) => {
    expect(vocabulary.findMentions(text).map((m) => m.conceptId)).toEqual(ids);
  });

  it('gives each mention its words as written and their span', () => {
    const text = 'How many HEDACHES & Nausea did I have?';
    const mentions = vocabulary.findMentions(text);
    expect(mentions).toEqual([
      {
        conceptId: 'headache',
        text: 'HEDACHES',
        start: 9,
        end: 17,
        kind: 'fuzzy',
        term: 'headache',
      },
      { conceptId: 'nausea', text: 'Nausea', start: 20, end: 26, kind: 'exact', term: 'nausea' },
    ]);
    for (const m of mentions) expect(text.slice(m.start, m.end)).toBe(m.text);
  });

  it('returns mentions in text order, without overlaps', () => {
    for (const text of [
      'nausea, then a migraine headache and back pain',
      'pins and needles and headaches and pain in my lower back',
    ]) {
      const mentions = vocabulary.findMentions(text);
      for (let i = 1; i < mentions.length; i++) {
        expect(mentions[i].start).toBeGreaterThanOrEqual(mentions[i - 1].end);
      }
    }
  });

  it('prefers the widest term', () => {
    expect(mentionsOf('any migraine headaches?')).toEqual([['migraine', 'migraine headaches']]);
    expect(mentionsOf('migrane headaches last week')).toEqual([['migraine', 'migrane headaches']]);
    expect(mentionsOf('how often did I have muscle pain in my lower back')).toEqual([
      ['back_pain', 'pain in my lower back'],
    ]);
    expect(mentionsOf('any stomach cramps')).toEqual([['abdominal_pain', 'stomach cramps']]);
  });

  it('reads the word order of questions', () => {
    expect(mentionsOf("how many nights couldn't I sleep")).toEqual([
      ['insomnia', "couldn't I sleep"],
    ]);
    expect(mentionsOf('how many nights could I not sleep')).toEqual([
      ['insomnia', 'could I not sleep'],
    ]);
    expect(mentionsOf('how many nights did I not sleep')).toEqual([
      ['insomnia', 'did I not sleep'],
    ]);
    expect(mentionsOf('nights I could not sleep')).toEqual([['insomnia', 'could not sleep']]);
    expect(mentionsOf('how many nights was I unable to sleep')).toEqual([
      ['insomnia', 'unable to sleep'],
    ]);
    expect(mentionsOf('worst my joints have hurt')).toEqual([['joint_pain', 'joints have hurt']]);
  });

  it('reads coordinated words with the rest of the term', () => {
    expect(mentionsOf('do my back and neck hurt')).toEqual([
      ['back_pain', 'back'],
      ['neck_pain', 'neck hurt'],
    ]);
    expect(mentionsOf('head, neck and back pain')).toEqual([
      ['headache', 'head'],
      ['neck_pain', 'neck'],
      ['back_pain', 'back pain'],
    ]);
    expect(mentionsOf('my head. back pain')).toEqual([['back_pain', 'back pain']]);
    expect(mentionsOf('nausea and back pain')).toEqual([
      ['nausea', 'nausea'],
      ['back_pain', 'back pain'],
    ]);
  });

  it('reads "the runs" and "the blues" only with their article', () => {
    expect(mentionsOf('how many times did I get the runs')).toEqual([['diarrhea', 'the runs']]);
    expect(mentionsOf('how many runs did I go on')).toEqual([]);
    expect(mentionsOf('did I have the blues')).toEqual([['low_mood', 'the blues']]);
    expect(mentionsOf('were my lips blue')).toEqual([]);
  });

  it('does not read a term across punctuation', () => {
    expect(mentionsOf('was it my head? pain in the arm')).toEqual([
      ['muscle_pain', 'pain in the arm'],
    ]);
    expect(mentionsOf('light-headed')).toEqual([['dizziness', 'light-headed']]);
  });

  it('corrects typos within the strict bounds, and says so', () => {
    expect(vocabulary.findMentions('any palpatations this week')[0]).toEqual(
      expect.objectContaining({ conceptId: 'palpitations', kind: 'fuzzy' }),
    );
    expect(mentionsOf('diarhea last week')).toEqual([['diarrhea', 'diarhea']]);
    expect(mentionsOf('how many couch days')).toEqual([]);
    expect(mentionsOf('how many camps')).toEqual([]);
  });

  it('keeps "flu", "cold" and generic words out', () => {
    for (const text of ['flu', 'the flu', 'a cold', 'symptoms', 'my entries', 'health', 'pain']) {
      expect([text, mentionsOf(text)]).toEqual([text, []]);
    }
  });

  it('does not read an everyday adjective describing another noun as a symptom', () => {
    expect(mentionsOf('I had weak coffee')).toEqual([]);
    expect(mentionsOf('after a sad movie')).toEqual([]);
    expect(mentionsOf('the nervous system')).toEqual([]);
    expect(mentionsOf('was I weak after lunch')).toEqual([['weakness', 'weak']]);
    expect(mentionsOf('how many sad days')).toEqual([['low_mood', 'sad']]);
    expect(mentionsOf('was I dizzy?')).toEqual([['dizziness', 'dizzy']]);
    expect(mentionsOf('weak legs')).toEqual([['weakness', 'weak legs']]);
  });

  it('keeps grammar phrases out of mentions', () => {
    expect(mentionsOf('should I be worried about my headaches')).toEqual([
      ['headache', 'headaches'],
    ]);
    expect(mentionsOf('how many headaches this weak')).toEqual([['headache', 'headaches']]);
    expect(mentionsOf('was I worried last week')).toEqual([['anxiety', 'worried']]);
  });

  const ids = (text: string): string[] => vocabulary.findMentions(text).map((m) => m.conceptId);

  it.each([
    ['my neck is killing me today', 'neck_pain'],
    ['my lower back kills me after gardening', 'back_pain'],
    ['did my throat kill me all weekend', 'sore_throat'],
    ['do my ears ring after concerts', 'tinnitus'],
    ['his ears rang all night', 'tinnitus'],
    ['my chest got tight on the stairs', 'chest_pain'],
  ])('reads body-part phrasing: %j', (text, id) => {
    expect(ids(text)).toEqual([id]);
  });

  it('lets "last" and "first" sit inside a term in a question', () => {
    expect(ids('when did my throat last hurt')).toEqual(['sore_throat']);
    expect(ids('when did the light first hurt my eyes')).toEqual(['light_sensitivity']);
  });

  it('reads a body part alone after a possessive when nothing else is named', () => {
    expect(ids('what about her neck')).toEqual(['neck_pain']);
    expect(ids('any painkiller that works for my lower back?')).toEqual(['back_pain']);
    expect(ids('what did I log about my knees')).toEqual(['joint_pain']);
    // only a possessive, only when nothing else is named, not a part that says how it felt
    expect(ids('come back in march')).toEqual([]);
    expect(ids('i slept on my back')).toEqual([]);
    expect(ids('my back itches')).toEqual(['itching']);
    expect(ids('my chest felt strange')).toEqual([]);
    expect(ids('did my tummy feel odd')).toEqual([]);
  });

  it('does not stretch a term across a comparative ("got worse over" is not "all over")', () => {
    expect(ids('my knee pain got worse over the winter')).toEqual(['joint_pain']);
    expect(ids('the neck pain has been more over there')).toEqual(['neck_pain']);
  });

  it.each(QUESTION_PHRASES)('finds no symptom in %j', (text) => {
    expect(vocabulary.findMentions(text)).toEqual([]);
  });

  it('has a long list of question phrases to check', () => {
    expect(QUESTION_PHRASES.length).toBeGreaterThanOrEqual(100);
  });

  it('finds nothing in blank text', () => {
    expect(vocabulary.findMentions('')).toEqual([]);
    expect(vocabulary.findMentions(' ?! ')).toEqual([]);
  });
});

describe('SymptomVocabulary.candidatesFor', () => {
  it('offers the closest concepts for words it cannot place', () => {
    const [sick] = vocabulary.candidatesFor('how many times was I sick');
    expect(sick.text).toBe('sick');
    expect(sick.candidates.length).toBeLessThanOrEqual(3);
    expect(sick.candidates.map((c) => c.conceptId)).toEqual(
      expect.arrayContaining(['nausea', 'vomiting']),
    );
    const [stomach] = vocabulary.candidatesFor('did my tummy feel funny');
    expect(stomach.text).toBe('tummy');
    expect(stomach.candidates[0].conceptId).toBe('abdominal_pain');
  });

  it('reports an unknown word in a symptom slot even with nothing close', () => {
    const text = 'how often do my zorbles flare up';
    const [unplaced] = vocabulary.candidatesFor(text);
    expect(unplaced).toEqual({ text: 'zorbles flare', start: 16, end: 29, candidates: [] });
    expect(text.slice(unplaced.start, unplaced.end)).toBe(unplaced.text);
    expect(vocabulary.candidatesFor('my zorbles')).toEqual([
      { text: 'zorbles', start: 3, end: 10, candidates: [] },
    ]);
  });

  it('leaves placed symptoms and question words alone', () => {
    expect(vocabulary.candidatesFor('how many headaches last week')).toEqual([]);
    expect(vocabulary.candidatesFor("what's the weather going to be tomorrow")).toEqual([]);
    expect(vocabulary.candidatesFor('')).toEqual([]);
  });

  it('respects the limit', () => {
    const [heart] = vocabulary.candidatesFor('when did my heart act up', 2);
    expect(heart.candidates).toHaveLength(2);
  });
});

describe('fuzzyBound', () => {
  it('allows no edit under 4 characters, 1 up to 7 and 2 from 8', () => {
    expect([1, 3, 4, 7, 8, 15].map(fuzzyBound)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe('plausibleTypo', () => {
  it.each([
    ['hedache', 'headache', 1, true],
    ['tierd', 'tired', 1, true],
    ['nausia', 'nausea', 1, true],
    ['tintinitus', 'tinnitus', 2, true],
    ['couch', 'cough', 1, false], // a consonant swapped: another word
    ['bash', 'rash', 1, false], // too short, and another first letter
    ['camps', 'cramps', 1, true],
    ['camp', 'cramp', 1, false], // too short
    ['diarea', 'diarrhea', 2, false], // two edits in 6 letters
  ])('%j for %j at %d edits: %s', (typed, word, distance, expected) => {
    expect(plausibleTypo(typed, word, distance)).toBe(expected);
  });
});
