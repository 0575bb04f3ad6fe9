import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docUnits, train, type TrainUnit } from './train.ts';
import { getMeaningFeatures, NO_MEANING, setMeaningFeatures } from './features.ts';
import { LABELS } from './model.ts';
import { pseudoLabel } from './selftrain.ts';

const LINES: [string, string, string, string][] = [
  ['Mayor Ilse Korvan said the harbour plan was dead.', 'Mayor Ilse Korvan', 'said', 'the harbour plan was dead'],
  ['Jory Vant said that fares would rise.', 'Jory Vant', 'said', 'that fares would rise'],
  ['Dr. Osk Lemby said the dunes were eroding.', 'Dr. Osk Lemby', 'said', 'the dunes were eroding'],
  ['Tova Rusk said the ferry will stop in May.', 'Tova Rusk', 'said', 'the ferry will stop in May'],
];

function units(weight?: number): TrainUnit[] {
  const out: TrainUnit[] = [];
  for (const [text, src, cue, content] of LINES) {
    const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
    const du = docUnits(text, [{ source: [at(src)], cue: [at(cue)], content: [at(content)] }]);
    du.feats.forEach((f, i) => out.push({ feats: f, gold: du.gold[i], weight }));
  }
  return out;
}

test('a training unit\'s weight scales its updates: weight 0 teaches nothing', () => {
  const before = getMeaningFeatures();
  try {
    setMeaningFeatures(NO_MEANING);
    const zero = train(units(0), 3);
    assert.ok(zero.emit.every((x) => x === 0), 'no update from weight-0 units');
    const one = train(units(1), 3);
    const plain = train(units(), 3);
    assert.ok(one.emit.some((x) => x !== 0));
    assert.deepEqual([...one.emit], [...plain.emit], 'weight 1 is the plain step');
  } finally {
    setMeaningFeatures(before);
  }
});

test('self-training keeps the units a tagger is sure of, with its labels, and only those with a cue', () => {
  const before = getMeaningFeatures();
  try {
    setMeaningFeatures(NO_MEANING);
    const w = train(units(), 5);
    const pool = ['Councillor Brin Hallow said the pier would reopen. The pier is old.'];
    const all = pseudoLabel(pool, w, 0);
    assert.equal(all.length, 1, 'the sentence without a cue is left out');
    const labels = [...all[0].labels].map((l) => LABELS[l]);
    assert.ok(labels.includes('B-C'));
    assert.ok(labels.includes('B-S') && labels.includes('B-X'));
    assert.equal(pseudoLabel(pool, w, all[0].gap + 1).length, 0, 'a unit below the gap is left out');
  } finally {
    setMeaningFeatures(before);
  }
});
