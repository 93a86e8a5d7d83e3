import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseQuestion } from '../modules/nlu/domain/question-parser';
import { SymptomVocabulary } from '../modules/symptoms/domain/symptom-vocabulary';
import {
  LabelledDialogue,
  LabelledQuestion,
  Parse,
  QuestionScore,
  scoreDialogues,
  scoreQuestions,
  summarise,
} from './nlu-evaluation';

/**
 * `npm run eval:nlu`: the NLU against labelled questions and dialogues — the shared dev sets
 * (../shared/eval) and the project's own (test/fixtures/nlu) — and the vocabulary against the
 * AskAPatient lay phrases. Prints per-field and whole-frame accuracy; `--verbose` lists misses.
 * Fails (exit 1) when the dev set's whole-frame accuracy is under the 95 % floor.
 */
const FLOOR = 0.95;
const root = resolve(__dirname, '../../..');
const shared = resolve(root, '../shared/eval');
const verbose = process.argv.includes('--verbose');

const readJsonl = <T>(file: string): T[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as T);

const vocabulary = SymptomVocabulary.standard();
const parse: Parse = (text, referenceTime, timeZone) =>
  parseQuestion(text, { referenceTime, timeZone }, vocabulary);

const pct = (n: number, d: number) =>
  d === 0 ? '   –  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`;

function report(name: string, scores: QuestionScore[]): number {
  const s = summarise(scores);
  console.log(`\n${name}: ${s.questions} questions`);
  for (const [field, f] of Object.entries(s.fields).sort()) {
    console.log(`  ${field.padEnd(11)} ${pct(f.correct, f.checked)}  (${f.correct}/${f.checked})`);
  }
  console.log(`  whole frame ${pct(s.wholeFrame, s.questions)}  (${s.wholeFrame}/${s.questions})`);
  if (verbose) {
    for (const miss of scores.filter((q) => !q.ok)) {
      const wrong = miss.checks.filter((c) => !c.ok);
      console.log(`    ✗ ${miss.text}`);
      for (const c of wrong) {
        console.log(
          `        ${c.field}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(c.actual)}`,
        );
      }
    }
  }
  return s.questions === 0 ? 0 : s.wholeFrame / s.questions;
}

const sets: { name: string; file: string; kind: 'questions' | 'dialogues' }[] = [
  {
    name: 'shared dev questions (nlu-dev.jsonl)',
    file: join(shared, 'nlu-dev.jsonl'),
    kind: 'questions',
  },
  {
    name: 'shared dev dialogues (dialogues-dev.jsonl)',
    file: join(shared, 'dialogues-dev.jsonl'),
    kind: 'dialogues',
  },
  {
    name: 'own questions (test/fixtures/nlu/questions.jsonl)',
    file: join(root, 'test/fixtures/nlu/questions.jsonl'),
    kind: 'questions',
  },
  {
    name: 'own dialogues (test/fixtures/nlu/dialogues.jsonl)',
    file: join(root, 'test/fixtures/nlu/dialogues.jsonl'),
    kind: 'dialogues',
  },
  {
    name: 'own questions, phone-chat style (test/fixtures/nlu/questions-2.jsonl)',
    file: join(root, 'test/fixtures/nlu/questions-2.jsonl'),
    kind: 'questions',
  },
];

let devAccuracy: number | undefined;
for (const set of sets) {
  if (!existsSync(set.file)) {
    console.log(`\n${set.name}: not found at ${set.file}, skipped`);
    continue;
  }
  const scores =
    set.kind === 'questions'
      ? scoreQuestions(readJsonl<LabelledQuestion>(set.file), parse)
      : scoreDialogues(readJsonl<LabelledDialogue>(set.file), parse);
  const accuracy = report(set.name, scores);
  if (set.file.endsWith('nlu-dev.jsonl')) devAccuracy = accuracy;
}

// The vocabulary on how people write symptoms (AskAPatient, Limsopatham & Collier, ACL 2016, CC BY 4.0).
const tsv = join(root, 'test/fixtures/lay-terms-askapatient-train.tsv');
const rows = readFileSync(tsv, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'));
const right = rows.filter(([phrase, id]) => vocabulary.normalise(phrase)?.conceptId === id).length;
const placed = rows.filter(([phrase]) => vocabulary.normalise(phrase) !== null).length;
console.log(`\nvocabulary on AskAPatient lay phrases: ${rows.length} phrases`);
console.log(`  correct     ${pct(right, rows.length)}  (${right}/${rows.length})`);
console.log(`  placed      ${pct(placed, rows.length)}  (wrong when placed: ${placed - right})`);

if (devAccuracy === undefined) {
  console.log('\nThe shared dev set was not found: the floor was not checked.');
} else {
  const ok = devAccuracy >= FLOOR;
  console.log(`\nfloor: whole frames on the dev set >= ${FLOOR * 100}%: ${ok ? 'PASS' : 'FAIL'}`);
  if (!ok) process.exitCode = 1;
}
