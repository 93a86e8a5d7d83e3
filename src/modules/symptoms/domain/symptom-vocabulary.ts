import { consonantSubstitutions, editDistance } from './edit-distance';
import { SymptomCatalog } from './symptom-catalog';
import {
  FILLER_WORDS,
  GRAMMAR_PHRASES,
  LITERAL_TERMS,
  MODIFIER_TERMS,
  NEGATION_WORDS,
  NEVER_CORRECTED,
  QUALIFIER_WORDS,
  QUESTION_WORDS,
  SYMPTOM_LEXICON,
  TOKEN_SYNONYMS,
} from './symptom-lexicon';
import {
  type WordSpan,
  normaliseText,
  stemToken,
  tokenise,
  tokeniseWithOffsets,
} from './text-normalisation';

export type VocabularyMatchKind = 'exact' | 'fuzzy';

/** A symptom named by a phrase: the concept, the lexicon term it matched and how closely. */
export interface VocabularyMatch {
  conceptId: string;
  /** The lexicon term, as written in the lexicon. */
  term: string;
  kind: VocabularyMatchKind;
  /** Edits needed to reach the term (0 for exact matches). */
  distance: number;
}

/** A concept close to a phrase, for a clarifying reply ("did you mean ..."). */
export interface VocabularyCandidate {
  conceptId: string;
  term: string;
  /** 0..1, higher is closer; 1 when the phrase names the concept outright. */
  score: number;
}

/** A symptom named somewhere in a longer text (a chat question). */
export interface SymptomMention {
  conceptId: string;
  /** The words as written in the original text: `text.slice(start, end)`. */
  text: string;
  /** Span in the original text, `end` exclusive. */
  start: number;
  end: number;
  kind: VocabularyMatchKind;
  /** The lexicon term matched, as written in the lexicon. */
  term: string;
}

/** Words of a question that look like a symptom the vocabulary cannot place ("my zorbles"). */
export interface UnplacedPhrase {
  text: string;
  start: number;
  end: number;
  /** The closest concepts, best first (may be empty: nothing is close enough). */
  candidates: VocabularyCandidate[];
}

/**
 * Words after which a question names a symptom ("my …", "how many …", "did I have …"): an
 * unknown word there is reported as unplaced even when nothing in the lexicon is close to it.
 */
const SYMPTOM_SLOT_WORDS: ReadonlySet<string> = new Set([
  'my',
  'the',
  'many',
  'any',
  'of',
  'some',
  'have',
  'had',
  'feel',
  'felt',
  'get',
  'got',
]);

/** Edits tolerated in a token or phrase of `length` characters (no fuzzy match below 4). */
export function fuzzyBound(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/**
 * Words shorter than this are matched exactly or not at all, typed or in the lexicon: a word of
 * four letters is one edit away from too many others ('rash' from 'bash', 'cash', 'dash'; 'weak'
 * from 'week'; 'cramp' from 'camp').
 */
const MIN_FUZZY_LENGTH = 5;

/**
 * Whether `typed` may be a slip for the lexicon form `word`, `distance` edits away: both long
 * enough, within the bound for both lengths, the same first letter (people rarely miss that one),
 * and no substitution but vowel for vowel ('nausia' is nausea; 'couch' is not cough, nor 'chili'
 * chill). Missing, doubled and swapped letters are all accepted.
 */
export function plausibleTypo(typed: string, word: string, distance: number): boolean {
  if (distance === 0) return true;
  if (Math.min(typed.length, word.length) < MIN_FUZZY_LENGTH || typed[0] !== word[0]) return false;
  if (distance > Math.min(fuzzyBound(typed.length), fuzzyBound(word.length))) return false;
  return consonantSubstitutions(typed, word) === 0;
}

/** Candidates scoring below this are not worth offering. */
const MIN_CANDIDATE_SCORE = 0.6;
/** In candidate scoring, two words count as the same word from this closeness up. */
const MIN_WORD_CLOSENESS = 0.75;
/** Fuzzy correction is tried on at most this many unknown tokens of a phrase. */
const MAX_CORRECTED_TOKENS = 4;
/** Whole phrases are compared run together only from this many letters ('info' is not 'in fog'). */
const MIN_COMPACT_PHRASE = 6;
/** In a question, at most this many qualifiers or auxiliaries are skipped inside one term. */
const MAX_SKIPPED_IN_TERM = 2;
/** In a question, at most this many words are run together to meet a term spelt otherwise. */
const MAX_COMPACT_WORDS = 3;

/**
 * Words a question may put inside a term without changing it ("my joints have hurt", "my head
 * has been hurting"); QUALIFIER_WORDS are skipped too ("my back is really badly sore").
 */
const SKIPPABLE_IN_QUESTIONS: ReadonlySet<string> = new Set([
  ...['have', 'has', 'had', 'been', 'be', 'being', 'get', 'gets', 'got', 'getting'],
  ...['do', 'does', 'did', 'keep', 'keeps', 'kept', 'feel', 'feels', 'felt'],
  // "when did my chest last hurt", "when did my ears first ring"
  ...['last', 'first'],
]);

/** Body parts that, named alone after a possessive, mean their pain (see `bodyPartAlone`). */
const BODY_PART_ALONE: ReadonlyMap<string, string> = new Map([
  ['back', 'back_pain'],
  ['lower back', 'back_pain'],
  ['upper back', 'back_pain'],
  ['neck', 'neck_pain'],
  ['chest', 'chest_pain'],
  ['throat', 'sore_throat'],
  ['joints', 'joint_pain'],
  ['knees', 'joint_pain'],
]);
const BODY_PART_ALONE_PATTERN = new RegExp(
  `(?<!\\bon\\s+)\\b(?:my|his|her|your|their)\\s+(?<part>${[...BODY_PART_ALONE.keys()]
    .sort((a, b) => b.length - a.length)
    .map((k) => k.replace(' ', '\\s+'))
    .join(
      '|',
    )})\\b(?!['’]|\\s+(?:of|to|on|at|in|feels?|felt|feeling|is|was|went|goes|going|been)\\b)`,
  'i',
);

/**
 * Qualifiers that end a symptom phrase rather than sit inside one: in "the joint pain got worse over
 * the last year", "pain ... over" is not "aching all over".
 */
const COMPARATIVES: ReadonlySet<string> = new Set(['worse', 'worst', 'more']);

/** Subject pronouns of an inverted question ("couldn't I sleep", "could I not sleep"). */
const SUBJECT_PRONOUNS: ReadonlySet<string> = new Set(['i', 'you', 'he', 'she', 'we', 'they']);

/** Negated auxiliaries, as `tokenise` writes them, that a question inverts with its subject. */
const NEGATED_AUXILIARIES: ReadonlySet<string> = new Set([
  ...['cant', 'couldnt', 'wont', 'wouldnt', 'shouldnt', 'didnt', 'dont', 'doesnt', 'wasnt'],
  ...['werent', 'isnt', 'arent', 'havent', 'hasnt', 'hadnt'],
]);

/** "<auxiliary> I not" is read as "<auxiliary>nt I": could I not sleep = couldn't I sleep. */
const AUXILIARY_NEGATION: ReadonlyMap<string, string> = new Map([
  ['can', 'cant'],
  ['could', 'couldnt'],
  ['would', 'wouldnt'],
  ['did', 'didnt'],
  ['do', 'dont'],
  ['does', 'doesnt'],
  ['was', 'wasnt'],
  ['were', 'werent'],
  ['is', 'isnt'],
  ['are', 'arent'],
  ['have', 'havent'],
  ['has', 'hasnt'],
  ['had', 'hadnt'],
]);

/** A lexicon term prepared for matching. */
interface Entry {
  readonly conceptId: string;
  readonly term: string;
  /** Matching keys of the term's tokens (stemmed, synonyms folded, fillers dropped). */
  readonly keys: readonly string[];
  /** The term's words as written (normalised, fillers dropped). */
  readonly words: readonly string[];
  /** The term written without spaces, stemmed: 'head ache' and 'headache' share one. */
  readonly compact: string;
}

/** One token of analysed input; fillers are already gone. */
interface Token {
  readonly raw: string;
  readonly key: string;
  /** In the lexicon, or a function word: never corrected. */
  readonly known: boolean;
  readonly qualifier: boolean;
  readonly negation: boolean;
}

/** One word of a question, with its place in the text and how it may take part in a term. */
interface QuestionWord {
  readonly raw: string;
  readonly key: string;
  readonly start: number;
  readonly end: number;
  /** Position among all the question's words (fillers included): spans are measured in it. */
  readonly index: number;
  /** Punctuation (or a grammar phrase) separates it from the previous word kept. */
  readonly breakBefore: boolean;
  /** A qualifier or auxiliary that may sit inside a term. */
  readonly skippable: boolean;
  /** A QUESTION_WORDS word: never corrected, never run together with a neighbour. */
  readonly grammar: boolean;
  /** In the lexicon, a function word or never corrected. */
  readonly known: boolean;
}

/** A lexicon term written literally, small words included (LITERAL_TERMS). */
interface LiteralEntry {
  readonly conceptId: string;
  readonly term: string;
  readonly keys: readonly string[];
}

/** A possible mention of a question, before overlaps are resolved. */
interface MentionCandidate {
  readonly conceptId: string;
  readonly term: string;
  readonly start: number;
  readonly end: number;
  /** Words of the question spanned, from the first to the last, fillers and skipped included. */
  readonly length: number;
  readonly distance: number;
  /** The one word matched, for a single-word term (see MODIFIER_TERMS). */
  readonly single: QuestionWord | null;
  /** The index of the last word spanned, among all the question's words. */
  readonly lastIndex: number;
}

/** A term found in a token sequence. */
interface Found {
  readonly entry: Entry;
  /** Index of the first input token matched. */
  readonly start: number;
  /** Input tokens spanned, from the first matched to the last, skipped ones included. */
  readonly length: number;
  readonly distance: number;
}

/**
 * Symmetric-delete index (as in SymSpell): every word is stored under each string obtained by
 * deleting up to `maxEdits` characters, so the words within k edits of a query are found by
 * looking up the query's own deletions, without scanning the vocabulary.
 */
class DeletionIndex<T> {
  private readonly byDeletion = new Map<string, Set<string>>();
  private readonly values = new Map<string, T[]>();

  /** `maxEdits`: the largest distance `within` will be asked for. */
  constructor(private readonly maxEdits: number) {}

  add(word: string, value: T): void {
    const existing = this.values.get(word);
    if (existing) {
      existing.push(value);
      return;
    }
    this.values.set(word, [value]);
    for (const deletion of deletions(word, this.maxEdits)) {
      let words = this.byDeletion.get(deletion);
      if (!words) this.byDeletion.set(deletion, (words = new Set()));
      words.add(word);
    }
  }

  /** The words within `max` edits of `query`, with their distances and values. */
  within(query: string, max: number): { word: string; distance: number; values: T[] }[] {
    const found: { word: string; distance: number; values: T[] }[] = [];
    const seen = new Set<string>();
    for (const deletion of deletions(query, Math.min(max, this.maxEdits))) {
      for (const word of this.byDeletion.get(deletion) ?? []) {
        if (seen.has(word)) continue;
        seen.add(word);
        const distance = editDistance(query, word, max);
        if (distance <= max) found.push({ word, distance, values: this.values.get(word) ?? [] });
      }
    }
    return found;
  }
}

/** `word` and every string made by deleting up to `max` of its characters. */
function deletions(word: string, max: number): Set<string> {
  const result = new Set([word]);
  let frontier = [word];
  for (let round = 0; round < max; round++) {
    const next: string[] = [];
    for (const current of frontier) {
      for (let i = 0; i < current.length; i++) {
        const shorter = current.slice(0, i) + current.slice(i + 1);
        if (!result.has(shorter)) {
          result.add(shorter);
          next.push(shorter);
        }
      }
    }
    frontier = next;
  }
  return result;
}

function sameConcept(found: readonly Found[]): boolean {
  return found.every((f) => f.entry.conceptId === found[0].entry.conceptId);
}

/** Wider matches first, then fewer edits, then the earlier one. */
function compareFound(a: Found, b: Found): number {
  return b.length - a.length || a.distance - b.distance || a.start - b.start;
}

/**
 * Maps the free text people type for a symptom ('head ache', 'migrane', 'threw up') to the ids
 * of the symptom catalog, using a lexicon of terms per concept.
 *
 * `normalise` tries, in order: the whole phrase as a term; the widest term contained in the
 * phrase (so qualifiers and context are ignored: "really bad back ache"), unless negated ("no
 * headache"); then bounded fuzzy matching, per token (a typo in a lexicon word: "hedache") and
 * per phrase (spaces misplaced: "hed ache"). Fuzzy matching stays within `fuzzyBound` (nothing
 * under 4 characters, 1 edit up to 7, 2 from 8), accepts only `plausibleTypo`s (which in
 * practice needs 5 letters), and is refused when two concepts are equally close.
 *
 * Everything is indexed in the constructor: a phrase is matched with a few map look-ups, plus a
 * symmetric-delete look-up per unknown word; no scan of the lexicon happens in `normalise`.
 */
export class SymptomVocabulary {
  private static memo: SymptomVocabulary | undefined;

  /** Normalised phrase key -> lexicon entry. */
  private readonly byKey = new Map<string, Entry>();
  /** Compact (spaceless) form -> entries having it. */
  private readonly byCompact = new Map<string, Entry[]>();
  /** Every written and stemmed form of a lexicon token -> its matching key. */
  private readonly tokenForms = new Map<string, string>();
  private readonly tokenIndex = new DeletionIndex<string>(2);
  private readonly compactIndex = new DeletionIndex<Entry>(1);
  private readonly synonyms = new Map<string, string>();
  /** NEVER_CORRECTED words and their stems. */
  private readonly neverCorrected = new Set<string>();
  private readonly termsById = new Map<string, readonly string[]>();
  private readonly entries: Entry[] = [];
  private readonly order: ReadonlyMap<string, number>;
  private readonly maxTermLength: number;
  /** Every key sequence that begins some term: a question is only searched along these. */
  private readonly prefixes = new Set<string>();
  private readonly literals: LiteralEntry[] = [];
  private readonly grammarPhrases: readonly (readonly string[])[];

  /**
   * `literal`: terms matched word for word, small words included (default LITERAL_TERMS when
   * the lexicon is the shipped one, none otherwise).
   */
  constructor(
    lexicon: Readonly<Record<string, readonly string[]>>,
    catalog: SymptomCatalog,
    literal: Readonly<Record<string, readonly string[]>> = lexicon === SYMPTOM_LEXICON
      ? LITERAL_TERMS
      : {},
  ) {
    for (const word of NEVER_CORRECTED) this.neverCorrected.add(word).add(stemToken(word));
    for (const [word, synonym] of Object.entries(TOKEN_SYNONYMS)) {
      this.synonyms.set(stemToken(word), stemToken(synonym));
    }
    for (const [conceptId, terms] of Object.entries(lexicon)) {
      if (!catalog.has(conceptId)) {
        throw new Error(`Symptom lexicon names '${conceptId}', which is not in the catalog`);
      }
      this.termsById.set(conceptId, [...terms]);
      for (const term of terms) this.addTerm(conceptId, term);
    }
    for (const [conceptId, terms] of Object.entries(literal)) {
      if (!catalog.has(conceptId)) {
        throw new Error(`Symptom lexicon names '${conceptId}', which is not in the catalog`);
      }
      this.termsById.set(conceptId, [...(this.termsById.get(conceptId) ?? []), ...terms]);
      for (const term of terms) {
        this.literals.push({ conceptId, term, keys: tokenise(term).map((w) => this.keyOf(w)) });
      }
    }
    this.grammarPhrases = GRAMMAR_PHRASES.map((phrase) => tokenise(phrase));
    const missing = catalog.ids().filter((id) => (this.termsById.get(id) ?? []).length === 0);
    if (missing.length > 0) {
      throw new Error(`Symptom lexicon has no terms for: ${missing.join(', ')}`);
    }
    for (const [form, key] of this.tokenForms) {
      if (form.length >= MIN_FUZZY_LENGTH) this.tokenIndex.add(form, key);
    }
    this.order = new Map(catalog.ids().map((id, index) => [id, index]));
    this.maxTermLength = Math.max(...this.entries.map((entry) => entry.keys.length));
  }

  /** The vocabulary of the shipped lexicon and catalog, built once. */
  static standard(): SymptomVocabulary {
    SymptomVocabulary.memo ??= new SymptomVocabulary(SYMPTOM_LEXICON, SymptomCatalog.standard);
    return SymptomVocabulary.memo;
  }

  /** The lexicon terms of a concept ([] for an unknown id). */
  terms(conceptId: string): readonly string[] {
    return this.termsById.get(conceptId) ?? [];
  }

  /**
   * The concept a short phrase names ("bad headache after work" -> headache), or null when it
   * names none or the vocabulary is not confident.
   */
  normalise(text: string): VocabularyMatch | null {
    const tokens = this.analyse(text);
    if (tokens.length === 0) return null;
    const keys = tokens.map((token) => token.key);
    const whole = this.byKey.get(keys.join(' '));
    if (whole) return { conceptId: whole.conceptId, term: whole.term, kind: 'exact', distance: 0 };

    const views = this.views(tokens);
    const exact = this.bestInViews(tokens, keys, views, null);
    if (!exact) {
      const literal = this.literalIn(text);
      if (literal)
        return { conceptId: literal.conceptId, term: literal.term, kind: 'exact', distance: 0 };
    }
    const corrected = this.bestCorrected(tokens, keys, views);
    if (corrected === 'ambiguous') return exact ? this.toMatch(exact, 'exact') : null;
    if (exact && (!corrected || compareFound(exact, corrected) <= 0)) {
      return this.toMatch(exact, 'exact');
    }
    if (corrected) return this.toMatch(corrected, 'fuzzy');

    const phrase = this.bestCompact(tokens);
    return phrase ? this.toMatch(phrase, 'fuzzy') : null;
  }

  /**
   * The concepts closest to a phrase, best first, each with its closest term; concepts scoring
   * under 0.6 are left out. Equal scores are ordered by how many of the concept's terms are
   * close, then by catalog order. The concept `normalise` finds scores highest.
   */
  candidates(text: string, limit = 5): VocabularyCandidate[] {
    const content = this.analyse(text).filter((token) => !token.qualifier && !token.negation);
    if (content.length === 0 || limit <= 0) return [];

    const best = new Map<string, VocabularyCandidate>();
    // Terms of the concept close enough to offer: breaks ties ("stomach" is in many terms of
    // abdominal pain, in one of nausea).
    const support = new Map<string, number>();
    const offer = (conceptId: string, term: string, score: number): void => {
      const current = best.get(conceptId);
      if (!current || score > current.score) best.set(conceptId, { conceptId, term, score });
      if (score >= MIN_CANDIDATE_SCORE) support.set(conceptId, (support.get(conceptId) ?? 0) + 1);
    };
    for (const entry of this.entries) {
      offer(entry.conceptId, entry.term, similarity(content, entry));
    }
    const match = this.normalise(text);
    if (match) {
      const length = normaliseText(text).length;
      offer(match.conceptId, match.term, 1 - match.distance / Math.max(length, 1));
    }
    const supportOf = (id: string): number => support.get(id) ?? 0;
    return [...best.values()]
      .filter((candidate) => candidate.score >= MIN_CANDIDATE_SCORE)
      .map((candidate) => ({ ...candidate, score: Math.round(candidate.score * 1000) / 1000 }))
      .sort(
        (a, b) =>
          b.score - a.score ||
          supportOf(b.conceptId) - supportOf(a.conceptId) ||
          this.rank(a.conceptId) - this.rank(b.conceptId),
      )
      .slice(0, limit);
  }

  /**
   * Every symptom a question mentions, in text order, with where it is written ("how many
   * hedaches and nausea" -> headache at 9..17, nausea at 22..28). Stricter than `normalise`: a
   * term must appear as a run of words (fillers such as "my", qualifiers and auxiliaries may sit
   * inside it: "my joints have hurt"); words of the question's grammar (QUESTION_WORDS) are
   * never corrected into symptom words; a word is corrected only within the bounds of
   * `plausibleTypo`; terms may not run across punctuation. Overlapping readings are resolved
   * widest first, then fewest edits; a span two concepts read equally well is left out.
   * Negation words do not remove a mention here: what a question excludes is the caller's
   * business ("everything except headaches").
   */
  findMentions(text: string): SymptomMention[] {
    const all = this.questionWords(text);
    const words = all.filter((word) => word !== null);
    const candidates: MentionCandidate[] = [];
    for (let from = 0; from < words.length; from++) {
      this.termsFrom(text, words, from, candidates);
      this.spacingVariantsFrom(words, from, candidates);
    }
    this.literalsIn(tokeniseWithOffsets(text), candidates);
    const mentions = this.resolve(candidates, all, text);
    return mentions.length > 0 ? mentions : this.bodyPartAlone(text);
  }

  /**
   * A body part named on its own after a possessive, in a question that names no symptom
   * otherwise: "and my back?", "ibuprofen for my back", "pain score for my neck". Only parts whose
   * complaint is unambiguous (BODY_PART_ALONE): "my head", "my ears" or "my tummy" could be several
   * concepts, and a part that goes on to say how it felt ("my chest felt funny") is left unplaced.
   */
  private bodyPartAlone(text: string): SymptomMention[] {
    const match = BODY_PART_ALONE_PATTERN.exec(text);
    if (!match) return [];
    const part = match.groups!.part;
    const conceptId = BODY_PART_ALONE.get(part.toLowerCase().replace(/\s+/g, ' '));
    if (!conceptId) return [];
    const start = match.index + match[0].length - part.length;
    return [{ conceptId, text: part, start, end: start + part.length, kind: 'exact', term: part }];
  }

  /**
   * For a question, the runs of words that may name a symptom the vocabulary cannot place (not
   * grammar, not in a mention), with up to `limit` closest concepts each: "how often do my
   * zorbles flare up" -> "zorbles flare". A run is kept when it has candidates or directly
   * follows "my" / "the" (a symptom's usual slot). For a clarifying reply.
   */
  candidatesFor(text: string, limit = 3): UnplacedPhrase[] {
    const mentions = this.findMentions(text);
    const inMention = (span: WordSpan): boolean =>
      mentions.some((m) => span.start < m.end && m.start < span.end);
    const spans = tokeniseWithOffsets(text);
    const result: UnplacedPhrase[] = [];
    let run: WordSpan[] = [];
    let afterSlot = false;
    const flush = (): void => {
      if (run.length > 0) {
        const start = run[0].start;
        const end = run[run.length - 1].end;
        const phrase = text.slice(start, end);
        const candidates = this.candidates(phrase, limit);
        if (candidates.length > 0 || afterSlot)
          result.push({ text: phrase, start, end, candidates });
      }
      run = [];
    };
    spans.forEach((span, i) => {
      const word = span.word;
      const content =
        !inMention(span) &&
        !QUESTION_WORDS.has(word) &&
        !FILLER_WORDS.has(word) &&
        !QUALIFIER_WORDS.has(word) &&
        !NEGATION_WORDS.has(word) &&
        !SKIPPABLE_IN_QUESTIONS.has(word) &&
        !/\d/.test(word);
      if (!content || (span.breakBefore && run.length > 0)) flush();
      if (content) {
        if (run.length === 0) afterSlot = i > 0 && SYMPTOM_SLOT_WORDS.has(spans[i - 1].word);
        run.push(span);
      }
    });
    flush();
    return result;
  }

  private addTerm(conceptId: string, term: string): void {
    const raw = tokenise(term).filter((word) => !FILLER_WORDS.has(word));
    if (raw.length === 0) throw new Error(`Symptom term '${term}' (${conceptId}) has no words`);
    const keys = raw.map((word) => this.keyOf(word));
    const entry: Entry = { conceptId, term, keys, words: raw, compact: stemToken(raw.join('')) };
    const key = keys.join(' ');
    const existing = this.byKey.get(key);
    if (existing && existing.conceptId !== conceptId) {
      throw new Error(
        `Symptom terms '${existing.term}' (${existing.conceptId}) and '${term}' (${conceptId}) ` +
          'are the same once normalised',
      );
    }
    if (!existing) this.byKey.set(key, entry);
    this.entries.push(entry);
    keys.forEach((_, i) => this.prefixes.add(keys.slice(0, i + 1).join(' ')));
    const sameCompact = this.byCompact.get(entry.compact);
    if (sameCompact) sameCompact.push(entry);
    else this.byCompact.set(entry.compact, [entry]);
    if (entry.compact.length >= MIN_COMPACT_PHRASE - 1) this.compactIndex.add(entry.compact, entry);
    raw.forEach((word, i) => {
      if (QUALIFIER_WORDS.has(word) || NEGATION_WORDS.has(word)) return;
      this.tokenForms.set(word, keys[i]);
      this.tokenForms.set(stemToken(word), keys[i]);
    });
  }

  /** The widest literal term (LITERAL_TERMS) in a phrase, for `normalise`; not a negated one. */
  private literalIn(text: string): LiteralEntry | null {
    const spans = tokeniseWithOffsets(text);
    const found: MentionCandidate[] = [];
    this.literalsIn(spans, found);
    const negated = (c: MentionCandidate): boolean => {
      const before = spans[c.lastIndex - c.length];
      return before !== undefined && NEGATION_WORDS.has(before.word);
    };
    const [first] = found
      .filter((c) => !negated(c))
      .sort((a, b) => b.length - a.length || a.start - b.start);
    return first ? (this.literals.find((l) => l.term === first.term) ?? null) : null;
  }

  /** The literal terms written in a question, small words and all. */
  private literalsIn(spans: readonly WordSpan[], found: MentionCandidate[]): void {
    if (this.literals.length === 0) return;
    const keys = spans.map((span) => this.keyOf(span.word));
    for (let from = 0; from < spans.length; from++) {
      for (const literal of this.literals) {
        const n = literal.keys.length;
        if (from + n > spans.length) continue;
        let same = true;
        for (let i = 0; i < n && same; i++) {
          same = keys[from + i] === literal.keys[i] && (i === 0 || !spans[from + i].breakBefore);
        }
        if (!same) continue;
        found.push({
          conceptId: literal.conceptId,
          term: literal.term,
          start: spans[from].start,
          end: spans[from + n - 1].end,
          length: n,
          distance: 0,
          single: null,
          lastIndex: from + n - 1,
        });
      }
    }
  }

  /**
   * The words of a question, analysed for `findMentions`: one entry per written word, null for
   * those that cannot be part of a term (fillers, words of a grammar phrase, the subject of an
   * inverted question: "couldn't I sleep" reads as "couldn't sleep"). "<aux> I not" becomes
   * "<aux>nt" spanning the three words.
   */
  private questionWords(text: string): (QuestionWord | null)[] {
    const spans = tokeniseWithOffsets(text);
    const blocked = this.grammarPhraseWords(spans);
    const words: (QuestionWord | null)[] = [];
    let pendingBreak = false;
    for (let i = 0; i < spans.length; i++) {
      let span: WordSpan = spans[i];
      const breakBefore: boolean = pendingBreak || span.breakBefore;
      pendingBreak = false;
      if (blocked.has(i)) {
        words.push(null);
        pendingBreak = true;
        continue;
      }
      const negated = AUXILIARY_NEGATION.get(span.word);
      const next = spans[i + 1];
      const after = spans[i + 2];
      if (
        negated !== undefined &&
        next &&
        after &&
        SUBJECT_PRONOUNS.has(next.word) &&
        after.word === 'not' &&
        !next.breakBefore &&
        !after.breakBefore
      ) {
        span = { ...span, word: negated, end: after.end };
        words.push(this.questionWord(span, words.length, breakBefore), null, null);
        i += 2;
        continue;
      }
      const previous = i > 0 ? spans[i - 1].word : '';
      const droppedSubject =
        SUBJECT_PRONOUNS.has(span.word) && NEGATED_AUXILIARIES.has(previous) && !span.breakBefore;
      if (FILLER_WORDS.has(span.word) || droppedSubject) {
        words.push(null);
        pendingBreak = breakBefore;
        continue;
      }
      words.push(this.questionWord(span, words.length, breakBefore));
    }
    return words;
  }

  private questionWord(span: WordSpan, index: number, breakBefore: boolean): QuestionWord {
    const raw = span.word;
    const stem = stemToken(raw);
    const grammar = QUESTION_WORDS.has(raw);
    return {
      raw,
      key: this.synonyms.get(stem) ?? stem,
      start: span.start,
      end: span.end,
      index,
      breakBefore,
      skippable:
        (QUALIFIER_WORDS.has(raw) && !COMPARATIVES.has(raw)) || SKIPPABLE_IN_QUESTIONS.has(raw),
      grammar,
      known:
        grammar ||
        QUALIFIER_WORDS.has(raw) ||
        NEGATION_WORDS.has(raw) ||
        this.tokenForms.has(raw) ||
        this.tokenForms.has(stem) ||
        this.neverCorrected.has(raw) ||
        this.neverCorrected.has(stem),
    };
  }

  /** Positions of the words that belong to a GRAMMAR_PHRASES phrase. */
  private grammarPhraseWords(spans: readonly WordSpan[]): Set<number> {
    const blocked = new Set<number>();
    for (let from = 0; from < spans.length; from++) {
      for (const phrase of this.grammarPhrases) {
        if (from + phrase.length > spans.length) continue;
        if (phrase.every((word, i) => spans[from + i].word === word)) {
          for (let i = 0; i < phrase.length; i++) blocked.add(from + i);
        }
      }
    }
    return blocked;
  }

  /** The keys a question word may stand for: its own, and for an unknown word its corrections. */
  private optionsFor(word: QuestionWord): { key: string; distance: number }[] {
    const own = { key: word.key, distance: 0 };
    if (word.known || word.raw.length < MIN_FUZZY_LENGTH) return [own];
    const stem = stemToken(word.raw);
    const near = [word.raw, ...(stem === word.raw ? [] : [stem])].flatMap((form) =>
      this.tokenIndex
        .within(form, fuzzyBound(form.length))
        .filter((n) => plausibleTypo(form, n.word, n.distance)),
    );
    if (near.length === 0) return [own];
    const distance = Math.min(...near.map((n) => n.distance));
    const keys = new Set(near.filter((n) => n.distance === distance).flatMap((n) => n.values));
    return [own, ...[...keys].map((key) => ({ key, distance }))];
  }

  /**
   * Terms beginning at `words[from]`, followed along the key prefixes of the lexicon: each next
   * word is taken (as itself or a correction), or skipped when it is a qualifier or auxiliary.
   */
  private termsFrom(
    text: string,
    words: readonly QuestionWord[],
    from: number,
    found: MentionCandidate[],
  ): void {
    const options = new Map<number, { key: string; distance: number }[]>();
    const optionsAt = (position: number): { key: string; distance: number }[] => {
      let list = options.get(position);
      if (!list) options.set(position, (list = this.optionsFor(words[position])));
      return list;
    };
    const first = words[from];
    const walk = (position: number, prefix: string, distance: number, skipped: number): void => {
      for (const option of optionsAt(position)) {
        const key = prefix === '' ? option.key : `${prefix} ${option.key}`;
        if (!this.prefixes.has(key)) continue;
        const edits = distance + option.distance;
        const last = words[position];
        const entry = this.byKey.get(key);
        if (entry) {
          found.push({
            conceptId: entry.conceptId,
            term: entry.term,
            start: first.start,
            end: last.end,
            length: last.index - first.index + 1,
            distance: edits,
            single: position === from ? first : null,
            lastIndex: last.index,
          });
          if (position > from) this.coordinated(text, words, from, key, edits, found);
        }
        for (let next = position + 1, skips = skipped; next < words.length; next++, skips++) {
          if (words[next].breakBefore) break;
          walk(next, key, edits, skips);
          if (!words[next].skippable || skips >= MAX_SKIPPED_IN_TERM) break;
        }
      }
    };
    walk(from, '', 0, 0);
  }

  /**
   * Words coordinated with the first word of a term found at `words[from]`, read with the rest of
   * the term: in "do my knees and hips hurt" (hips hurt = joint pain) "knees" is read as "knees
   * hurt", in "head, neck and back pain" "head" and "neck" as "head pain" and "neck pain". Only
   * single words joined by "and", "or" or commas, and only when the result is a term.
   */
  private coordinated(
    text: string,
    words: readonly QuestionWord[],
    from: number,
    key: string,
    distance: number,
    found: MentionCandidate[],
  ): void {
    const rest = key.slice(key.indexOf(' ') + 1);
    const restLength = rest.split(' ').length;
    const commasOnly = (a: QuestionWord, b: QuestionWord): boolean =>
      /^[\s,]*$/.test(text.slice(a.end, b.start));
    let boundary = from;
    for (;;) {
      const connector = words[boundary - 1];
      let x: number;
      if (connector && (connector.raw === 'and' || connector.raw === 'or')) {
        if (words[boundary].breakBefore) return;
        x = boundary - 2;
      } else if (connector && commasOnly(connector, words[boundary])) {
        x = boundary - 1;
      } else {
        return;
      }
      const word = words[x];
      if (!word || !commasOnly(word, words[x + 1])) return;
      const entry = this.byKey.get(`${word.key} ${rest}`);
      if (!entry) return;
      found.push({
        conceptId: entry.conceptId,
        term: entry.term,
        start: word.start,
        end: word.end,
        length: 1 + restLength,
        distance,
        single: null,
        lastIndex: word.index,
      });
      boundary = x;
    }
  }

  /**
   * Terms written with other spacing, from `words[from]`: "backpain", "stomache ache", and, for
   * unknown words, one edit away ("backpian"). Grammar words never take part ("rundown").
   */
  private spacingVariantsFrom(
    words: readonly QuestionWord[],
    from: number,
    found: MentionCandidate[],
  ): void {
    let compact = '';
    let unknown = false;
    for (let count = 1; count <= MAX_COMPACT_WORDS && from + count <= words.length; count++) {
      const last = words[from + count - 1];
      if (last.grammar || (count > 1 && last.breakBefore)) return;
      compact += last.raw;
      unknown ||= !last.known;
      const stem = stemToken(compact);
      const push = (entry: Entry, distance: number): void => {
        found.push({
          conceptId: entry.conceptId,
          term: entry.term,
          start: words[from].start,
          end: last.end,
          length: last.index - words[from].index + 1,
          distance,
          single: null,
          lastIndex: last.index,
        });
      };
      for (const entry of this.byCompact.get(stem) ?? []) {
        if (entry.keys.length !== count) push(entry, 0);
      }
      if (!unknown || stem.length < MIN_COMPACT_PHRASE) continue;
      for (const { word, distance, values } of this.compactIndex.within(stem, 1)) {
        if (distance === 0 || !plausibleTypo(stem, word, distance)) continue;
        for (const entry of values) push(entry, distance);
      }
    }
  }

  /**
   * Non-overlapping mentions from the candidates, widest first, then fewest edits, then not
   * starting with a qualifier, then the earliest; a span two concepts fill equally well is dropped; a MODIFIER_TERMS word followed by
   * an unknown word ("weak coffee") is dropped.
   */
  private resolve(
    candidates: MentionCandidate[],
    all: readonly (QuestionWord | null)[],
    text: string,
  ): SymptomMention[] {
    // On a tie, a term not starting with a qualifier: "bad back pain" is back pain, said to be bad.
    const qualified = (c: MentionCandidate): number =>
      QUALIFIER_WORDS.has(normaliseText(text.slice(c.start, c.end)).split(' ')[0]) ? 1 : 0;
    candidates.sort(
      (a, b) =>
        b.length - a.length ||
        a.distance - b.distance ||
        qualified(a) - qualified(b) ||
        a.start - b.start,
    );
    const chosen: MentionCandidate[] = [];
    const taken = (c: MentionCandidate): boolean =>
      chosen.some((other) => c.start < other.end && other.start < c.end);
    for (const candidate of candidates) {
      if (taken(candidate)) continue;
      const rival = candidates.some(
        (other) =>
          other.conceptId !== candidate.conceptId &&
          other.start === candidate.start &&
          other.end === candidate.end &&
          other.distance === candidate.distance,
      );
      if (rival || this.describesNextWord(candidate, all)) continue;
      chosen.push(candidate);
    }
    return chosen
      .sort((a, b) => a.start - b.start)
      .map((c) => ({
        conceptId: c.conceptId,
        text: text.slice(c.start, c.end),
        start: c.start,
        end: c.end,
        kind: c.distance === 0 ? 'exact' : 'fuzzy',
        term: c.term,
      }));
  }

  /** A one-word MODIFIER_TERMS mention directly followed by a word the vocabulary does not know. */
  private describesNextWord(
    candidate: MentionCandidate,
    all: readonly (QuestionWord | null)[],
  ): boolean {
    const word = candidate.single;
    if (!word || !(MODIFIER_TERMS.has(word.raw) || MODIFIER_TERMS.has(candidate.term))) {
      return false;
    }
    const next = all[candidate.lastIndex + 1];
    return next !== undefined && next !== null && !next.breakBefore && !next.known;
  }

  private keyOf(word: string): string {
    const stem = stemToken(word);
    return this.synonyms.get(stem) ?? stem;
  }

  private analyse(text: string): Token[] {
    const tokens: Token[] = [];
    for (const raw of tokenise(text)) {
      if (FILLER_WORDS.has(raw)) continue;
      const stem = stemToken(raw);
      const qualifier = QUALIFIER_WORDS.has(raw);
      const negation = NEGATION_WORDS.has(raw);
      const known =
        qualifier ||
        negation ||
        this.tokenForms.has(raw) ||
        this.tokenForms.has(stem) ||
        this.neverCorrected.has(raw) ||
        this.neverCorrected.has(stem);
      tokens.push({ raw, key: this.synonyms.get(stem) ?? stem, known, qualifier, negation });
    }
    return tokens;
  }

  /**
   * The token sequences searched for terms, as lists of input positions: the whole input; without
   * its qualifiers ("pain in major joints"); and, when a word is coordinated with "and", without
   * "and <word>", so that "back and hip pain" is read as "back pain and hip pain".
   */
  private views(tokens: readonly Token[]): number[][] {
    const all = tokens.map((_, i) => i);
    const plain = all.filter((i) => !tokens[i].qualifier);
    const views = plain.length > 0 && plain.length < all.length ? [all, plain] : [all];
    const last = views[views.length - 1];
    for (let k = 1; k + 2 < last.length; k++) {
      if (tokens[last[k]].raw === 'and') views.push([...last.slice(0, k), ...last.slice(k + 2)]);
    }
    return views;
  }

  private bestInViews(
    tokens: readonly Token[],
    keys: readonly string[],
    views: readonly (readonly number[])[],
    corrected: ReadonlyMap<number, number> | null,
  ): Found | null {
    let best: Found | null = null;
    for (const view of views) {
      const found = this.bestContained(tokens, keys, view, corrected);
      if (found && (!best || compareFound(found, best) < 0)) best = found;
    }
    return best;
  }

  /** Whether a negation governs the term starting at `start` ("no headache", "not really sick"). */
  private negated(tokens: readonly Token[], start: number): boolean {
    for (let i = start - 1; i >= 0 && i >= start - 3; i--) {
      if (tokens[i].negation) return true;
      if (!tokens[i].qualifier) return false;
    }
    return false;
  }

  /**
   * The best term found in the tokens of `view` (widest first, then the earliest), ignoring
   * negated ones. With `corrected` (positions whose keys were fuzzily corrected, with their edit
   * counts), only terms using a corrected position count, and their distance is those edits.
   */
  private bestContained(
    tokens: readonly Token[],
    keys: readonly string[],
    view: readonly number[],
    corrected: ReadonlyMap<number, number> | null,
  ): Found | null {
    let best: Found | null = null;
    const consider = (found: Found): void => {
      if (!best || compareFound(found, best) < 0) best = found;
    };
    for (let from = 0; from < view.length; from++) {
      const start = view[from];
      if (this.negated(tokens, start)) continue;
      let key = '';
      let compact = '';
      let distance = 0;
      let usesCorrection = false;
      const longest = Math.min(view.length - from, this.maxTermLength);
      for (let count = 1; count <= longest; count++) {
        const position = view[from + count - 1];
        key = count === 1 ? keys[position] : `${key} ${keys[position]}`;
        compact += tokens[position].raw;
        const edits = corrected?.get(position);
        if (edits !== undefined) {
          usesCorrection = true;
          distance += edits;
        }
        if (corrected && !usesCorrection) continue;
        const length = position + 1 - start;
        const entry = this.byKey.get(key);
        if (entry) consider({ entry, start, length, distance });
        // Words run together or split apart: "backpain", "heart burn", "stomache ache".
        if (!corrected && count <= 3) {
          for (const other of this.byCompact.get(stemToken(compact)) ?? []) {
            if (other.keys.length !== count) consider({ entry: other, start, length, distance });
          }
        }
      }
    }
    return best;
  }

  /** The best term reachable by correcting misspelt tokens, or 'ambiguous' on a tie. */
  private bestCorrected(
    tokens: readonly Token[],
    keys: readonly string[],
    views: readonly (readonly number[])[],
  ): Found | 'ambiguous' | null {
    const options: { position: number; keys: string[]; distance: number }[] = [];
    tokens.forEach((token, position) => {
      if (token.known || options.length >= MAX_CORRECTED_TOKENS) return;
      const stem = stemToken(token.raw);
      const near = [token.raw, ...(stem === token.raw ? [] : [stem])].flatMap((form) =>
        this.tokenIndex
          .within(form, fuzzyBound(form.length))
          .filter((n) => plausibleTypo(form, n.word, n.distance)),
      );
      if (near.length === 0) return;
      const distance = Math.min(...near.map((n) => n.distance));
      const closest = new Set(near.filter((n) => n.distance === distance).flatMap((n) => n.values));
      options.push({ position, keys: [...closest], distance });
    });
    if (options.length === 0) return null;

    const results: Found[] = [];
    const corrected = new Map(options.map((option) => [option.position, option.distance]));
    const choose = (index: number, current: string[]): void => {
      if (index === options.length) {
        const found = this.bestInViews(tokens, current, views, corrected);
        if (found) results.push(found);
        return;
      }
      for (const key of options[index].keys) {
        const next = [...current];
        next[options[index].position] = key;
        choose(index + 1, next);
      }
    };
    choose(0, [...keys]);
    return this.decide(results);
  }

  /** The phrase with its words run together, compared with terms written with other spacing. */
  private bestCompact(tokens: readonly Token[]): Found | null {
    if (tokens.some((token) => token.negation) || tokens.every((token) => token.known)) return null;
    const content = tokens.filter((token) => !token.qualifier);
    if (content.length === 0) return null;
    const compact = stemToken(content.map((token) => token.raw).join(''));
    if (compact.length < MIN_COMPACT_PHRASE) return null;
    // One edit at most: the phrase is already wrong in its spacing.
    const results = this.compactIndex
      .within(compact, 1)
      .filter(({ word, distance }) => plausibleTypo(compact, word, distance))
      .flatMap(({ distance, values }) =>
        values.map((entry) => ({ entry, start: 0, length: tokens.length, distance })),
      );
    const decided = this.decide(results);
    return decided === 'ambiguous' ? null : decided;
  }

  /** The single best result; 'ambiguous' when different concepts tie for it. */
  private decide(results: Found[]): Found | 'ambiguous' | null {
    if (results.length === 0) return null;
    results.sort(compareFound);
    const first = results[0];
    const tied = results.filter((r) => r.length === first.length && r.distance === first.distance);
    return sameConcept(tied) ? first : 'ambiguous';
  }

  private toMatch(found: Found, kind: VocabularyMatchKind): VocabularyMatch {
    return {
      conceptId: found.entry.conceptId,
      term: found.entry.term,
      kind: kind === 'fuzzy' && found.distance === 0 ? 'exact' : kind,
      distance: found.distance,
    };
  }

  private rank(conceptId: string): number {
    return this.order.get(conceptId) ?? this.order.size;
  }
}

/** 1 for equal strings down to 0 for strings with nothing in common; 0 under `floor`. */
function closeness(a: string, b: string, floor: number): number {
  const longest = Math.max(a.length, b.length, 1);
  const max = Math.floor((1 - floor) * longest + 1e-9);
  const distance = editDistance(a, b, max);
  return distance > max ? 0 : 1 - distance / longest;
}

/**
 * How close an input is to a term, 0..1: the better of the closeness of the two written without
 * spaces ('hedache' ~ 'headache') and the Dice overlap of their words, where words count when
 * written alike or nearly, or folded to the same key ('tummy' ~ 'stomach').
 */
function similarity(input: readonly Token[], entry: Entry): number {
  const joined = input.map((token) => token.raw).join('');
  const written = closeness(joined, entry.words.join(''), MIN_CANDIDATE_SCORE);
  let shared = 0;
  entry.words.forEach((word, i) => {
    let closest = 0;
    for (const token of input) {
      const score =
        token.key === entry.keys[i] ? 1 : closeness(token.raw, word, MIN_WORD_CLOSENESS);
      if (score > closest) closest = score;
    }
    shared += closest;
  });
  // Each input word can only be matched once.
  const dice = (2 * Math.min(shared, input.length)) / (entry.words.length + input.length);
  return Math.max(written, dice);
}
