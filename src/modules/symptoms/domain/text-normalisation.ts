/**
 * Text normalisation for matching symptom names: small pure functions, each with its own tests.
 *
 * The pipeline used by the symptom vocabulary is
 *   normaliseText -> foldSpelling -> split on spaces -> stemToken (per token),
 * applied identically to the lexicon terms and to what people type, so that the two meet.
 * Stems are comparison keys, not words: 'sneezing' and 'sneeze' both become 'sneez'.
 */

/** A rewrite applied to normalised text (lowercase, single-spaced, no punctuation). */
export interface SpellingRule {
  readonly pattern: RegExp;
  readonly replacement: string;
}

/**
 * British -> American spellings that matter for symptom names. Applied to whole normalised text;
 * each rule is anchored so that it only touches the word families it names.
 */
export const BRITISH_TO_AMERICAN: readonly SpellingRule[] = [
  { pattern: /rhoea/g, replacement: 'rhea' }, // diarrhoea, rhinorrhoea, dysmenorrhoea
  { pattern: /pnoea/g, replacement: 'pnea' }, // dyspnoea, apnoea
  { pattern: /\boe(?=soph|dem|strog)/g, replacement: 'e' }, // oesophagus, oedema, oestrogen
  { pattern: /aem/g, replacement: 'em' }, // haemorrhage, anaemia, leukaemia, ischaemia
  { pattern: /(?<=gyn|f|c)aec/g, replacement: 'ec' }, // gynaecology, faeces, caecum
  { pattern: /aesthe/g, replacement: 'esthe' }, // paraesthesia, anaesthetic
  { pattern: /paed/g, replacement: 'ped' }, // paediatric
  { pattern: /\bfoet/g, replacement: 'fet' }, // foetal
  { pattern: /\b(colo|tumo|humo|behavio|odo|labo|favo|flavo|vapo)ur/g, replacement: '$1r' },
  { pattern: /\b(cent|lit|met|fib)re(s?)\b/g, replacement: '$1er$2' }, // centre, fibre
  { pattern: /\b(paraly|analy)s(e|ed|es|ing)\b/g, replacement: '$1z$2' }, // paralysed
  { pattern: /\b(local|general|real|recogn|organ)is(e|ed|es|ing|ation)\b/g, replacement: '$1iz$2' },
  { pattern: /sulph/g, replacement: 'sulf' },
  { pattern: /\bageing\b/g, replacement: 'aging' },
];

/** Informal spellings folded to one written form: negated auxiliaries and text-speak. */
export const INFORMAL_SPELLINGS: readonly SpellingRule[] = [
  { pattern: /\bcan ?not\b/g, replacement: 'cant' },
  { pattern: /\b(could|would|do|does|did|is|was|are|have|has|had) not\b/g, replacement: '$1nt' },
  { pattern: /\bnites?\b/g, replacement: 'night' },
  { pattern: /\btmrw\b/g, replacement: 'tomorrow' },
];

const APOSTROPHES = /['\u2018\u2019\u02bc`\u00b4]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NON_ALPHANUMERIC = /[^a-z0-9]+/g;

/**
 * Lowercases, strips accents, drops apostrophes ("couldn't" -> "couldnt"), turns '&' into
 * 'and', every other punctuation into a space, collapses whitespace and trims.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(/&/g, ' and ')
    .replace(NON_ALPHANUMERIC, ' ')
    .trim();
}

/** Applies rewrite rules, in order, to normalised text. */
export function applySpellingRules(text: string, rules: readonly SpellingRule[]): string {
  let folded = text;
  for (const rule of rules) folded = folded.replace(rule.pattern, rule.replacement);
  return folded;
}

/** Folds British spellings and informal variants of normalised text to one form. */
export function foldSpelling(normalised: string): string {
  return applySpellingRules(
    applySpellingRules(normalised, BRITISH_TO_AMERICAN),
    INFORMAL_SPELLINGS,
  );
}

/** Normalises, folds spellings and splits into tokens (no stemming). */
export function tokenise(text: string): string[] {
  const folded = foldSpelling(normaliseText(text));
  return folded === '' ? [] : folded.split(' ');
}

/** A token of `tokeniseWithOffsets`: the word as `tokenise` gives it, and where it was written. */
export interface WordSpan {
  /** Normalised and folded, as in `tokenise` (not stemmed). */
  readonly word: string;
  /** Offsets in the original text: `text.slice(start, end)` is what was typed. */
  readonly start: number;
  readonly end: number;
  /**
   * Punctuation other than a hyphen stands between this word and the one before ("headache,
   * nausea"): a phrase should not be read across it. False for the first word.
   */
  readonly breakBefore: boolean;
}

/** A run of letters and digits, apostrophes inside it included ("couldn't"), or an ampersand. */
const WORD_RUN = /[\p{L}\p{N}]+(?:['\u2018\u2019\u02bc`\u00b4][\p{L}\p{N}]+)*|&/gu;
/** Separators that do not break a phrase: spaces and hyphens ("light-headed"). */
const SOFT_GAP = /^[\s\-\u2010\u2011]*$/u;

/**
 * `tokenise`, keeping each word's position in the original text, so that what a longer text
 * mentions can be pointed at. The words are those of `tokenise(text)`, except that no two words
 * are merged across punctuation; where a spelling rule merges two words ("could not" ->
 * "couldnt") the token spans both. A written word that
 * normalises to several ("œdema" -> "dema") gives each the whole word's span.
 */
export function tokeniseWithOffsets(text: string): WordSpan[] {
  const words: WordSpan[] = [];
  let previousEnd = 0;
  for (const match of text.matchAll(WORD_RUN)) {
    const start = match.index;
    const end = start + match[0].length;
    const gap = text.slice(previousEnd, start);
    let breakBefore = words.length > 0 && !SOFT_GAP.test(gap);
    previousEnd = end;
    const normalised = match[0] === '&' ? 'and' : normaliseText(match[0]);
    if (normalised === '') continue;
    for (const piece of foldSpelling(normalised).split(' ')) {
      const previous = words[words.length - 1];
      // Informal rules are the only ones spanning two words ("can not", "did not").
      if (previous && !breakBefore && piece === 'not') {
        const merged = applySpellingRules(`${previous.word} not`, INFORMAL_SPELLINGS);
        if (!merged.includes(' ')) {
          words[words.length - 1] = { ...previous, word: merged, end };
          continue;
        }
      }
      words.push({ word: piece, start, end, breakBefore });
      breakBefore = false;
    }
  }
  return words;
}

/**
 * Irregular forms the suffix rules cannot see, mapped to the word they stem like.
 * Keys are normalised tokens; values are stemmed again by `stemToken`.
 */
export const IRREGULAR_FORMS: Readonly<Record<string, string>> = {
  itchy: 'itch',
  achy: 'ache',
  achey: 'ache',
  shaky: 'shake',
  shakey: 'shake',
  tingly: 'tingle',
  wheezy: 'wheeze',
  sneezy: 'sneeze',
  crampy: 'cramp',
  sweaty: 'sweat',
  headachy: 'headache',
  threw: 'throw',
  thrown: 'throw',
  felt: 'feel',
  slept: 'sleep',
  swollen: 'swell',
  woke: 'wake',
  woken: 'wake',
};

const IRREGULAR: ReadonlyMap<string, string> = new Map(Object.entries(IRREGULAR_FORMS));

/** Words the suffix rules must leave alone ('tired' is not 'tire'; 'being' is not 'be'). */
const PROTECTED = new Set(['tired', 'being', 'during', 'nothing', 'something', 'morning']);

const VOWEL = /[aeiouy]/;
const UNDOUBLED = /(bb|dd|gg|mm|nn|pp|rr|tt)$/;

function stripPlural(token: string): string {
  if (token.length >= 5 && token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  if (token.length < 4 || !token.endsWith('s')) return token;
  if (/(ss|us|is)$/.test(token)) return token;
  return token.slice(0, -1);
}

function stripVerbSuffix(token: string): string {
  let stem = token;
  if (token.endsWith('ing')) stem = token.slice(0, -3);
  else if (token.endsWith('ied') && token.length >= 5) return `${token.slice(0, -3)}y`;
  else if (token.endsWith('ed') && !token.endsWith('eed')) stem = token.slice(0, -2);
  if (stem === token || stem.length < 3 || !VOWEL.test(stem)) return token;
  return UNDOUBLED.test(stem) ? stem.slice(0, -1) : stem;
}

function stripFinalE(token: string): string {
  return token.length >= 4 && token.endsWith('e') && !token.endsWith('ee')
    ? token.slice(0, -1)
    : token;
}

/**
 * A light, conservative stemmer producing comparison keys: plurals ('headaches', 'pains'),
 * -ing and -ed forms ('coughing', 'sneezing', 'vomitted'), a final silent 'e' ('sneeze', 'ache'),
 * plus the irregular forms above ('itchy', 'threw', 'slept'). Digits and short words pass through.
 */
export function stemToken(token: string): string {
  const irregular = IRREGULAR.get(token);
  if (irregular !== undefined) return stemToken(irregular);
  if (PROTECTED.has(token) || token.length < 4 || /\d/.test(token)) return token;
  return stripFinalE(stripVerbSuffix(stripPlural(token)));
}
