import {
  applySpellingRules,
  foldSpelling,
  normaliseText,
  stemToken,
  tokenise,
  tokeniseWithOffsets,
} from './text-normalisation';

describe('normaliseText', () => {
  it.each([
    ['Headache', 'headache'],
    ['  Couldn\u2019t   SLEEP!! ', 'couldnt sleep'],
    ["couldn't sleep", 'couldnt sleep'],
    ['Naïve café crème', 'naive cafe creme'],
    ['Muscle aches & pains', 'muscle aches and pains'],
    ['head-ache/nausea (mild)', 'head ache nausea mild'],
    ['\tback\n ache ', 'back ache'],
    ['', ''],
    ['   ', ''],
    ['?!', ''],
  ])('normalises %j to %j', (input, expected) => {
    expect(normaliseText(input)).toBe(expected);
  });
});

describe('foldSpelling', () => {
  it.each([
    ['diarrhoea', 'diarrhea'],
    ['dysmenorrhoea', 'dysmenorrhea'],
    ['dyspnoea', 'dyspnea'],
    ['oesophagus pain', 'esophagus pain'],
    ['oedema', 'edema'],
    ['haemorrhage', 'hemorrhage'],
    ['anaemia', 'anemia'],
    ['paraesthesia', 'paresthesia'],
    ['paediatric', 'pediatric'],
    ['faeces', 'feces'],
    ['laboured breathing', 'labored breathing'],
    ['tumour', 'tumor'],
    ['generalised itching', 'generalized itching'],
    ['paralysed', 'paralyzed'],
    ['realise', 'realize'],
  ])('folds the British %j to %j', (british, american) => {
    expect(foldSpelling(british)).toBe(american);
  });

  it.each([
    ['can not sleep', 'cant sleep'],
    ['cannot sleep', 'cant sleep'],
    ['could not sleep', 'couldnt sleep'],
    ['did not sleep well', 'didnt sleep well'],
    ['sleepless nites', 'sleepless night'],
  ])('folds the informal %j to %j', (informal, folded) => {
    expect(foldSpelling(informal)).toBe(folded);
  });

  it.each(['four hours', 'your tour', 'shoe toe poem', 'aerobics', 'noise', 'exercise'])(
    'leaves %j alone',
    (text) => {
      expect(foldSpelling(text)).toBe(text);
    },
  );
});

describe('applySpellingRules', () => {
  it('applies the rules in order', () => {
    const rules = [
      { pattern: /a/g, replacement: 'b' },
      { pattern: /b/g, replacement: 'c' },
    ];
    expect(applySpellingRules('aab', rules)).toBe('ccc');
    expect(applySpellingRules('aab', [])).toBe('aab');
  });
});

describe('tokenise', () => {
  it('normalises, folds and splits', () => {
    expect(tokenise("Couldn't sleep — diarrhoea!")).toEqual(['couldnt', 'sleep', 'diarrhea']);
  });

  it('gives no token for blank text', () => {
    expect(tokenise('')).toEqual([]);
    expect(tokenise(' \t ')).toEqual([]);
  });
});

describe('tokeniseWithOffsets', () => {
  it.each([
    "Couldn't sleep — diarrhoea!",
    'How many HEDACHES & nausea did I have last month?',
    'when did I last feel light-headed',
    'Naïve café crème, oedema',
    'could not sleep, did not eat, cannot breathe',
    'I can not sleep at nites',
    '  what\u2019s   the weather?? ',
    '',
    '?!',
  ])('gives the words of tokenise for %j', (text) => {
    expect(tokeniseWithOffsets(text).map((t) => t.word)).toEqual(tokenise(text));
  });

  it('points at each word as written', () => {
    const text = 'How many HEDACHES & nausea?';
    expect(tokeniseWithOffsets(text).map((t) => [t.word, text.slice(t.start, t.end)])).toEqual([
      ['how', 'How'],
      ['many', 'many'],
      ['hedaches', 'HEDACHES'],
      ['and', '&'],
      ['nausea', 'nausea'],
    ]);
  });

  it('keeps apostrophes inside a word and spans merged negations', () => {
    const text = "I couldn't sleep, could not eat";
    const tokens = tokeniseWithOffsets(text);
    expect(tokens.map((t) => t.word)).toEqual(['i', 'couldnt', 'sleep', 'couldnt', 'eat']);
    expect(text.slice(tokens[1].start, tokens[1].end)).toBe("couldn't");
    expect(text.slice(tokens[3].start, tokens[3].end)).toBe('could not');
  });

  it('marks punctuation between words as a break, but not hyphens or spaces', () => {
    const breaks = tokeniseWithOffsets('light-headed, dizzy; head ache').map((t) => t.breakBefore);
    expect(breaks).toEqual([false, false, true, true, false]);
  });

  it('does not merge "not" across punctuation', () => {
    expect(tokeniseWithOffsets('could. not').map((t) => t.word)).toEqual(['could', 'not']);
  });
});

describe('stemToken', () => {
  it.each([
    ['headaches', 'headach'],
    ['pains', 'pain'],
    ['aches', 'ach'],
    ['coughing', 'cough'],
    ['sneezing', 'sneez'],
    ['itching', 'itch'],
    ['itchy', 'itch'],
    ['vomitting', 'vomit'],
    ['bodies', 'body'],
    ['worried', 'worry'],
    ['throbbing', 'throb'],
    ['swelling', 'swell'],
  ])('stems %j to %j', (word, stem) => {
    expect(stemToken(word)).toBe(stem);
  });

  it.each([
    ['headaches', 'headache', 'headachy'],
    ['pains', 'pain'],
    ['aches', 'ache', 'aching', 'ached', 'achy'],
    ['coughing', 'coughs', 'coughed', 'cough'],
    ['sneezing', 'sneeze', 'sneezes', 'sneezed', 'sneezy', 'sneezeing'],
    ['itching', 'itchy', 'itches', 'itched', 'itch'],
    ['vomiting', 'vomitting', 'vomited', 'vomits', 'vomit'],
    ['tingling', 'tingle', 'tingles', 'tingly'],
    ['threw', 'throw', 'throwing', 'thrown', 'throws'],
    ['peeing', 'pee', 'pees'],
    ['migraines', 'migraine'],
    ['stomache', 'stomach', 'stomachs'],
    ['fatigued', 'fatigue'],
    ['swollen', 'swelling', 'swell'],
  ])('gives %j and its forms one stem', (...forms) => {
    expect(new Set(forms.map(stemToken)).size).toBe(1);
  });

  it.each([
    'tired',
    'being',
    'dizziness',
    'nauseous',
    'tinnitus',
    'arthritis',
    'sinus',
    'gas',
    'was',
    'bring',
    'need',
    'bleed',
    'eye',
    '2nd',
    'constructor',
    'valueof',
  ])('leaves %j as it is', (word) => {
    expect(stemToken(word)).toBe(word);
  });

  it('keeps words apart that only look alike', () => {
    expect(stemToken('tired')).not.toBe(stemToken('tire'));
    expect(stemToken('sleepy')).not.toBe(stemToken('sleep'));
    expect(stemToken('breath')).toBe(stemToken('breathing'));
  });
});
