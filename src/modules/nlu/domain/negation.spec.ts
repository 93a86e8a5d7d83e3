import { SymptomVocabulary } from '../../symptoms/domain/symptom-vocabulary';
import { EXCLUSION_CUES, markNegated, readExclusions } from './negation';

const vocabulary = SymptomVocabulary.standard();

/** The question's symptoms as "+id" (wanted) or "-id" (excluded), in text order. */
function read(text: string): string[] {
  const mentions = vocabulary.findMentions(text);
  const negated = markNegated(text, mentions);
  return mentions.map((m, i) => `${negated[i] ? '-' : '+'}${m.conceptId}`);
}

describe('markNegated', () => {
  it.each([
    ['everything except headaches', ['-headache']],
    ['everything except for headaches', ['-headache']],
    ['other than fatigue, what did I log last week', ['-fatigue']],
    ['apart from my back pain how was last week', ['-back_pain']],
    ['aside from nausea, anything else?', ['-nausea']],
    ['excluding nausea', ['-nausea']],
    ['show my entries, exclude migraines', ['-migraine']],
    ['not counting migraines', ['-migraine']],
    ['not including the headaches', ['-headache']],
    ['dizziness but not headaches', ['+dizziness', '-headache']],
    ['headaches and not migraines', ['+headache', '-migraine']],
    ['everything but headaches', ['-headache']],
    ['all symptoms but nausea', ['-nausea']],
    ['show my entries without the headaches', ['-headache']],
    ['how many days without headaches', ['-headache']],
    ['days with no headaches last month', ['-headache']],
    ['show my symptoms from last week except headaches', ['-headache']],
    ['ignore the migraines', ['-migraine']],
    ['everything minus the back pain', ['-back_pain']],
    ['what was my most common symptom other than headaches', ['-headache']],
    ['list symptoms apart from the usual headaches', ['-headache']],
    ['except for the days with migraines', ['-migraine']],
    ['headaches excluded, what else did I have', ['-headache']],
    ['migraines aside, how was october', ['-migraine']],
  ])('reads %j as %j', (text, expected) => {
    expect(read(text)).toEqual(expected);
  });

  it.each([
    ['all symptoms except nausea and dizziness', ['-nausea', '-dizziness']],
    ['all symptoms except headaches or nausea', ['-headache', '-nausea']],
    ['except headaches, nausea, and my back pain', ['-headache', '-nausea', '-back_pain']],
    ['without counting my headaches and nausea how many entries', ['-headache', '-nausea']],
  ])('excludes every symptom of a list: %j', (text, expected) => {
    expect(read(text)).toEqual(expected);
  });

  it.each([
    ['everything except headaches, and show nausea', ['-headache', '+nausea']],
    ['except headaches. how many migraines', ['-headache', '+migraine']],
    ['nausea, except headaches', ['+nausea', '-headache']],
    ['except on the worst days of this whole month my headaches', ['+headache']],
  ])('ends the exclusion where the list ends: %j', (text, expected) => {
    expect(read(text)).toEqual(expected);
  });

  describe('besides', () => {
    it.each([
      ['what else besides cough', ['-cough']],
      ['any symptoms besides cough', ['-cough']],
      ['besides headaches, what did I log', ['-headache']],
      ['besides headaches, did I have nausea', ['-headache', '+nausea']],
    ])('excludes when the question asks about something else: %j', (text, expected) => {
      expect(read(text)).toEqual(expected);
    });

    it('excludes nothing when it only adds ("in addition")', () => {
      expect(read('how many coughs besides')).toEqual(['+cough']);
      expect(read('besides cough')).toEqual(['+cough']);
    });
  });

  it.each([
    ['how many nights did I not sleep', ['+insomnia']],
    ["how many nights couldn't I sleep", ['+insomnia']],
    ['how often could I not sleep', ['+insomnia']],
    ['days with no energy', ['+fatigue']],
    ["I don't have a headache", ['+headache']],
    ['I did not have a headache', ['+headache']],
    ['no headaches last week?', ['+headache']],
    ['was I not tired', ['+fatigue']],
    ['how many headaches and nausea', ['+headache', '+nausea']],
    ['do my headaches and nausea happen together', ['+headache', '+nausea']],
    ['not hungry for days', ['+loss_of_appetite']],
    ['when did I last feel not hungry', ['+loss_of_appetite']],
  ])('does not read a symptom described negatively as excluded: %j', (text, expected) => {
    expect(read(text)).toEqual(expected);
  });

  it('answers in the order of the mentions given', () => {
    const text = 'headaches but not nausea';
    const [headache, nausea] = vocabulary.findMentions(text);
    expect(markNegated(text, [nausea, headache])).toEqual([true, false]);
  });

  it('gives nothing for no mentions', () => {
    expect(markNegated('everything except', [])).toEqual([]);
  });

  it('names the cues it used, with their spans', () => {
    const text = 'Everything EXCEPT headaches';
    const { negated, cues } = readExclusions(text, vocabulary.findMentions(text));
    expect(negated).toEqual([true]);
    expect(cues).toEqual([{ id: 'except', start: 11, end: 17 }]);
  });

  it('handles curly apostrophes and capitals', () => {
    expect(read('Everything OTHER THAN my back pain')).toEqual(['-back_pain']);
    expect(read('Couldn\u2019t I sleep?')).toEqual(['+insomnia']);
  });

  it('has unique cue ids', () => {
    const ids = EXCLUSION_CUES.map((cue) => cue.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
