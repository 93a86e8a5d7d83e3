import type { Safety, UrgencyKind } from './frame';

/**
 * Whether a message describes a possible emergency happening now, to the speaker or someone
 * with them (shared/contracts/nlu.md, `safety.urgent`): crushing or spreading chest pain, can't
 * breathe, blue lips, choking, someone collapsed or unresponsive, stroke signs, heavy bleeding,
 * coughing or vomiting blood, thoughts of suicide or self-harm, a severe allergic reaction, a
 * seizure.
 *
 * Rules are data (SAFETY_RULES, in priority order) matched on the message lowercased, with
 * apostrophes dropped and a few typos folded ("cant breath", "chest pian"). A match is then
 * weighed against the framing of the whole message:
 * - a present marker ("right now", "rn", "currently", "still", "help", "call an ambulance", "he
 *   just collapsed") makes it urgent whatever else the message says;
 * - a question about the diary ("how many times did I pass out", "when did I last have chest
 *   pain", "show my shortness of breath entries") is not urgent;
 * - an event dated in the past ("crushing chest pain last week", "3 days ago") is not urgent;
 * - a hypothetical or general question ("what should I do if someone collapses", "what are the
 *   signs of a stroke") is not urgent: it is not happening now. The assessment still names the
 *   rule with `suppressedBy: 'hypothetical'`, so a reply may include emergency information;
 * - thoughts of suicide or self-harm are suppressed only by a question about the diary or a
 *   hypothetical ("did I feel suicidal last month?" is a diary question, not urgent, with
 *   `suppressedBy: 'diary_question'`); a statement about the recent past ("I felt suicidal last
 *   night") stays urgent, since the thoughts may well be present.
 * Some rules need a present marker to count at all (REQUIRES_NOW): plain chest pain ("chest
 * pain rn" is urgent, "I have chest pain" alone is a diary symptom) and milder breathing words
 * ("trouble breathing right now").
 */

export interface SafetyRule {
  /** Stable id for explain: "<kind>.<what>". */
  readonly id: string;
  readonly kind: UrgencyKind;
  readonly pattern: RegExp;
  /** Urgent only with a present marker ("right now", "currently", "still"). */
  readonly requiresNow?: boolean;
  /** The rule does not apply when the message also matches this ("heavy bleeding" in a period). */
  readonly unless?: RegExp;
}

export interface SafetyAssessment extends Safety {
  /** The rule that matched (also when suppressed). */
  readonly rule?: string;
  /** The words that matched, in the folded text. */
  readonly text?: string;
  /** Why a matching rule did not make the message urgent. */
  readonly suppressedBy?: 'diary_question' | 'past' | 'hypothetical';
}

const SOMEONE =
  String.raw`(?:someone|somebody|he|she|they|hes|shes|theyre|this (?:man|woman|person|guy|lady|kid|child)|` +
  String.raw`(?:a|the) (?:man|woman|person|guy|lady|boy|girl|kid|child|baby|friend|stranger)|` +
  String.raw`my (?:mom|mum|mother|dad|father|wife|husband|partner|son|daughter|child|kid|baby|` +
  String.raw`friend|brother|sister|grandma|grandmother|grandpa|grandfather|gran|nan|granny|` +
  String.raw`boyfriend|girlfriend|colleague|coworker|neighbour|neighbor|roommate|flatmate|aunt|uncle))`;
const WITHIN = String.raw`[^.?!]{0,30}?`;

export const SAFETY_RULES: readonly SafetyRule[] = [
  // Suicide and self-harm first: the reply for them differs from the others.
  {
    id: 'self_harm.suicidal',
    kind: 'self_harm',
    pattern:
      /\b(?:suicid\w*|kill+ (?:my ?self)|killing my ?self|end(?:ing)? (?:it all|my life|my own life|everything|things)|take my (?:own )?life|taking my (?:own )?life|better off dead|(?:want|wanna|wish|ready) (?:to )?die|wish i (?:was|were) dead|rather be dead|no (?:reason|point) (?:to|in) (?:live|living|going on)|not worth living|(?:dont|do not) want to (?:live|be alive|be here anymore|exist|wake up|go on))\b/,
  },
  {
    id: 'self_harm.hurt_myself',
    kind: 'self_harm',
    pattern:
      /\b(?:(?:want|wanna|going|gonna|thinking (?:about|of)|think about|urge to|urges to|feel like|tempted to|planning to|plan to)\s+(?:to\s+)?(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|kill|killing)\s+my ?self|self[- ]?harm\w*|(?:hurting|harming|cutting) my ?self|overdosed|(?:took|taken|take|taking|had) an overdose|took (?:all|too many|a bunch of|a handful of|loads of) (?:my |of my |the )?(?:pills|tablets|meds))\b/,
  },
  {
    id: 'breathing.cant_breathe',
    kind: 'breathing',
    pattern:
      /\b(?:cant|cnt|unable to|struggling to|struggle to|barely|fighting to)\s+(?:really\s+)?(?:breathe?|breathing|brethe?|breth|get (?:any )?air|get (?:a |my |his |her )?breath)\b|\bgasping for (?:air|breath)\b|\bcan hardly breathe?\b/,
  },
  {
    id: 'breathing.blue_lips',
    kind: 'breathing',
    pattern:
      /\b(?:lips|face|skin|fingers|fingertips)\s+(?:are |is |have |has )?(?:turning |turned |going |gone |look |looks |looking )?(?:blue|purple|grey|gray)\b|\bblue lips\b/,
  },
  {
    id: 'breathing.choking',
    kind: 'breathing',
    pattern: /\b(?:choking|is choking|chokes|choked and)\b/,
  },
  {
    id: 'breathing.not_breathing',
    kind: 'breathing',
    pattern:
      /\b(?:not|isnt|arent|stopped|has stopped|no longer|isnt really)\s+breathing\b|\bno (?:pulse|heartbeat)\b/,
  },
  {
    id: 'breathing.difficulty',
    kind: 'breathing',
    requiresNow: true,
    pattern:
      /\b(?:hard|difficult|trouble|difficulty|struggling|problems?) (?:to )?(?:breathe?|breathing)\b|\bshort(?:ness)? of breath\b|\bcant catch (?:my|his|her) breath\b/,
  },
  {
    id: 'chest_pain.crushing',
    kind: 'chest_pain',
    pattern:
      /\b(?:crushing|crushed|squeezing|squeezed|vice|elephant|heavy|heaviness|(?<!blood )pressure|tight|tightness|tightening|clenching)\b[^.?!]{0,20}?\bchest\b|\bchest\b[^.?!]{0,20}?\b(?:crushing|crushed|being crushed|squeezing|squeezed|squeezes|tight|tightness|tightening|pressure|heavy|heaviness|like an elephant)\b/,
  },
  {
    id: 'chest_pain.spreading',
    kind: 'chest_pain',
    pattern:
      /\bchest\b[^.?!]{0,40}?\b(?:spread\w*|radiat\w*|going|goes|moving|moves|shooting|shoots)\b[^.?!]{0,20}?\b(?:arm|arms|jaw|shoulder|neck|back)\b|\bchest\b[^.?!]{0,30}?\b(?:and|into|down|to|in)\s+(?:my |his |her |the )?(?:left )?(?:arm|jaw)\b/,
  },
  {
    id: 'chest_pain.heart_attack',
    kind: 'chest_pain',
    pattern: /\b(?:having|have|had|is having|its|it is|this is|might be|could be) a heart attack\b/,
  },
  {
    id: 'chest_pain.now',
    kind: 'chest_pain',
    requiresNow: true,
    pattern:
      /\bchest\s+(?:pain|pains|hurts|hurting|ache|aches|aching|is hurting|is sore|discomfort)\b|\bpain in (?:my|his|her|the) chest\b/,
  },
  {
    id: 'collapse.someone_collapsed',
    kind: 'collapse',
    pattern: new RegExp(
      String.raw`\b${SOMEONE}\b${WITHIN}\b(?:collapsed|collapses|collapsing|passed out|passes out|fainted|faints|blacked out|keeled over|fell unconscious|dropped to the (?:floor|ground)|went limp|is limp|is out cold)\b`,
    ),
  },
  {
    id: 'collapse.unresponsive',
    kind: 'collapse',
    pattern:
      /\b(?:unconscious|unresponsive|not responding|isnt responding|wont wake(?: up)?|cant wake (?:him|her|them|my \w+)(?: up)?|not waking up|isnt waking up|out cold)\b/,
  },
  {
    id: 'stroke.face_drooping',
    kind: 'stroke',
    pattern:
      /\b(?:face|mouth|smile|lip|eyelid)\b[^.?!]{0,20}?\b(?:droop\w*|sagg\w*|lopsided|uneven|dropped on one side|drooped)\b|\bdroop\w*\s+(?:\w+\s+)?(?:face|mouth|smile)\b/,
  },
  {
    id: 'stroke.slurred_speech',
    kind: 'stroke',
    pattern:
      /\bslurr(?:ed|ing)\b|\b(?:speech|talking|words)\b[^.?!]{0,15}?\b(?:slurred|garbled|jumbled|muddled)\b|\b(?:suddenly|all of a sudden)\s+(?:cant|unable to)\s+(?:speak|talk)\b|\bcant (?:get (?:my|his|her|the) words out|speak properly|talk properly)\b/,
  },
  {
    id: 'stroke.one_side',
    kind: 'stroke',
    pattern:
      /\b(?:one side|left side|right side|half)\s+of\s+(?:my|his|her|their|the)?\s*(?:face|body)\b[^.?!]{0,25}?\b(?:numb|weak|droop\w*|paraly\w*|not moving|cant move|dead|limp|tingl\w*)\b|\b(?:numb|weak|numbness|weakness|paraly\w*|tingling)\b[^.?!]{0,25}?\b(?:on|down)\s+(?:one|the left|the right|my left|my right|his left|his right|her left|her right|left|right)\s+side\b/,
  },
  {
    id: 'stroke.cant_lift_arm',
    kind: 'stroke',
    pattern:
      /\b(?:cant|unable to|suddenly cant)\s+(?:lift|raise|move|feel)\s+(?:my|his|her|their|one|the|either)?\s*(?:left |right )?(?:arm|arms|leg|hand)\b/,
  },
  {
    id: 'stroke.named',
    kind: 'stroke',
    pattern:
      /\b(?:having|is having|had|think (?:i|he|she) (?:is|am|im|s) having|might be having|could be having|think (?:its|it is|this is|thats)|is this)\s+a\s+stroke\b/,
  },
  {
    id: 'bleeding.wont_stop',
    kind: 'bleeding',
    pattern:
      /\b(?:bleeding|blood|bleed)\b[^.?!]{0,20}?\b(?:wont stop|doesnt stop|isnt stopping|not stopping|everywhere|spurting|pouring|gushing)\b|\bcant stop (?:the |his |her |my )?bleed\w*\b|\blos(?:ing|t) (?:a lot of |so much |lots of )blood\b/,
  },
  {
    id: 'bleeding.heavy',
    kind: 'bleeding',
    // Heavy periods are a diary symptom; a period that will not stop is caught above.
    unless: /\b(?:period|periods|menstrua\w*|time of the month|nosebleeds?)\b/,
    pattern:
      /\b(?:bleeding|blood|bleed)\b[^.?!]{0,20}?\b(?:heavily|a lot|profusely|so much)\b|\b(?:heavy|heavily|severe|uncontrolled|uncontrollable|massive|serious)\s+bleeding\b/,
  },
  {
    id: 'bleeding.coughing_vomiting_blood',
    kind: 'bleeding',
    pattern:
      /\b(?:cough\w*|vomit\w*|throw\w* up|threw up|puk\w*|spit\w*|spew\w*)\s+(?:up\s+)?(?:blood|bloody)\b|\bblood in (?:my|his|her) (?:vomit|sick)\b/,
  },
  {
    id: 'other.anaphylaxis',
    kind: 'other',
    pattern:
      /\banaphyla\w*\b|\b(?:throat|tongue)\b[^.?!]{0,12}?\b(?:swelling|swollen|swells|closing|closing up|closed up)\b|\b(?:swelling|swollen)\s+(?:throat|tongue)\b|\ballergic reaction\b[^.?!]{0,40}?\b(?:breath\w*|throat|swell\w*|lips|tongue)\b/,
  },
  {
    id: 'other.seizure',
    kind: 'other',
    pattern:
      /\b(?:having|is having|in the middle of|started having|just had) a (?:seizure|fit|convulsion)\b|\b(?:seizing|convulsing|fitting and)\b|\bseizure\b/,
  },
];

/** Words saying it happens now: they make a match urgent whatever else the message says. */
const PRESENT =
  /\b(?:right now|rn|now(?! on)|currently|at the moment|atm|as we speak|this minute|still|just (?:collapsed|fainted|passed out|fell|started|now)|happening|help me|please help|help|call (?:an |the )?ambulance|ambulance|911|999|112|emergency|hurry)\b/;
/** "now" that does not mean now. */
const NOT_PRESENT = /\b(?:until|till|til|up to|up until|by|so far|from|before|since) now\b/g;

/** Questions about the diary. */
const DIARY_QUESTION =
  /\b(?:how (?:many|often|much|bad|severe|long|frequently)|when (?:did|was|were|have|had|do)|(?:last|first|previous) time|number of|count|show|list|log|logs|logged|logging|record|recorded|entries|entry|diary|journal|average|trend|summary|overview|compare|have i (?:ever|had)|did i|was i|were (?:my|there)|do i (?:usually|often|always|also)|times did|any (?:entries|days|times)|in my (?:diary|log|notes)|together|at the same time|usually|comes? with|related)\b/;
/** An event dated in the past. */
const PAST =
  /\b(?:yesterday|last (?:week|month|year|night|weekend|time|spring|summer|autumn|fall|winter|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december)|\w+ (?:days?|weeks?|months?|years?|hours?) ago|ago|the other day|back in|(?:in|during) (?:january|february|march|april|june|july|august|september|october|november|december|\d{4})|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|as a (?:child|kid|teenager)|when i was (?:a |younger|little|young))\b/;
/** A hypothetical or general question. */
const HYPOTHETICAL =
  /\b(?:what (?:should|do|would|can|could) (?:i|you|we|one|people|someone) do (?:if|when|in case)|what if|if (?:someone|somebody|a person|my|i|he|she|you|they|it|ever)|in case|how (?:do|would|can|could) (?:you|i|we|one) (?:know|tell|recogni[sz]e|spot)|(?:signs|symptoms|warning signs) of|what (?:are|is) (?:the )?(?:signs|symptoms|causes?)|what causes|what does \w+ mean|can \w+ cause|is it normal|is it (?:bad|serious|dangerous))\b/;

/** Typos and variants folded before matching. */
const FOLDS: readonly { readonly pattern: RegExp; readonly replacement: string }[] = [
  { pattern: /['\u2018\u2019\u02bc`\u00b4]/g, replacement: '' },
  { pattern: /&/g, replacement: ' and ' },
  { pattern: /\bcan ?not\b/g, replacement: 'cant' },
  { pattern: /\b(could|would|do|does|did|is|was|are) not\b/g, replacement: '$1nt' },
  { pattern: /\bwill not\b/g, replacement: 'wont' },
  { pattern: /\b(?:pian|painn+)\b/g, replacement: 'pain' },
  { pattern: /\bbreth\b|\bbrethe\b|\bbreahte\b|\bbreate\b/g, replacement: 'breathe' },
  { pattern: /\bbreating\b|\bbrething\b|\bbreathin\b/g, replacement: 'breathing' },
  { pattern: /\bchst\b|\bchets\b/g, replacement: 'chest' },
  { pattern: /\bi m\b/g, replacement: 'im' },
  { pattern: /\s+/g, replacement: ' ' },
];

/** The message as the rules read it: lowercase, apostrophes dropped, typos folded. */
export function foldForSafety(text: string): string {
  let folded = text.toLowerCase();
  for (const fold of FOLDS) folded = folded.replace(fold.pattern, fold.replacement);
  return folded.trim();
}

/** Whether the message says the thing is happening now. */
function saysNow(folded: string): boolean {
  return PRESENT.test(folded.replace(NOT_PRESENT, ' '));
}

function suppression(rule: SafetyRule, folded: string): SafetyAssessment['suppressedBy'] {
  if (HYPOTHETICAL.test(folded)) return 'hypothetical';
  if (DIARY_QUESTION.test(folded)) return 'diary_question';
  if (rule.kind !== 'self_harm' && PAST.test(folded)) return 'past';
  return undefined;
}

/**
 * The safety reading of a message: urgent with the kind and rule of the first matching rule
 * (SAFETY_RULES order) that the framing does not suppress; else not urgent, naming the first
 * suppressed rule if any.
 */
export function assessSafety(text: string): SafetyAssessment {
  const folded = foldForSafety(text);
  const now = saysNow(folded);
  let suppressed: SafetyAssessment | undefined;
  for (const rule of SAFETY_RULES) {
    const match = rule.pattern.exec(folded);
    if (!match) continue;
    if ((rule.requiresNow && !now) || rule.unless?.test(folded)) continue;
    const by = now ? undefined : suppression(rule, folded);
    if (by === undefined) {
      return { urgent: true, kind: rule.kind, rule: rule.id, text: match[0] };
    }
    suppressed ??= { urgent: false, rule: rule.id, text: match[0], suppressedBy: by };
  }
  return suppressed ?? { urgent: false };
}
