import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MultiLabelLogReg } from '../../ml/logreg.ts';
import { GENRE_FEATURES } from './features.ts';
import { genreModel, genreStack, GENRES, predictGenre } from './index.ts';
import { GenreStack, stackInputNames, type GenreStackJSON } from './stack.ts';

const WIRE = 'Bridge reopens\nCARROW (Wirenews) — The Carrow bridge reopened on Friday, officials said.';
const COLUMN = 'Enough\nI think we should all be ashamed of this bridge, and you should be too!';

/** A hand-made stack that votes reporting exactly when the article has a dateline. */
function datelineStack(lang: string): GenreStack {
  const inputs = stackInputNames([...GENRES]);
  const D = inputs.length;
  const w = new Float32Array(D * 3);
  w[GENRE_FEATURES.indexOf('dateline') * 3 + 0] = 10;
  const logreg = new MultiLabelLogReg([...GENRES], D, w, Float64Array.from([-3, 0, -8])).toJSON(false);
  const json: GenreStackJSON = {
    schema: 'unspin/genre-stack@1',
    lang,
    inputs,
    mean: new Array<number>(D).fill(0),
    sd: new Array<number>(D).fill(1),
    logreg,
    calibration: { platt: [{ a: 1, b: 0 }, { a: 1, b: 0 }, { a: 1, b: 0 }], logPriorShift: [0, 0, 0], trainPrior: [0.1, 0.88, 0.02] },
  };
  return new GenreStack(json);
}

test('the stack decides for its own language and the n-gram model for the others', () => {
  const stack = datelineStack('en');
  const m = genreModel();
  assert.equal(m.labels[predictGenre(m, stack, WIRE, 'en').chosen[0]], 'reporting');
  assert.equal(m.labels[predictGenre(m, stack, COLUMN, 'en').chosen[0]], 'opinion');
  // Italian goes to the n-gram model: same answer as without any stack
  const it = 'Il ponte è stato riaperto venerdì, hanno detto i funzionari.';
  assert.deepEqual(predictGenre(m, stack, it, 'it').probs, predictGenre(m, null, it, 'it').probs);
});

test('a stack with the wrong number of inputs is refused', () => {
  const s = datelineStack('en');
  assert.throws(() => s.scores(WIRE, [0, 0]), /expected 3 n-gram scores, got 2/);
  assert.throws(() => new GenreStack({ ...s.json, schema: 'x' as never }), /unknown genre stack schema/);
});

test('the committed English stack decides from style features the extractor knows', () => {
  const s = genreStack();
  assert.ok(s, 'models/genre/stack-en.json is missing: run `unspin train genre`');
  assert.equal(s.json.lang, 'en');
  assert.equal(s.usesNgram, false);
  for (const name of s.json.inputs) assert.ok((GENRE_FEATURES as readonly string[]).includes(name), name);
  const p = predictGenre(genreModel(), s, COLUMN, 'en');
  assert.ok(Math.abs(p.probs.reduce((a, b) => a + b, 0) - 1) < 1e-9);
});
