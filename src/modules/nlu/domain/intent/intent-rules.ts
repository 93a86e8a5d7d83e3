/**
 * The intent rules, as data: each cue is a pattern over the normalised question (lowercase, no
 * apostrophes, punctuation turned into single spaces, typos of cue words folded, see
 * `TYPO_FOLDS`), the intent it votes for and how strongly. `intent-classifier.ts` adds the votes
 * up; the ids of the cues that won are the `rule` of the explain output.
 *
 * Weights, on one scale for every intent:
 *   3.5  a phrase that settles the question on its own and beats a generic reading
 *        ("most common", "summary")
 *   3    a phrase that names the intent ("how many", "when did I last", "how bad")
 *   2.5  a strong hint that other words may contradict ("changed", "worst", "vs")
 *   2    a hint ("average", "more ... or ...", "doctor")
 *   1.5  a weak hint
 *
 * Flags:
 *   generic    the cue is a reading of last resort ("entries", "when did I have ..."): it only
 *              counts when no other intent has a specific cue.
 *   anchored   the words only make sense about the diary ("summary", "severity"), so the cue keeps
 *              its full weight in a question that names nothing of the person's own (see
 *              `DIARY_ANCHOR`).
 *   overrides  intents this cue rules out when it matches ("most common" rules out `count`,
 *              "worst symptom" rules out `severity`).
 *   when       signals the cue needs from the other extractors (a symptom, a time, two periods).
 *
 * Write patterns for the normalised form: "couldn't" arrives as "couldnt", "&" as "and", and the
 * contractions folded by `TYPO_FOLDS` spelt out ("what's" -> "what is", "I've" -> "i have").
 * No `g` or `y` flag (such a RegExp is stateful across `test` calls).
 */
import type { Intent } from '../frame';

export interface CueConditions {
  /** The question names a symptom (true) or names none (false). */
  readonly symptom?: boolean;
  /** The question names a period (true) or names none (false). */
  readonly time?: boolean;
  /** The question names two periods or more. */
  readonly twoPeriods?: boolean;
}

export interface IntentCue {
  /** `<intent>:<name>`, shown in the explain output. */
  readonly id: string;
  readonly intent: Intent;
  readonly weight: number;
  readonly pattern: RegExp;
  readonly generic?: boolean;
  readonly anchored?: boolean;
  readonly overrides?: readonly Intent[];
  readonly when?: CueConditions;
}

/**
 * Small talk: it yields to a specific diary, advice or off-topic cue in the same message, or to a
 * named symptom (see `intent-classifier.ts`).
 */
export const SMALL_TALK: readonly Intent[] = ['greeting', 'thanks', 'help'];

/**
 * Words that, after "last"/"first", make a period rather than an occurrence: "last week" is a
 * time, "last migraine" is the latest entry.
 */
const PERIOD_WORDS =
  '(?:\\d+\\w*|few|couple|several|two|three|four|five|six|seven|eight|nine|ten|twelve|' +
  'day|days|week|weeks|weekend|weekends|fortnight|month|months|year|years|night|nights|hour|hours|' +
  'quarter|wk|wks|mo|mos|mth|mths|yr|yrs|morning|afternoon|evening|half|spring|summer|autumn|' +
  'fall|winter|christmas|easter|' +
  'mon|monday|tue|tues|tuesday|wed|wednesday|thu|thur|thurs|thursday|fri|friday|sat|saturday|' +
  'sun|sunday|january|february|march|april|may|june|july|august|september|october|november|' +
  'december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\\b';

const NOT_PERIOD = `(?!\\s${PERIOD_WORDS})`;

/** Verbs of having a symptom or logging it, past and present. */
const HAVE_VERBS =
  '(?:have|had|has|get|got|gotten|getting|feel|felt|feeling|experience|experienced|suffer|' +
  'suffered|notice|noticed|log|logged|record|recorded|note|noted|report|reported|enter|entered|' +
  'track|tracked|see|saw|mention|mentioned)';

/** Ways of asking "when": "when", "what date", "which day", "how long ago". */
const WHEN = '(?:when|what date|what day|which day|what time|how long ago)';

const c = (
  intent: Intent,
  name: string,
  weight: number,
  pattern: RegExp,
  options: Omit<IntentCue, 'id' | 'intent' | 'weight' | 'pattern'> = {},
): IntentCue => ({ id: `${intent}:${name}`, intent, weight, pattern, ...options });

const rx = (source: string): RegExp => new RegExp(source);

export const INTENT_CUES: readonly IntentCue[] = [
  // ---- count: how many times / how often -------------------------------------------------------
  c('count', 'how-many', 3, /\bhow many\b/),
  c(
    'count',
    'how-often',
    3,
    /\bhow (?:often|frequently|frequent|regularly|many times|many days)\b/,
  ),
  c('count', 'number-of', 3, /\b(?:number|count|total|tally|frequency) of\b/),
  c('count', 'frequency', 3, /\bfrequency\b/),
  c('count', 'count-verb', 2.5, /\b(?:count|tally|total|in total|add up)\b/),
  c('count', 'times-i', 2.5, /\btimes (?:did |have |has |had |was |were |do )?(?:i|ive|my)\b/),
  c('count', 'a-lot', 2, /\b(?:a lot|lots|loads|plenty|often|frequently|regularly|much)\b/, {
    generic: true,
  }),
  c('count', 'how-much', 2, /\bhow much\b/, { generic: true }),
  c(
    'count',
    'any',
    2,
    /\bany\b(?! (?:improvement|change|changes|better|worse|difference|progress|pattern|advice|tips|idea|ideas|questions|examples))/,
    { generic: true },
  ),

  // ---- last_occurrence: the most recent entry --------------------------------------------------
  c('last_occurrence', 'when-last', 3, rx(`\\b${WHEN}\\b(?: \\w+){0,6}? last\\b${NOT_PERIOD}`)),
  c(
    'last_occurrence',
    'what-was-the-last-day',
    3,
    /\b(?:what|which) (?:was|is|were) (?:the|my) (?:last|latest|most recent) (?:day|date|night|time)\b/,
  ),
  c(
    'last_occurrence',
    'last-time',
    3,
    /\blast (?:time|times|occurrence|occurence|instance|episode|bout|attack|flare|flare up|entry|record|one)\b/,
  ),
  c(
    'last_occurrence',
    'most-recent',
    3,
    /\b(?:most recent|most recently|latest|newest|how recently)\b/,
  ),
  c(
    'last_occurrence',
    'my-last',
    2.5,
    rx(`(?:^|\\b(?:my|the|your) )(?:very )?last${NOT_PERIOD} \\w+`),
  ),
  c(
    'last_occurrence',
    'last-verb',
    3,
    /\blast (?:had|felt|got|get|logged|recorded|noted|experienced|suffered|noticed|happened|occurred|flared|threw|was|were|did|came)\b/,
  ),
  c('last_occurrence', 'how-long-since', 2.5, /\bhow long (?:has it been |is it )?since\b/),
  c('last_occurrence', 'how-long-ago', 1.5, /\bhow long ago\b/),
  c(
    'last_occurrence',
    'previous-one',
    2.5,
    /\b(?:previous|prior|preceding) (?:one|entry|episode|attack|time|occurrence|bout)\b/,
  ),
  c('last_occurrence', 'when-no-time', 2, /^when\b|\bwhen (?:did|was|were|have|had)\b/, {
    generic: true,
    when: { time: false },
  }),

  // ---- first_occurrence: the earliest entry ----------------------------------------------------
  c(
    'first_occurrence',
    'when-start',
    3,
    rx(
      `\\b${WHEN}\\b(?: \\w+){0,8}? (?:start|starts|started|begin|begins|began|begun|first|kick off|kicked off|kick in|kicked in|commence|commenced|appear|appeared|show up|showed up|come on|came on|set in|onset)\\b`,
    ),
  ),
  c(
    'first_occurrence',
    'what-was-the-first-day',
    3,
    /\b(?:what|which) (?:was|is|were) (?:the|my) (?:first|earliest) (?:day|date|night|time)\b|^(?:the |my )?(?:first|earliest) (?:day|date|night) (?:i|that|when|my)\b/,
  ),
  c(
    'first_occurrence',
    'first-x',
    3,
    /\bfirst (?:time|times|occurrence|occurence|instance|episode|bout|attack|entry|record|log|logged|sign|signs|ever|had|got|get|felt|noticed|recorded|noted|experienced|appeared|started|showed|came|mentioned|reported)\b/,
  ),
  c(
    'first_occurrence',
    'my-first',
    2.5,
    rx(`(?:^|\\b(?:my|the|your) )(?:very )?first${NOT_PERIOD} \\w+`),
  ),
  c('first_occurrence', 'earliest', 3, /\b(?:earliest|oldest)\b/),
  // "how long have I had X": the answer is the date it started (the first entry).
  c('first_occurrence', 'how-long-have', 3, /\bhow long (?:have|has|had|ive|hav|is it that)\b/),
  c('first_occurrence', 'since-when', 3, /\bsince when\b/),
  c(
    'first_occurrence',
    'start-verb',
    2.5,
    /\b(?:start|started|starting|begin|began|begun) (?:having|getting|feeling|to get|to have|to feel|logging|experiencing|suffering|noticing)\b/,
  ),
  c('first_occurrence', 'onset', 2.5, /\b(?:onset|initially|originally|beginning of my)\b/),

  // ---- list: the entries themselves ------------------------------------------------------------
  c(
    'list',
    'show',
    3,
    /\b(?:show(?! up)|shows(?! up)|display|list|listing|pull up|bring up|let me see|print out|read out|read me|look up|see all|go through)\b/,
  ),
  c(
    'list',
    'can-i-see',
    3,
    /\b(?:can|could|may) i (?:see|view|look at|have a look at|check|read)\b|\b(?:want|like|wish) to (?:see|view|look at|read)\b/,
  ),
  c(
    'list',
    'what-logged',
    3,
    /\bwhat (?:(?:did|have|had|do) )?(?:i|ive|i have|i had) (?:\w+ )?(?:log|logged|record|recorded|note|noted|write|written|wrote|enter|entered|track|tracked|add|added|put|input|jot|jotted|report|reported|mention|mentioned|save|saved)\b/,
  ),
  c(
    'list',
    'recent-entries',
    3.5,
    /\b(?:most recent|latest|last few|last \d+|recent|newest) (?:entries|logs|records|notes|symptoms)\b/,
    { overrides: ['last_occurrence'] },
  ),
  c('list', 'give-all', 2.5, /\bgive me (?:all|every|a list|the list|my entries|the entries)\b/),
  c(
    'list',
    'which-days',
    3,
    /\b(?:which|what) (?:days|dates|nights|mornings|evenings|afternoons|times)\b(?! (?:did i|have i|was i) (?:\w+ )*most\b)/,
    { overrides: ['count'] },
  ),
  c(
    'list',
    'what-symptoms',
    2.5,
    /\b(?:what|which) (?:symptoms|symptom|complaints|problems|issues)\b/,
    {
      generic: true,
    },
  ),
  c('list', 'what-were-symptoms', 2.5, /\bwhat (?:were|are|was) (?:my|the) (?:symptoms|entries)\b/),
  c(
    'list',
    'what-happened',
    2,
    /\bwhat (?:happened|went on|was going on|is going on|is been going on|has been going on|has happened|was wrong)\b/,
    {
      generic: true,
    },
  ),
  c(
    'list',
    'entries',
    2,
    /\b(?:entries|entry|log|logs|log entries|records|diary|journal|notes|all my symptoms|everything)\b/,
    { generic: true },
  ),
  c('list', 'when-with-time', 2, /^when\b|\bwhen (?:did|was|were|have|had)\b/, {
    generic: true,
    when: { time: true },
  }),

  // ---- severity: how bad ------------------------------------------------------------------------
  c(
    'severity',
    'how-bad',
    3,
    /\bhow (?:bad|badly|severe|severely|intense|painful|strong|high|awful|terrible|rough|sore|unpleasant|serious was|serious were|much pain)\b/,
  ),
  c(
    'severity',
    'severity-word',
    3,
    /\b(?:severity|severities|intensity|pain (?:level|levels|score|scores|rating|ratings)|pain scale|scale of|out of (?:10|ten)|(?<!heart )rate|rated|rating|ratings|score|scores)\b/,
    { anchored: true },
  ),
  c(
    'severity',
    'how-much-hurt',
    3,
    /\bhow much (?:\w+ ){0,4}(?:hurt|hurts|hurting|ache|ached|aching|pain|sting|stung|throb|throbbed|suffer|suffered)\b/,
    { overrides: ['count'] },
  ),
  c(
    'severity',
    'worst',
    2.5,
    /\b(?:worst|peak|maximum|max|highest|strongest|most painful|most severe)\b/,
  ),
  c(
    'severity',
    'average',
    2,
    /\b(?:average|mean|typical)\b(?! (?:number|amount|count|frequency|of times|times|per|week|month|day))/,
  ),
  c(
    'severity',
    'what-was-it-like',
    2.5,
    /\bwhat (?:was|were|is|are|has been) (?:\w+ ){1,4}like\b/,
    {
      generic: true,
      when: { symptom: true },
    },
  ),
  c(
    'severity',
    'mild-or-severe',
    3,
    /\b(?:mild|moderate|severe|bad|light|strong|weak)\b(?: \w+){0,3} or (?:\w+ ){0,2}(?:mild|moderate|severe|bad|heavy|strong|intense|really bad|terrible)\b/,
    { overrides: ['compare'] },
  ),
  c(
    'severity',
    'how-was-it',
    2,
    /\bhow (?:was|were|is|are|has|have|did) (?:my|the|it|they|that|those|these|this)\b/,
    { generic: true },
  ),
  c(
    'severity',
    'hurt-a-lot',
    2.5,
    /\b(?:hurt|hurts|ache|ached|aches|sting|stung) (?:a lot|much|badly|so much)\b/,
    {
      overrides: ['count'],
    },
  ),
  c(
    'severity',
    'was-it-bad',
    2.5,
    /\b(?:was|were) (?:it|they|that|those|these|my \w+(?: \w+)?|the \w+(?: \w+)?) (?:very |really |that |so )?(?:bad|severe|painful|intense|awful|terrible|mild|serious|strong)\b/,
  ),
  c('severity', 'hurt-most', 2.5, /\b(?:hurt|hurts|ached|aches) (?:the )?most\b/, {
    overrides: ['top_symptoms'],
  }),

  // ---- trend: better or worse over time ---------------------------------------------------------
  c(
    'trend',
    'getting-better',
    3,
    /\b(?:(?:get|gets|getting|got|gotten|becoming|become|became|grown|growing|going|gone) (?:any |a bit |much |even )?(?:better|worse|milder|stronger|weaker|rarer|easier|harder)|(?:getting|becoming|growing) (?:any |a bit |much |even )?(?:more|less|fewer))\b/,
  ),
  c(
    'trend',
    'improving',
    3,
    /\b(?:improv\w*|worsen\w*|deteriorat\w*|eas(?:e|es|ed|ing) (?:off|up)|easing|subsid\w*|declin\w*|progress\w*|trend\w*|develop(?:ed|ing)?|evolv\w*|escalat\w*|on the (?:rise|up|mend|decline|increase)|tail(?:ing|ed) off|letting up|clearing up|settl(?:ing|ed) down)\b/,
  ),
  c('trend', 'changed', 2.5, /\bchang(?:e|ed|es|ing)\b/),
  c('trend', 'over-time', 3, /\bover (?:time|the (?:weeks|months|years|course)|the long run)\b/),
  c(
    'trend',
    'up-down',
    2.5,
    /\b(?:(?:going|gone|went|trending|moving|heading) (?:up|down)|increas\w*|decreas\w*|rising|falling|dropping|climbing|reducing|lessening)\b/,
  ),
  c('trend', 'better-or-worse', 3, /\b(?:better or worse|worse or better)\b/, {
    overrides: ['compare'],
  }),
  c(
    'trend',
    'is-better',
    2.5,
    /\b(?:is|are|am|has|have|feel|feeling) (?:it|they|i|things|(?:my|the) \w+(?: \w+)?) (?:any |a bit |much )?(?:better|worse)\b(?! (?:in|on|during|than)\b)/,
  ),
  c(
    'trend',
    'more-frequent',
    2.5,
    /\b(?:more|less) (?:frequent|common|often|regular)\b(?!.* or\b)/,
  ),
  c(
    'trend',
    'still',
    2.5,
    /\bstill (?:as |so |that )?(?:bad|severe|frequent|painful|often|common|happening|getting|having|there)\b/,
  ),
  c('trend', 'pattern', 2, /\b(?:pattern|patterns|trajectory|direction)\b/),

  // ---- compare: two periods side by side --------------------------------------------------------
  c(
    'compare',
    'compare',
    3,
    /\b(?:compar\w*|versus|vs|contrast|side by side|difference between|differ|different from|relative to|stack up|stacks up|measure up|measures up)\b/,
    { anchored: true },
  ),
  c(
    'compare',
    'more-than',
    2.5,
    /\b(?:more|less|fewer|worse|better|higher|lower|bigger|smaller|longer|shorter|harder|easier|sicker|milder)\b(?: \w+){0,6} than\b/,
  ),
  c(
    'compare',
    'more-or',
    2,
    /\b(?:more|less|fewer|worse|better|higher|lower|most|milder)\b(?: \w+){0,8} or\b/,
  ),
  c('compare', 'how-many-more', 3.5, /\bhow (?:many|much) (?:more|fewer|less)\b/, {
    overrides: ['count'],
  }),
  c('compare', 'two-periods', 2.5, /^/, { when: { twoPeriods: true }, anchored: true }),

  // ---- co_occurrence: what comes together with a symptom ----------------------------------------
  c(
    'co_occurrence',
    'together',
    3,
    /\b(?:together|at the same time|same time|same day|same days|simultaneous\w*|coincid\w*|concurrent\w*|in tandem|hand in hand)\b/,
  ),
  c(
    'co_occurrence',
    'comes-with',
    3,
    /\b(?:come|comes|came|coming|go|goes|went|going|happen|happens|happened|occur|occurs|occurred|appear|appears|show up|shows up|turn up|turns up|tag along|tags along|pair|paired|pairs)(?: along| together)? (?:with|alongside)\b/,
  ),
  c(
    'co_occurrence',
    'get-with',
    2.5,
    /\b(?:get|have|had|feel|felt|experience|experienced|notice|noticed|log|logged) (?:\w+ )?(?:with|during(?! the (?:day|daytime|night|nighttime)\b)|alongside)\b/,
    { when: { symptom: true } },
  ),
  c(
    'co_occurrence',
    'along-with',
    2.5,
    /\b(?:alongside|along with|in addition to|together with)\b/,
  ),
  c(
    'co_occurrence',
    'associated',
    3,
    /\b(?:associat\w*|accompan\w*|linked|link|links|connect\w*|related|relation\w*|relationship|correlat\w*|co ?occur\w*|tied to|tie in|go with|goes with)\b/,
  ),
  c(
    'co_occurrence',
    'what-else',
    2.5,
    /\b(?:what else|other symptoms?|anything else|which other|what other)\b/,
    {
      when: { symptom: true },
    },
  ),
  c('co_occurrence', 'also-when', 2, /\bwhen (?:i|im|i am|ive|my|it|they)\b/, {
    generic: true,
    when: { symptom: true },
  }),
  c('co_occurrence', 'also-get', 2, /\b(?:do|does|did) (?:i|they|it)\b.*\b(?:also|as well|too)\b/, {
    generic: true,
    when: { symptom: true },
  }),

  // ---- top_symptoms: the most frequent symptoms -------------------------------------------------
  c(
    'top_symptoms',
    'most-common',
    3.5,
    /\b(?:most (?:common|commonly|frequent|frequently|often|regular|regularly|usual|usually|prevalent|logged|recorded|reported|noted|tracked|entered|typical)|commonest)\b/,
    { overrides: ['count', 'list', 'compare', 'trend'] },
  ),
  c(
    'top_symptoms',
    'bothered-most',
    3.5,
    rx(
      `\\b(?:bother\\w*|affect\\w*|troubl\\w*|bug|bugged|bugging|plagu\\w*|annoy\\w*|hit|suffer\\w*(?: from)?|complain\\w*(?: about)?|${HAVE_VERBS})(?: me)?(?: the)? most\\b`,
    ),
    { overrides: ['count', 'list', 'severity', 'compare'] },
  ),
  c(
    'top_symptoms',
    'top-n',
    3.5,
    /\btop (?:\d+ |three |five |ten |few )?(?:symptoms?|complaints?|issues?|problems?|conditions?|ones?|entries)\b/,
    { overrides: ['count', 'list'] },
  ),
  c(
    'top_symptoms',
    'main',
    3.5,
    /\b(?:main|biggest|primary|principal|chief|major|worst|leading|dominant|key|predominant) (?:symptoms?|complaints?|issues?|problems?|concerns?|health (?:issues?|problems?))\b/,
    { overrides: ['severity', 'list'] },
  ),
  c(
    'top_symptoms',
    'which-most',
    3,
    /\b(?:which|what) (?:symptoms?|ones?|complaints?|things?|problems?|issues?)\b(?: \w+)* most\b/,
    { overrides: ['list', 'count'] },
  ),
  c(
    'top_symptoms',
    'which-worst',
    3.5,
    /\b(?:which|what) (?:symptoms?|complaints?|problems?|issues?)\b(?: \w+){0,4} (?:worst|most severe|most painful|the worst)\b/,
    { overrides: ['severity'] },
  ),
  c(
    'top_symptoms',
    'the-most-i-had',
    3,
    rx(`\\bthe most (?:\\w+ ){0,3}(?:suffer\\w*|${HAVE_VERBS})\\b`),
    { overrides: ['count', 'list'] },
  ),
  c('top_symptoms', 'rank', 2.5, /\b(?:rank|ranking|ranked|leaderboard)\b/),

  // ---- summary: an overview of a period ---------------------------------------------------------
  c(
    'summary',
    'summary',
    3.5,
    /\b(?:summary|summaries|summari[sz]\w*|overview|rundown|run down|recap|round ?up|digest|sum up|sum it up|synopsis|breakdown|highlights|wrap ?up|debrief|snapshot|status update|in a nutshell)\b/,
    { anchored: true, overrides: ['list'] },
  ),
  c('summary', 'report', 3, /\b(?:a|my|the|health|weekly|monthly|full|quick) report\b/, {
    anchored: true,
  }),
  c(
    'summary',
    'how-was-health',
    3,
    /\bhow (?:was|is|has|have|am|are|were) (?:my health|i|things|everything|my (?:week|month|year|day|weekend|body)|the (?:week|month|year|day|weekend))\b|\bhow did i (?:do|feel|fare|get on|cope)\b|\bhealth check\b/,
    { anchored: true, overrides: ['severity'] },
  ),
  c(
    'summary',
    'how-was-period',
    2.5,
    /\bhow (?:was|were|did) (?:last|this|yesterday|today|the (?:past|last|previous)|(?:jan|febr)uary|march|april|may|june|july|august|september|october|november|december)\b/,
    { overrides: ['severity'] },
  ),
  c('summary', 'how-did-go', 2.5, /\bhow did\b(?: \w+){1,4} go\b/),
  c(
    'summary',
    'tell-me-about',
    2.5,
    /\b(?:tell me about|what can you tell me about|catch me up|fill me in|update me|brief me)\b/,
    {
      anchored: true,
    },
  ),
  c('summary', 'my-health', 2.5, /\b(?:my|the) (?:overall |general )?health\b/, {
    generic: true,
    anchored: true,
  }),
  c(
    'summary',
    'what-do-you-know',
    3,
    /\bwhat (?:information|info|data|details) do you (?:have|hold|store|keep)\b|\bwhat do you know about me\b/,
    { anchored: true },
  ),
  c('summary', 'what-was-it-like', 2.5, /\bwhat (?:was|were|is|has been) (?:\w+ ){1,3}like\b/, {
    generic: true,
    when: { symptom: false },
  }),
  c('summary', 'health-wise', 2, /\b(?:health ?wise|in general|overall|all in all)\b/, {
    generic: true,
  }),

  // ---- advice: diagnosis, treatment, medication (the diary cannot answer these) -----------------
  c(
    'advice',
    'what-take',
    3,
    /\bwhat (?:should|could|would|do|can|must) (?:i|you|one|we) (?:take|use|try|drink|eat|apply|avoid|put|rub)\b|\bwhat (?:should|could|would|can) i do (?:about|for|to|with)\b|\bwhat should i do\b/,
  ),
  c(
    'advice',
    'should-i',
    3,
    /\bshould i (?:see|go|call|visit|take|stop|start|worry|be worried|be concerned|get|ring|book|seek|rest|use|try|avoid|consult|phone|ask|be)\b/,
  ),
  c(
    'advice',
    'doctor',
    2,
    /\b(?:doctor|doc|gp|physician|nurse|a and e|emergency room|urgent care|hospital|clinic|specialist|pharmacist|chemist|dentist)\b/,
  ),
  c(
    'advice',
    'medication',
    3,
    /\b(?:medic(?:ine|ines|ation|ations|al advice)|meds|pill|pills|tablet|tablets|dose|doses|dosage|drug|drugs|ibuprofen|paracetamol|acetaminophen|aspirin|tylenol|advil|nurofen|naproxen|codeine|antibiotic|antibiotics|antihistamines?|painkillers?|pain killers?|remed\w*|cure|cures|treat|treatment|treatments|treating|therapy|prescri\w*|supplements?|vitamins?|inhaler|ointment|over the counter|otc)\b/,
  ),
  c(
    'advice',
    'diagnosis',
    3,
    /\b(?:diagnos\w*|(?:do|could|might|can) i (?:have|be having|have got|got) (?:a |an |the )?(?:\w+ ){0,2}(?:flu|cold|covid|corona\w*|virus|infection|cancer|tumou?r|diabetes|disease|condition|disorder|syndrome|allergy|allergies|strep|pneumonia|bronchitis|sinusitis|uti|something|anything serious|illness|deficiency|intolerance)|(?:could|can|might|may|would) (?:it|this|that|they|these) (?:be|mean)|am i (?:sick|ill|dying|ok|okay|alright|pregnant|depressed|anxious|contagious|infected|allergic|normal|healthy|going to be)|what (?:is|s) (?:wrong|the matter) with me|is (?:it|this|that) (?:just )?(?:a |an |the )?(?:flu|cold|covid|corona\w*|virus|infection|allergy|allergies|hay fever|strep|migraine|sinusitis|uti)|is it (?:a )?(?:sign|symptom) of|sign of|symptom of)\b/,
  ),
  c(
    'advice',
    'could-it-be',
    3,
    /\b(?:could|might|may|can) (?:it|this|that|they|these|my \w+(?: \w+)?|the \w+(?: \w+)?) be (?:a |an |the )?(?:caused|due|because|from|related to|linked to|a sign|a symptom|something|serious|covid|flu|cancer|an? allergy|an? infection|stress|my|low|high|blood|dehydrat\w*|anaemi\w*|anemi\w*|hormon\w*|menopaus\w*|pregnan\w*|deficien\w*|vertigo|long covid)\b|\b(?:caused by|due to|because of|brought on by|a result of|result of)\b/,
    { overrides: ['co_occurrence'] },
  ),
  c(
    'advice',
    'symptoms-of',
    3,
    /\b(?:symptoms?|signs?) of (?!my\b|improvement|improving|getting|it\b|them\b)/,
    { overrides: ['list'] },
  ),
  c(
    'advice',
    'cause',
    3,
    /\b(?:what (?:is |s )?caus\w*|what could cause|cause of|causes of|causing|trigger\w*|why (?:do|does|did|am|is|are|have|has|would|should|might|can) (?:i|my|it|they|this|that|the))\b/,
  ),
  c(
    'advice',
    'serious',
    3,
    /\b(?:is (?:it|this|that|my \w+(?: \w+)?) (?:serious|dangerous|bad|normal|worrying|concerning|contagious|infectious|harmful|life threatening|an emergency)|(?:normal|safe|ok|okay) to|should i be (?:worried|concerned)|worried about|worry about|concerned about|contagious|infectious|is (?:it|this) safe)\b/,
  ),
  c(
    'advice',
    'how-treat',
    3,
    /\bhow (?:do|can|could|should|would|to|might) (?:i |you |one |we )?(?:get rid|treat|cure|stop|prevent|relieve|ease|reduce|help|fix|manage|deal|cope|soothe|calm|improve|avoid|lower|beat|handle|sort|heal|recover|feel better|make it stop)\b|\bget rid of\b/,
  ),
  c(
    'advice',
    'what-helps',
    3,
    /\bwhat (?:helps|works|is good|s good|would help|might help|can help|will help)\b|\bhelps? (?:with|for|against)\b|\bgood for\b|\bbad for\b/,
  ),
  c('advice', 'advice-word', 2.5, /\b(?:advice|advise|recommend\w*|suggest\w*|tips?|do i need)\b/),

  // ---- greeting / thanks / help (small talk) ----------------------------------------------------
  c(
    'greeting',
    'hello',
    3,
    /^(?:hi|hii+|hello|helo|hey|heya|hiya|howdy|yo|hallo|hullo|greetings|good (?:morning|afternoon|evening|day)|sup|wassup|what is up|ahoy|bonjour|hola|gday|salut)\b/,
  ),
  c('greeting', 'bare-time-of-day', 3, /^(?:morning|evening|afternoon)$/),
  c(
    'greeting',
    'how-are-you',
    3,
    /\b(?:how are (?:you|ya|u)|how is it going|how do you do|nice to meet|how is your day|how are things going)\b/,
  ),
  c(
    'thanks',
    'thanks',
    3,
    /\b(?:thanks|thank you|thank u|thankyou|cheers|ta|much appreciated|appreciate it|appreciate that|appreciated|grateful|thanks a lot|tyvm|ty)\b/,
  ),
  c(
    'thanks',
    'acknowledge',
    2.5,
    /^(?:(?:ok|okay|k|kk|alright|all right|right|cool|great|nice|perfect|awesome|brilliant|lovely|excellent|super|got it|gotcha|understood|noted|fine|good|good to know|makes sense|i see|sounds good|fair enough|neat|wonderful|amazing|sweet|fab|fantastic|splendid|that helps|that helped|helpful|very helpful|so helpful|interesting|good stuff|will do|no worries|np|nice one|good one|ace|sorted|legend)(?: |$))+$/,
  ),
  c(
    'thanks',
    'helpful',
    3,
    /\b(?:that (?:was |is |s )?(?:very |really |super |so )?(?:helpful|useful|great|perfect|brilliant)|thats (?:very |really |super |so )?(?:helpful|useful|great|perfect))\b/,
  ),
  c(
    'thanks',
    'bye',
    2.5,
    /^(?:bye|goodbye|good bye|see you|see ya|cya|good night|take care|ttyl)\b/,
  ),
  c(
    'help',
    'what-can-you',
    3,
    /\bwhat (?:else )?can (?:you|u)\b|\bwhat are you able\b|\bwhat do you do\b/,
  ),
  c(
    'help',
    'what-can-i',
    3,
    /\bwhat (?:else )?can i (?:ask|say|type|query|do here|do with (?:this|you)|use (?:this|you) for)\b|\bwhat (?:should|do) i ask\b|\b(?:able|allowed) to ask\b|\bask you\b/,
  ),
  c(
    'help',
    'kinds-of-questions',
    3,
    /\b(?:what|which) (?:sort|sorts|kind|kinds|type|types) of (?:questions|things|stuff|queries|info|information)\b|\bwhat (?:questions|things) (?:can|do|should)\b/,
  ),
  c(
    'help',
    'how-to-log',
    3,
    /\bhow (?:do|can|should|would) i (?:add|log|record|enter|delete|remove|edit|change|update|create|export|track|save)\b|\b(?:can|could) i (?:add|delete|remove|edit|export)\b/,
    { overrides: ['list'] },
  ),
  c(
    'help',
    'how-works',
    3,
    /\bhow (?:does|do) (?:this|it|you) work\b|\bhow (?:do|can|should) i use (?:this|you|it)\b|\bhow to use\b|\bhow does this thing work\b/,
  ),
  c(
    'help',
    'examples',
    2.5,
    /\b(?:examples?|instructions|tutorial|capabilities|features|commands|manual|user guide|get started|getting started|faq)\b/,
  ),
  c(
    'help',
    'help-alone',
    3,
    /^(?:help|help me|help please|please help|i need help|need help|menu|options|what now|now what)$/,
  ),
  c('help', 'help-word', 1.5, /\bhelp\b/, { generic: true }),
  c(
    'help',
    'who-are-you',
    3,
    /\b(?:who are you|what are you|what is this|are you (?:a bot|a robot|human|real|an ai))\b/,
  ),
  c('help', 'can-you', 2, /\bcan you (?:answer|help|tell|do|handle)\b|\bare you able to\b/, {
    generic: true,
  }),

  // ---- unknown: clearly outside the diary -------------------------------------------------------
  c(
    'unknown',
    'off-topic',
    3,
    /\b(?:weather|forecast|rain|raining|snow|snowing|sunny|joke|jokes|riddle|football|soccer|basketball|baseball|cricket|tennis|rugby|golf|nba|nfl|premier league|world cup|match|game|games|recipe|recipes|cook|cooking|bake|restaurant|table for|book me|taxi|uber|flight|flights|hotel|movie|movies|film|films|tv|song|songs|music|news|stock|stocks|shares|bitcoin|crypto|capital of|president|prime minister|election|politics|translate|poem|time is it|what day is it|todays date|calculate|divided by|homework|alarm|timer|reminder|traffic|directions|population|how many people|meaning of life|who invented|who won|who is the|tallest|distance to|lottery|horoscope|password)\b/,
    { when: { symptom: false } },
  ),
  c('unknown', 'arithmetic', 3, /\b\d+ (?:times|plus|minus|x) \d+\b/, { when: { symptom: false } }),
];

/** Typos and text-speak of cue words, folded token by token before matching. */
export const TYPO_FOLDS: Readonly<Record<string, string>> = {
  hw: 'how',
  hwo: 'how',
  hiw: 'how',
  hpw: 'how',
  wen: 'when',
  whn: 'when',
  wehn: 'when',
  whe: 'when',
  wat: 'what',
  wht: 'what',
  wot: 'what',
  waht: 'what',
  whta: 'what',
  mny: 'many',
  meny: 'many',
  manny: 'many',
  mnay: 'many',
  amny: 'many',
  ofen: 'often',
  offen: 'often',
  oftn: 'often',
  ofte: 'often',
  lst: 'last',
  lsat: 'last',
  frist: 'first',
  fisrt: 'first',
  firts: 'first',
  sumary: 'summary',
  summery: 'summary',
  sumarry: 'summary',
  summry: 'summary',
  thnx: 'thanks',
  thanx: 'thanks',
  thx: 'thanks',
  tnx: 'thanks',
  thks: 'thanks',
  thnks: 'thanks',
  tks: 'thanks',
  thankyou: 'thank you',
  thanku: 'thank you',
  tq: 'thanks',
  pls: 'please',
  plz: 'please',
  plez: 'please',
  u: 'you',
  ur: 'your',
  r: 'are',
  wk: 'week',
  wks: 'weeks',
  mnth: 'month',
  mth: 'month',
  yday: 'yesterday',
  hlp: 'help',
  shw: 'show',
  sho: 'show',
  lsit: 'list',
  gettin: 'getting',
  goin: 'going',
  feelin: 'feeling',
  havin: 'having',
  startin: 'starting',
  improvin: 'improving',
  compair: 'compare',
  compre: 'compare',
  comapre: 'compare',
  comon: 'common',
  commen: 'common',
  commom: 'common',
  freqent: 'frequent',
  frequnt: 'frequent',
  sevre: 'severe',
  svere: 'severe',
  wrost: 'worst',
  wrose: 'worse',
  recnt: 'recent',
  resent: 'recent',
  lastest: 'latest',
  earlist: 'earliest',
  overal: 'overall',
  helth: 'health',
  healt: 'health',
  halp: 'help',
  bettr: 'better',
  wrse: 'worse',
  wors: 'worse',
  hows: 'how is',
  whats: 'what is',
  whens: 'when is',
  wheres: 'where is',
  im: 'i am',
  ive: 'i have',
  abt: 'about',
};

/**
 * Longer cue words whose one-edit typos are folded too ("sumarry", "improveing", "frequntly"):
 * tokens of `FUZZY_MIN_LENGTH`+ letters, not in `FUZZY_GUARD`, that are not the cue word plus or
 * minus an inflection ('symptom' is left alone, it is not a typo of 'symptoms').
 */
export const FUZZY_CUE_WORDS: readonly string[] = [
  'summary',
  'summarise',
  'summarize',
  'overview',
  'compare',
  'severity',
  'intense',
  'painful',
  'improving',
  'worsening',
  'frequent',
  'frequently',
  'together',
  'symptoms',
  'recently',
  'earliest',
  'average',
  'associated',
  'accompany',
  'usually',
  'bothered',
  'display',
  'medication',
  'medicine',
  'examples',
  'trending',
];

/** Real words one edit away from a cue word: never "corrected". */
export const FUZZY_GUARD: ReadonlySet<string> = new Set(['decently', 'tending', 'summery']);

/** Shortest token the one-edit folding looks at. */
export const FUZZY_MIN_LENGTH = 7;

/**
 * Words that tie a question to the person's own diary. A diary cue in a question with none of
 * them, and no symptom or time either ("how many people live in Paris"), counts for less, and
 * `unknown` gains `NO_ANCHOR_UNKNOWN`.
 */
export const DIARY_ANCHOR =
  /\b(?:i|id|me|my|mine|myself|we|our|us|it|its|they|them|their|those|these|one|ones|there|symptom|symptoms|entry|entries|log|logs|logged|diary|journal|record|records|recorded|health|pain|pains|ache|aches|hurt|hurts|sick|ill|episode|episodes|attack|attacks|flare|flares|bout|bouts)\b/;
export const NO_ANCHOR_FACTOR = 0.6;
export const NO_ANCHOR_UNKNOWN = 2;

/**
 * Follow-up leads: the question continues the previous one ("and in September?", "what about
 * vomiting?", "same for nausea", "ok and the week before?"). Interjections before the lead are
 * allowed.
 */
export const FOLLOW_UP_LEAD =
  /^(?:(?:ok|okay|ok then|so|right|alright|cool|great|hmm|hm|oh|ah|and|now|then|also|but|nice|thanks|thank you|cheers|perfect)\s)*(?:and|what about|how about|how bout|what of|same (?:for|with|but|again|question|thing)|the same for|and for|also|plus|or|now for|now with|then for|what if)\b/;

/** "nausea too?", "vomiting as well?" */
export const FOLLOW_UP_TRAILER = /\b(?:too|as well|also|again)$/;

/**
 * Words that point at the period in context ("the week before", "that month", "before that"):
 * without a cue of its own the question is a follow-up.
 */
export const CONTEXT_POINTER =
  /\b(?:the (?:day|week|month|year|weekend|fortnight) (?:before|after|prior)|the (?:previous|prior|preceding|following|next) (?:day|week|month|year|weekend|fortnight|one)|(?:that|the same) (?:day|week|month|year|weekend|period|time)|before that|after that|then|in that period|during that (?:time|period))\b/;

/**
 * A question that starts like a full question or a command: a bare time in it is not elliptical
 * ("what's on tv tonight" is not "and tonight?").
 */
export const FULL_QUESTION_START =
  /^(?:what|who|whom|whose|where|why|how|which|when|is|are|am|was|were|do|does|did|can|could|will|would|should|shall|may|might|tell|give|show|play|book|set|make|find|get|open|call|send|i|im|my)\b/;

/** Scores of the readings the classifier falls back to when no cue matched. */
export const DEFAULT_SCORES = {
  /** "headaches last week?": count is the natural reading; answered, at the threshold. */
  symptomAndTime: 1.5,
  /** "nausea?": count over the whole diary, below the threshold (the reply asks). */
  symptomOnly: 0.8,
  /** "last month?" with nothing else: a summary of that period, below the threshold. */
  timeOnly: 0.8,
  /** Nothing fits. */
  nothing: 1,
} as const;

/** Weight of a cue of the winning intent beyond its strongest: agreeing cues add half. */
export const SECONDARY_CUE_FACTOR = 0.5;
