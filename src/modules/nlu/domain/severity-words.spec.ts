import { SymptomVocabulary } from '../../symptoms/domain/symptom-vocabulary';
import { SEVERITY_WORD_RULES, readSeverityFilter } from './severity-words';

const vocabulary = SymptomVocabulary.standard();

/** The filter read from a question, with its symptom mentions ignored as the NLU does. */
const filterOf = (text: string) => readSeverityFilter(text, vocabulary.findMentions(text)).filter;

describe('readSeverityFilter', () => {
  describe('words describing the entries wanted', () => {
    it.each([
      ['how many bad headaches', 7, null],
      ['how many severe headaches this year', 7, null],
      ['really bad migraines last month', 7, null],
      ['very bad back pain days', 7, null],
      ['terrible cramps', 7, null],
      ['awful nausea in october', 7, null],
      ['intense headaches', 7, null],
      ['strong headaches', 7, null],
      ['excruciating back pain', 7, null],
      ['show the bad ones', 7, null],
      ['any severe episodes?', 7, null],
      ['how many headaches were severe', 7, null],
      ['how often was my back pain bad', 7, null],
      ['mild back pain days', null, 3],
      ['how many mild back pain days in september', null, 3],
      ['a slight headache', null, 3],
      ['minor headaches', null, 3],
      ['how many were mild', null, 3],
      ['moderate headaches last week', 4, 6],
      ['mild to moderate headaches', null, 6],
      ['moderate to severe pain', 4, null],
    ])('%j -> min %p, max %p', (text, min, max) => {
      expect(filterOf(text)).toEqual({ min, max });
    });
  });

  describe('numbers', () => {
    it.each([
      ['headaches above 5', 6, null],
      ['headaches over 7', 8, null],
      ['at least 8 out of 10', 8, null],
      ['headaches rated 7 or more', 7, null],
      ['severity of 5 or higher', 5, null],
      ['headaches 7+', 7, null],
      ['severity >= 7', 7, null],
      ['severity > 6', 7, null],
      ['pain level over 6 last week', 7, null],
      ['severity more than 5', 6, null],
      ['headaches more than 5/10', 6, null],
      ['below 4', null, 3],
      ['under 3', null, 2],
      ['how many headaches under 5 this month', null, 4],
      ['at most 3', null, 3],
      ['3 or less', null, 3],
      ['severity < 4', null, 3],
      ['severity less than 4', null, 3],
      ['severity between 4 and 6', 4, 6],
      ['headaches rated 8', 8, 8],
      ['8/10 headaches', 8, 8],
      ['above 3 and below 7', 4, 6],
    ])('%j -> min %p, max %p', (text, min, max) => {
      expect(filterOf(text)).toEqual({ min, max });
    });

    it.each([
      'over the last 3 months',
      'how has my insomnia changed over the last 3 months',
      'over 7 headaches last month',
      'more than 3 times',
      'more than 3 headaches',
      'at least 3 times a week',
      'between october 10 and october 20',
      'in the past 2 weeks',
      'how bad was the pins and needles in my hands 3 days ago',
      'under 2 weeks ago',
      'above 20',
      'headaches over 10',
    ])('reads no severity in %j', (text) => {
      expect(filterOf(text)).toBeNull();
    });
  });

  describe('questions about severity, comparisons and negations', () => {
    it.each([
      'how bad was my back pain',
      'How bad was my back pain last week?',
      'how severe has it been',
      'how severe were my migraines',
      'how really bad was it',
      'what was the average severity of my migraines in october',
      'worst my joints have hurt this month?',
      'my worst headache',
      'is my back pain getting worse',
      'are my tummy aches getting worse',
      'not so bad',
      'it was not too bad',
      "it wasn't that bad",
      'was it bad?',
      'were they bad?',
      'how bad were they?',
      'was my headache severe',
      'was it as bad as last week',
      'did I feel bad',
      'did my bad back hurt',
      'how many nights of bad sleep',
      'how many days did I sleep badly',
      'Is my fatigue getting better?',
      'How many headaches did I have last week?',
    ])('reads no filter in %j', (text) => {
      expect(filterOf(text)).toBeNull();
    });
  });

  it('says which words it read and where', () => {
    const text = 'How many REALLY BAD headaches?';
    expect(readSeverityFilter(text)).toEqual({
      filter: { min: 7, max: null },
      text: 'REALLY BAD',
      start: 9,
      end: 19,
      rule: 'severe',
    });
    const range = readSeverityFilter('above 3 and below 7');
    expect(range).toEqual(
      expect.objectContaining({ text: 'above 3 and below 7', rule: 'above+below' }),
    );
  });

  it('ignores severity words inside the given spans', () => {
    const text = 'how many days with my bad back';
    expect(readSeverityFilter(text, [{ start: 22, end: 30 }]).filter).toBeNull();
    expect(readSeverityFilter('how many severe headaches', [{ start: 0, end: 5 }]).filter).toEqual({
      min: 7,
      max: null,
    });
  });

  it('keeps the first of two conflicting bounds', () => {
    expect(filterOf('above 7 and below 3')).toEqual({ min: 8, max: null });
  });

  it('gives no filter for blank text', () => {
    expect(readSeverityFilter('')).toEqual({ filter: null });
  });

  it('has unique rule ids', () => {
    const ids = SEVERITY_WORD_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
