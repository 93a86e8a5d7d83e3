import { InvalidInputError } from '../../../shared/domain/domain-error';
import { SymptomCatalog } from './symptom-catalog';
import { resolveSymptomName, validateFilter } from './symptom-entry-filter';
import { SymptomVocabulary } from './symptom-vocabulary';

const catalog = SymptomCatalog.standard;

function problemsOf(run: () => unknown): { name: string; reason: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return [...(error as InvalidInputError).invalidParameters];
  }
  throw new Error('expected an InvalidInputError');
}

describe('validateFilter', () => {
  it('accepts a plain filter and removes duplicate ids', () => {
    const filter = validateFilter({ conceptIds: ['headache', 'headache', 'nausea'] }, catalog);
    expect(filter.conceptIds).toEqual(['headache', 'nausea']);
  });

  it('always lists exclusions, de-duplicated', () => {
    expect(validateFilter({ conceptIds: [] }, catalog).excludedConceptIds).toEqual([]);
    expect(
      validateFilter({ conceptIds: [], excludedConceptIds: ['headache', 'headache'] }, catalog)
        .excludedConceptIds,
    ).toEqual(['headache']);
  });

  it('refuses unknown excluded ids, and a symptom both asked for and excluded', () => {
    expect(
      problemsOf(() =>
        validateFilter(
          { conceptIds: ['headache', 'nausea'], excludedConceptIds: ['nope', 'nausea'] },
          catalog,
        ),
      ),
    ).toEqual([
      { name: 'exclude', reason: "unknown symptom id 'nope'" },
      { name: 'exclude', reason: "symptom 'nausea' cannot be both asked for and excluded" },
    ]);
  });

  it('names an unknown symptom id without echoing free text', () => {
    const problems = problemsOf(() =>
      validateFilter({ conceptIds: ['not_a_symptom', '<script>'] }, catalog),
    );
    expect(problems).toEqual([
      { name: 'symptom', reason: "unknown symptom id 'not_a_symptom'" },
      { name: 'symptom', reason: "unknown symptom id '…'" },
    ]);
  });

  it('refuses a range whose start is not before its end', () => {
    const day = new Date('2026-02-01T00:00:00Z');
    expect(
      problemsOf(() => validateFilter({ conceptIds: [], from: day, to: day }, catalog)),
    ).toEqual([{ name: 'from', reason: 'from must be before to' }]);
  });

  it('refuses severities out of range and a minimum above the maximum', () => {
    expect(
      problemsOf(() => validateFilter({ conceptIds: [], minSeverity: 11 }, catalog)).map(
        (p) => p.name,
      ),
    ).toEqual(['minSeverity']);
    expect(
      problemsOf(() => validateFilter({ conceptIds: [], minSeverity: 8, maxSeverity: 3 }, catalog)),
    ).toEqual([{ name: 'minSeverity', reason: 'minSeverity must not exceed maxSeverity' }]);
  });

  it('collects every problem in one error', () => {
    const error = (() => {
      try {
        validateFilter({ conceptIds: ['nope'], minSeverity: -1 }, catalog);
      } catch (e) {
        return e as InvalidInputError;
      }
      throw new Error('expected an error');
    })();
    expect(error.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(error.message).toBe('The request has 2 invalid parameters: symptom, minSeverity.');
  });
});

describe('resolveSymptomName', () => {
  const vocabulary = SymptomVocabulary.standard();

  it('maps a name however it was typed', () => {
    expect(resolveSymptomName('head ache', vocabulary)).toBe('headache');
    expect(resolveSymptomName('migrane', vocabulary)).toBe('migraine');
  });

  it('refuses a name it cannot place, naming the parameter', () => {
    const problems = problemsOf(() => resolveSymptomName('qwertyuiop', vocabulary, 'symptomName'));
    expect(problems).toEqual([
      { name: 'symptomName', reason: 'no catalog symptom matches this name' },
    ]);
  });
});
