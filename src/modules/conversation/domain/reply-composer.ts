import type { Frame, FrameSymptom } from '../../nlu/domain/frame';
import type { SymptomEntry } from '../../symptoms/domain/symptom-entry';
import type { DiaryAnswer } from './answer';
import { b, Reply, ReplyBuilder } from './reply';
import { capitalise, listing, plural, Wording } from './wording';

export interface ComposeContext {
  readonly wording: Wording;
  /** A catalog id as a person says it: "back pain". */
  readonly name: (conceptId: string) => string;
  /** Whose entries the answer is about when not the person asking ("Ben"); default "you". */
  readonly who?: string;
}

const EXAMPLES = [
  'How many headaches did I have last month?',
  'When did I last feel dizzy?',
  'How bad was my back pain in October?',
  'Is my fatigue getting better?',
  'Did I have more migraines in September or October?',
  'What usually comes with my nausea?',
  'What bothered me most this year?',
  'Give me a summary of last week',
];

/** The symptoms a frame asks about, in words: "headache or nausea", "everything except cough". */
function subject(frame: Frame, ctx: ComposeContext): string {
  const wanted = frame.symptoms.filter((s) => !s.negated);
  const excluded = frame.symptoms.filter((s) => s.negated);
  const named = (list: readonly FrameSymptom[], c: string) =>
    listing(
      list.map((s) => ctx.name(s.id)),
      c,
    );
  let text = wanted.length > 0 ? named(wanted, 'or') : 'any symptom';
  if (excluded.length > 0 && wanted.length === 0) text += ` except ${named(excluded, 'and')}`;
  if (frame.severity) text = `${severityWords(frame.severity)} ${text}`;
  return text;
}

function severityWords(s: { min: number | null; max: number | null }): string {
  if (s.min !== null && s.max !== null) return `severity ${s.min}–${s.max}`;
  if (s.min !== null) return `severity ${s.min}+`;
  return `severity up to ${s.max ?? 10}`;
}

function entryLine(entry: SymptomEntry, ctx: ComposeContext): string {
  const parts = [
    `${ctx.wording.dateTime(entry.occurredAt)}: ${entry.conceptId ? ctx.name(entry.conceptId) : entry.recordedAs}`,
  ];
  if (entry.conceptId && entry.recordedAs.toLowerCase() !== ctx.name(entry.conceptId)) {
    parts.push(`(written "${entry.recordedAs}")`);
  }
  parts.push(entry.severity === null ? 'not rated' : `severity ${entry.severity}/10`);
  if (entry.durationMinutes !== null) parts.push(`${entry.durationMinutes} min`);
  if (entry.person) parts.push(`— ${entry.person}`);
  return parts.join(', ').replace(', (', ' (').replace(', —', ' —');
}

function lastBeforeSentence(entry: SymptomEntry | null, ctx: ComposeContext): string {
  return entry ? ` The last one before that was on ${ctx.wording.day(entry.occurredAt)}.` : '';
}

/**
 * Turns the diary's figures into the chat's reply: it always states the period it used, answers
 * empty results helpfully, uses the person's zone for dates, and keeps one calm, plain tone. It
 * makes no medical claims.
 */
export function composeAnswer(frame: Frame, answer: DiaryAnswer, ctx: ComposeContext): Reply {
  const w = ctx.wording;
  const you = ctx.who ?? 'you';
  const your = ctx.who ? `${ctx.who}’s` : 'your';
  const youHave = ctx.who ? `${ctx.who} has` : 'You have';
  const period = w.period(frame.timeRange);
  const what = subject(frame, ctx);
  const r = new ReplyBuilder('answer');
  switch (answer.intent) {
    case 'count': {
      const { count, days, byConcept, lastBefore } = answer.result;
      if (count === 0) {
        r.say(
          `${capitalise(period)} ${you} logged no ${what}.${lastBeforeSentence(lastBefore, ctx)}`,
        );
        break;
      }
      r.say(
        `${capitalise(period)} ${you} logged ${what} `,
        b(plural(count, 'time')),
        `, on ${plural(days, 'day')}.`,
      );
      if (byConcept.length > 1) {
        const rows = byConcept.map((c) => [ctx.name(c.conceptId), c.count, c.days]);
        r.tableSection('By symptom', ['symptom', 'entries', 'days'], rows);
      }
      break;
    }
    case 'last_occurrence':
    case 'first_occurrence': {
      const { entry, lastBefore } = answer.result;
      const which = answer.intent === 'last_occurrence' ? 'last' : 'first';
      const scope = frame.timeRange ? ` ${period}` : '';
      if (!entry) {
        r.say(`${youHave} not logged ${what}${scope}.${lastBeforeSentence(lastBefore, ctx)}`);
        break;
      }
      r.say(
        `The ${which} time ${you} logged ${what}${scope} was on `,
        b(w.dateTime(entry.occurredAt)),
        entry.severity === null ? '.' : `, severity ${entry.severity}/10.`,
      );
      r.section({ title: 'Entry', kind: 'list', items: [entryLine(entry, ctx)] });
      break;
    }
    case 'list': {
      const { items, total } = answer.result;
      if (total === 0) {
        r.say(`${capitalise(period)} ${you} logged no ${what}.`);
        break;
      }
      r.say(
        `${capitalise(period)} ${you} logged `,
        b(plural(total, 'entry', 'entries')),
        ` of ${what}${total > items.length ? `; here are the latest ${items.length}` : ''}:`,
      );
      const lines = items.map((e) => entryLine(e, ctx));
      r.bullets(lines);
      r.section({ title: 'Entries', kind: 'list', items: lines });
      break;
    }
    case 'severity': {
      const s = answer.result;
      if (s.rated === 0) {
        r.say(
          s.unrated === 0
            ? `${capitalise(period)} ${you} logged no ${what}.${lastBeforeSentence(s.lastBefore, ctx)}`
            : `${capitalise(period)} none of ${your} ${plural(s.unrated, 'entry', 'entries')} of ${what} had a severity rating.`,
        );
        break;
      }
      // At most three days in the sentence: the latest ones, and how many there were in all.
      const shown = s.maxDays.slice(-3).map((d) => w.localDay(d));
      const worstOn =
        s.maxDayCount > shown.length
          ? `, on ${plural(s.maxDayCount, 'day')} (latest ${listing(shown)}).`
          : `, on ${listing(shown)}.`;
      r.say(
        `${capitalise(period)} ${your} ${what} averaged `,
        b(`${s.average}/10`),
        ` over ${plural(s.rated, 'rated entry', 'rated entries')}. The worst was `,
        b(`${s.max}/10`),
        worstOn,
      );
      if (s.unrated > 0) r.say(`${plural(s.unrated, 'entry', 'entries')} had no rating.`);
      if (s.byConcept.length > 1) {
        const rows = s.byConcept.map((c) => [ctx.name(c.conceptId), c.average, c.max, c.rated]);
        r.tableSection('By symptom', ['symptom', 'average', 'worst', 'rated'], rows);
      }
      break;
    }
    case 'trend': {
      const t = answer.result;
      const span = w.period({ from: t.from, to: t.to });
      const verdict: Record<typeof t.direction, string> = {
        improving: `looks to be improving: ${you} logged it less often over time`,
        worsening: `looks to be getting worse: ${you} logged it more often over time`,
        stable: 'has stayed about the same',
        not_enough_data: 'does not have enough entries yet to show a trend',
      };
      const severityNote =
        t.direction === 'stable' && t.severity.direction === 'worsening'
          ? ' The entries were about as frequent, but rated more severe.'
          : t.direction === 'stable' && t.severity.direction === 'improving'
            ? ' The entries were about as frequent, but rated less severe.'
            : '';
      r.say(`${capitalise(span)}, ${your} ${what} `, b(verdict[t.direction]), `.${severityNote}`);
      const rows = t.buckets.map((k) => [w.localDay(k.start), k.count, k.averageSeverity]);
      r.table(
        [t.bucket === 'week' ? 'week of' : 'month from', 'entries', 'average severity'],
        rows,
      );
      r.section({
        title: `Per ${t.bucket}`,
        kind: 'table',
        columns: [t.bucket, 'entries', 'average severity'],
        rows,
      });
      r.chart = {
        type: 'line',
        unit: t.bucket,
        series: [
          { name: 'entries', points: t.buckets.map((k) => ({ x: k.start, y: k.count })) },
          {
            name: 'average severity',
            points: t.buckets.map((k) => ({ x: k.start, y: k.averageSeverity })),
          },
        ],
      };
      break;
    }
    case 'compare': {
      const { first, second, difference } = answer.result;
      const p1 = w.period(first);
      const p2 = w.period(second);
      const change =
        difference.count === 0
          ? 'the same number'
          : `${Math.abs(difference.count)} ${difference.count > 0 ? 'more' : 'fewer'}${difference.countChangePercent === null ? '' : ` (${difference.countChangePercent > 0 ? '+' : ''}${difference.countChangePercent}%)`}`;
      r.say(
        `${capitalise(p1)} ${you} logged ${what} `,
        b(plural(first.count, 'time')),
        `; ${p2}, `,
        b(plural(second.count, 'time')),
        ` — ${change} in the second.`,
      );
      const rows = [first, second].map((p) => [w.period(p), p.count, p.days, p.averageSeverity]);
      r.tableSection('Side by side', ['period', 'entries', 'days', 'average severity'], rows);
      r.chart = {
        type: 'bar',
        unit: 'period',
        series: [
          {
            name: 'entries',
            points: [
              { x: p1, y: first.count },
              { x: p2, y: second.count },
            ],
          },
          {
            name: 'average severity',
            points: [
              { x: p1, y: first.averageSeverity },
              { x: p2, y: second.averageSeverity },
            ],
          },
        ],
      };
      break;
    }
    case 'co_occurrence': {
      const c = answer.result;
      if (c.askedDays === 0) {
        r.say(`${capitalise(period)} ${you} logged no ${what}, so nothing came with it.`);
        break;
      }
      for (const pair of c.pairs) {
        r.say(
          `${capitalise(period)}, of the ${plural(pair.firstDays, 'day')} with ${ctx.name(pair.first)}, `,
          b(`${pair.sharedDays}`),
          ` also had ${ctx.name(pair.second)}` +
            (pair.shareOfFirst === null ? '' : ` (${Math.round(pair.shareOfFirst * 100)}%)`) +
            `; of the ${plural(pair.secondDays, 'day')} with ${ctx.name(pair.second)}, ${pair.sharedDays} had ${ctx.name(pair.first)}.`,
        );
      }
      if (c.symptoms.length === 0) {
        r.say(
          `On the ${plural(c.askedDays, 'day')} ${you} logged ${what}, nothing else was logged.`,
        );
        break;
      }
      const top = c.symptoms.slice(0, 3);
      r.say(
        `${c.pairs.length > 0 ? 'Other symptoms' : capitalise(period) + ', on the ' + plural(c.askedDays, 'day') + ' ' + you + ' logged ' + what + ', the symptoms most often logged the same day were'}: `,
        b(
          listing(
            top.map(
              (s) =>
                `${ctx.name(s.conceptId)} (${plural(s.sharedDays, 'day')}, ${Math.round(s.share * 100)}%)`,
            ),
          ),
        ),
        '.',
      );
      const rows = c.symptoms.map((s) => [
        ctx.name(s.conceptId),
        s.sharedDays,
        `${Math.round(s.share * 100)}%`,
      ]);
      r.section({
        title: 'Logged the same day',
        kind: 'table',
        columns: ['symptom', 'days', 'share'],
        rows,
      });
      r.say('Logged together does not mean one causes the other.');
      break;
    }
    case 'top_symptoms': {
      const top = answer.result.symptoms;
      if (top.length === 0) {
        r.say(`${capitalise(period)} ${you} logged no symptoms.`);
        break;
      }
      r.say(
        `${capitalise(period)} ${your} most logged symptom was `,
        b(ctx.name(top[0].conceptId)),
        ` (${plural(top[0].count, 'entry', 'entries')} on ${plural(top[0].days, 'day')}).`,
      );
      const rows = top.map((t, i) => [i + 1, ctx.name(t.conceptId), t.count, t.days]);
      r.tableSection('Most logged', ['#', 'symptom', 'entries', 'days'], rows);
      break;
    }
    case 'summary': {
      const s = answer.result;
      if (s.count === 0) {
        r.say(`${capitalise(period)} ${you} logged nothing.`);
        break;
      }
      r.say(
        `${capitalise(period)} ${you} logged `,
        b(plural(s.count, 'entry', 'entries')),
        ` on ${plural(s.days, 'day')}` +
          (s.averageSeverity === null
            ? '.'
            : `, with an average severity of ${s.averageSeverity}/10.`),
      );
      const top = s.topSymptoms.map(
        (t) => `${ctx.name(t.conceptId)}: ${plural(t.count, 'entry', 'entries')}`,
      );
      r.say('Most logged:');
      r.bullets(top);
      r.section({ title: 'Most logged', kind: 'list', items: top });
      if (s.mostSevere) {
        r.say('The most severe: ', b(entryLine(s.mostSevere, ctx)), '.');
      }
      if (s.byPerson.length > 1) {
        const people = s.byPerson.map((p) => `${p.person}: ${plural(p.count, 'entry', 'entries')}`);
        r.say(`By person: ${listing(people)}.`);
        r.section({ title: 'By person', kind: 'list', items: people });
      }
      break;
    }
    case 'advice': {
      r.say(
        'I can’t advise on diagnosis, treatment or medication — please ask a doctor or pharmacist, who can look at the whole picture.',
      );
      const { count, days } = answer.result;
      const last = answer.last?.entry ?? null;
      if (frame.symptoms.length > 0) {
        r.say(
          `What your diary shows: in the past 30 days ${you} logged ${what} `,
          b(plural(count, 'time')),
          ` on ${plural(days, 'day')}` +
            (last ? `; the last time was ${w.dateTime(last.occurredAt)}.` : '.'),
          ' You could take these figures with you.',
        );
      }
      break;
    }
  }
  return r.build();
}

export function composeSafety(frame: Frame): Reply {
  const r = new ReplyBuilder('safety');
  if (frame.safety.kind === 'self_harm') {
    r.say(
      b('You deserve support right now.'),
      ' If you might act on these thoughts, call your local emergency number now (112 in Europe, 999 in the UK, 911 in the US).',
    );
    r.say(
      'You can also talk to someone at a crisis line, any time: Samaritans 116 123 (UK and Ireland), 988 Suicide & Crisis Lifeline (US), or Telefonseelsorge 0800 111 0 111 (Germany).',
    );
  } else {
    r.say(
      b('This could be an emergency.'),
      ' Call your local emergency number now (112 in Europe, 999 in the UK, 911 in the US) and follow their instructions. Do not wait to see if it passes.',
    );
  }
  r.section({ title: 'What to do now', kind: 'text', text: r.build().text });
  return r.build();
}

export function composeSmallTalk(intent: 'greeting' | 'thanks' | 'help' | 'unknown'): Reply {
  const r = new ReplyBuilder(intent === 'unknown' ? 'out_of_scope' : 'small_talk');
  switch (intent) {
    case 'greeting':
      r.say('Hello! Ask me anything about your symptom diary, for example:');
      r.bullets(EXAMPLES.slice(0, 3));
      break;
    case 'thanks':
      r.say('You’re welcome. Ask me again any time.');
      break;
    case 'help':
      r.say(
        'I answer questions about your symptom diary: how often, when, how bad, trends, comparisons, what comes together, and summaries. For example:',
      );
      r.bullets(EXAMPLES);
      r.section({ title: 'Examples', kind: 'list', items: EXAMPLES });
      break;
    case 'unknown':
      r.say('I can only answer questions about your symptom diary. For example:');
      r.bullets(EXAMPLES.slice(0, 4));
      break;
  }
  return r.build();
}

/** Asks rather than guesses. */
export function composeClarification(
  reason: 'no_symptom' | 'unplaced' | 'unsure',
  ctx: ComposeContext,
  details: { phrase?: string; candidates?: readonly string[] } = {},
): Reply {
  const r = new ReplyBuilder('clarification');
  const candidates = (details.candidates ?? []).map((id) => ctx.name(id));
  if (reason === 'unplaced' && details.phrase) {
    r.say(
      `I couldn’t match “${details.phrase}” to a symptom in your diary.`,
      candidates.length > 0
        ? ` Did you mean ${listing(candidates, 'or')}?`
        : ' Could you say it another way?',
    );
  } else if (reason === 'no_symptom') {
    r.say('Which symptom do you mean? For example: “How many headaches did I have last week?”');
  } else {
    r.say('I’m not sure what you’d like to know. You can ask, for example:');
    r.bullets(EXAMPLES.slice(0, 4));
  }
  if (candidates.length > 0) r.section({ title: 'Did you mean', kind: 'list', items: candidates });
  return r.build();
}
