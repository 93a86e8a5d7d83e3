import { findPerson } from './people';

describe('findPerson', () => {
  const household = ['Anna', 'Ben', 'Mia'];

  it.each([
    ["is Mia's fatigue getting better", 'Mia', "Mia's"],
    ['what did ben log yesterday', 'Ben', 'ben'],
    ['how many headaches did Anna have', 'Anna', 'Anna'],
    ['show Ben’s entries', 'Ben', 'Ben’s'],
  ])('%s → %s', (text, name, written) => {
    expect(findPerson(text, household)).toMatchObject({ name, text: written });
  });

  it.each(['how many headaches did I have', 'benign headaches', 'my miami trip', 'annals'])(
    'finds nobody in %p',
    (text) => expect(findPerson(text, household)).toBeNull(),
  );

  it('takes the first one named and ignores very short names', () => {
    expect(findPerson('did Mia or Anna sleep badly', household)?.name).toBe('Mia');
    expect(findPerson('what did Al log', ['Al'])).toBeNull();
  });

  it('treats names as text, not as patterns', () => {
    expect(findPerson('what did a.b log', ['a.b'])?.name).toBe('a.b');
    expect(findPerson('what did axb log', ['a.b'])).toBeNull();
  });
});
