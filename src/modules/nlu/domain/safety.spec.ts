import { SAFETY_RULES, assessSafety, foldForSafety } from './safety';

describe('assessSafety', () => {
  describe('emergencies happening now', () => {
    it.each([
      ['I have crushing chest pain right now and my left arm is numb', 'chest_pain'],
      ['crushing chest pain', 'chest_pain'],
      ['my chest feels tight and the pain is going down my left arm', 'chest_pain'],
      ['pressure in my chest spreading to my jaw', 'chest_pain'],
      ['chest pain and my left arm hurts', 'chest_pain'],
      ['chest pain rn', 'chest_pain'],
      ['CHEST PAIN RIGHT NOW', 'chest_pain'],
      ['chest pian rn', 'chest_pain'],
      ["I think I'm having a heart attack", 'chest_pain'],
      ["I had crushing chest pain an hour ago and it's still there", 'chest_pain'],
      ["I can't breathe", 'breathing'],
      ['cant breath', 'breathing'],
      ['i cannot breathe help', 'breathing'],
      ['struggling to breathe', 'breathing'],
      ['gasping for air', 'breathing'],
      ['his lips are turning blue', 'breathing'],
      ['blue lips', 'breathing'],
      ['my son is choking', 'breathing'],
      ["he's not breathing", 'breathing'],
      ["I'm having trouble breathing right now", 'breathing'],
      ['my dad collapsed', 'collapse'],
      ["my wife just fainted and won't wake up", 'collapse'],
      ['someone collapsed in the street', 'collapse'],
      ['she is unresponsive', 'collapse'],
      ['he is unconscious', 'collapse'],
      ["I can't wake him up", 'collapse'],
      ['her face is drooping and her speech is slurred', 'stroke'],
      ['my mum is slurring her words', 'stroke'],
      ['sudden weakness on one side of my body', 'stroke'],
      ['one side of my face is numb', 'stroke'],
      ["I can't lift my arm", 'stroke'],
      ['I think he is having a stroke', 'stroke'],
      ["I'm bleeding heavily and it won't stop", 'bleeding'],
      ['the bleeding wont stop', 'bleeding'],
      ["I'm coughing up blood", 'bleeding'],
      ["I've been vomiting blood", 'bleeding'],
      ['my throat is swelling up', 'other'],
      ["I think I'm having an anaphylactic reaction", 'other'],
      ['allergic reaction and my lips are swelling', 'other'],
      ['my daughter is having a seizure', 'other'],
      ['he is seizing', 'other'],
    ])('%j is urgent (%s)', (text, kind) => {
      expect(assessSafety(text)).toEqual(expect.objectContaining({ urgent: true, kind }));
    });
  });

  describe('thoughts of suicide or self-harm', () => {
    it.each([
      'I want to kill myself',
      'i want to end it all',
      'thinking about hurting myself',
      "I don't want to live anymore",
      'I do not want to be alive',
      'I feel suicidal',
      'suicidal thoughts again',
      'I just want to die',
      "I'd be better off dead",
      'I want to hurt myself',
      "I've been self harming",
      'I took all my pills',
      'I felt suicidal last night',
    ])('%j is urgent (self_harm)', (text) => {
      expect(assessSafety(text)).toEqual(
        expect.objectContaining({ urgent: true, kind: 'self_harm' }),
      );
    });

    it('treats a question about the diary as a diary question, saying what it saw', () => {
      expect(assessSafety('did I feel suicidal last month?')).toEqual({
        urgent: false,
        rule: 'self_harm.suicidal',
        text: 'suicidal',
        suppressedBy: 'diary_question',
      });
      expect(assessSafety('how many times did I log suicidal thoughts').urgent).toBe(false);
    });

    it.each([
      'this headache is killing me',
      'my boss will kill me',
      'am I going to die from this headache',
      'I cut myself shaving',
      'I feel so tired I could die',
      'I hurt myself at the gym',
    ])('does not read the figure of speech %j as self-harm', (text) => {
      expect(assessSafety(text).urgent).toBe(false);
    });
  });

  describe('the diary, the past and hypotheticals', () => {
    it.each([
      'how many times did I pass out',
      'when did I last have chest pain',
      'show my shortness of breath entries',
      'how bad was my chest pain last week',
      'how often did I have trouble breathing',
      'when did I last have trouble breathing',
      'how many times was I unconscious',
      'when did I last have a seizure',
      'how many days of heavy bleeding',
      'do I get chest pain and back pain together',
      'log that I fainted yesterday',
      'did I have a tight chest in october',
      'show me entries where I couldnt breathe',
      'whenever my chest feels tight do i also get dizzy',
    ])('a question about the diary is not urgent: %j', (text) => {
      expect(assessSafety(text).urgent).toBe(false);
    });

    it.each([
      'I had crushing chest pain last week',
      'my dad collapsed 3 years ago',
      'I was choking on food yesterday',
      'my grandma had a stroke in 2019',
    ])('an event dated in the past is not urgent: %j', (text) => {
      expect(assessSafety(text)).toEqual(
        expect.objectContaining({ urgent: false, suppressedBy: 'past' }),
      );
    });

    it.each([
      'what should I do if someone collapses',
      'what if I get crushing chest pain',
      'how do I know if my throat is swelling',
    ])('a hypothetical is not urgent, but names the rule: %j', (text) => {
      const safety = assessSafety(text);
      expect(safety.urgent).toBe(false);
      expect(safety.suppressedBy).toBe('hypothetical');
      expect(safety.rule).toBeDefined();
    });

    it('lets a present marker override the framing', () => {
      expect(
        assessSafety('I had crushing chest pain last week and it is back right now').urgent,
      ).toBe(true);
      expect(assessSafety('how many times did I pass out, my dad just collapsed').urgent).toBe(
        true,
      );
    });
  });

  describe('not emergencies', () => {
    it.each([
      'I have chest pain',
      'I have trouble breathing',
      'I passed out',
      'heavy bleeding during my period',
      'my blood pressure was high',
      'How many headaches did I have last week?',
      'hi there',
      'thanks a lot!',
      "what's the weather going to be tomorrow",
      'how many headaches have I had up to now',
      'I feel dizzy',
      'show my nausea entries from last week',
      'what should I take for my cough?',
      'what are the signs of a stroke',
      '',
    ])('%j is not urgent', (text) => {
      expect(assessSafety(text)).toEqual({ urgent: false });
    });
  });

  it('names the rule and the words it matched', () => {
    expect(assessSafety('cant breath rn')).toEqual({
      urgent: true,
      kind: 'breathing',
      rule: 'breathing.cant_breathe',
      text: 'cant breath',
    });
  });

  it('folds apostrophes, capitals and typos', () => {
    expect(foldForSafety("I  CAN'T  breth")).toBe('i cant breathe');
    expect(foldForSafety('could not breathe')).toBe('couldnt breathe');
    expect(foldForSafety('chest pian')).toBe('chest pain');
  });

  it('has unique rule ids naming their kind', () => {
    const ids = SAFETY_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of SAFETY_RULES) expect(rule.id.startsWith(`${rule.kind}.`)).toBe(true);
  });
});
