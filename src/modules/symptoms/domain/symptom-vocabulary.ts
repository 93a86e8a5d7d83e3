import { consonantSubstitutions, editDistance } from './edit-distance';
import { SymptomCatalog } from './symptom-catalog';
import {
  FILLER_WORDS,
  NEGATION_WORDS,
  NEVER_CORRECTED,
  QUALIFIER_WORDS,
  SYMPTOM_LEXICON,
  TOKEN_SYNONYMS,
} from './symptom-lexicon';
import { normaliseText, stemToken, tokenise } from './text-normalisation';

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

  constructor(lexicon: Readonly<Record<string, readonly string[]>>, catalog: SymptomCatalog) {
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
