import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocModel } from './docmodel.ts';
import { crossValidate, fitPlattSafe, stratifiedFolds, trainDocModel, type DocTrainOptions, type TrainDoc } from './train.ts';

// Invented mini-corpus: weather articles and football articles, two languages.
const WEATHER = ['Heavy rain and strong wind are expected tomorrow.', 'The storm brought snow and cold air to the valley.', 'Forecasters predict sunshine after the morning fog.', 'Flood warnings were issued as rain kept falling.'];
const SPORT = ['The striker scored twice and the team won the match.', 'Fans cheered as the goalkeeper saved a penalty.', 'The coach praised the defence after the cup final.', 'The league leaders lost the derby at home.'];
const FILLER = ['Residents gathered in the square on Sunday.', 'The mayor opened the new library.', 'Prices at the market stayed the same.'];

function docs(lang: string, n: number): TrainDoc[] {
  const out: TrainDoc[] = [];
  for (let i = 0; i < n; i++) {
    const sport = i % 2 === 0;
    const topic = sport ? SPORT : WEATHER;
    const text = `${FILLER[i % 3]} ${topic[i % 4]} ${topic[(i + 1) % 4]} ${FILLER[(i + 1) % 3]}`;
    out.push({ id: `${lang}${i}`, lang, text, y: sport ? [1] : [0] });
  }
  return out;
}

const base: DocTrainOptions = {
  name: 'toy', version: '0', task: 'multiclass', labels: ['weather', 'sport'], mode: 'per-language',
  spec: { wordNgrams: [1, 2], charNgrams: null, bits: 16 }, minDf: 1, maxFeatures: 5000,
  epochs: 8, lr: 0.2, l2: 1e-4, seed: 3, balanced: false, posWeight: 1, prior: 'train', innerFolds: 3, style: 0,
};

test('a trained model separates the topics and cites the sentence that carries the topic', () => {
  const model = new DocModel(trainDocModel([...docs('en', 24), ...docs('fr', 18)], base));
  assert.deepEqual(model.languages, ['en', 'fr']);
  const text = 'The council met on Monday. The striker scored a late goal and the team won the cup. Parking will cost more.';
  const p = model.predict(text, 'en');
  assert.equal(model.labels[p.chosen[0]], 'sport');
  assert.ok(p.probs[1] > 0.5);
  const sentences = [{ start: 0, end: 26 }, { start: 27, end: 84 }, { start: 85, end: text.length }];
  const [c] = model.contributions(text, 'en', sentences, [1]);
  assert.equal(c.indexOf(Math.max(...c)), 1, 'the football sentence weighs most for sport');
});

test('sentence contributions add up to the linear score minus the bias when no feature crosses a sentence', () => {
  const model = new DocModel(trainDocModel(docs('en', 24), base));
  // the one bigram across the boundary (". goal") never occurs in training, so it has no column
  const text = 'Rain fell. Goal scored.';
  const p = model.predict(text, 'en');
  const sentences = [{ start: 0, end: 10 }, { start: 11, end: text.length }];
  const [c0, c1] = model.contributions(text, 'en', sentences, [0, 1]);
  const bias = model.json.submodels.en.logreg.bias;
  const sum0 = c0.reduce((a, b) => a + b, 0);
  const sum1 = c1.reduce((a, b) => a + b, 0);
  // int8 weights: the stored model is what both sides use, so equality holds up to float rounding
  assert.ok(Math.abs(sum0 - (p.scores[0] - bias[0])) < 1e-4, `${sum0} vs ${p.scores[0] - bias[0]}`);
  assert.ok(Math.abs(sum1 - (p.scores[1] - bias[1])) < 1e-4);
});

test('an unknown language is refused, not guessed', () => {
  const model = new DocModel(trainDocModel(docs('en', 24), base));
  assert.equal(model.supports('fi'), false);
  assert.throws(() => model.predict('Sataa vettä.', 'fi'), /no model for language 'fi'/);
});

test('multilabel models keep per-language thresholds', () => {
  const ml: TrainDoc[] = docs('en', 30).map((d, i) => ({ ...d, y: i % 3 === 0 ? [0, 1] : d.y }));
  const json = trainDocModel(ml, { ...base, task: 'multilabel' });
  assert.equal(json.languages.en.thresholds?.length, 2);
});

test('stratified folds put every rare class into several folds', () => {
  const ds: TrainDoc[] = Array.from({ length: 50 }, (_, i) => ({ id: `d${i}`, lang: 'en', text: '', y: [i < 5 ? 2 : i % 2] }));
  const folds = stratifiedFolds(ds, 5, 1, 'multiclass');
  const rare = new Set(ds.map((d, i) => (d.y[0] === 2 ? folds[i] : -1)).filter((f) => f >= 0));
  assert.equal(rare.size, 5);
});

test('Platt scaling stays finite when the scores separate the classes perfectly', () => {
  const s = [-5, -4, -3, -2, 2, 3, 4, 5];
  const y = [0, 0, 0, 0, 1, 1, 1, 1];
  const p = fitPlattSafe(s, y);
  assert.ok(Number.isFinite(p.a) && Number.isFinite(p.b) && p.a > 0 && p.a < 50, JSON.stringify(p));
});

test('cross-validation reports the official metric per language', () => {
  const r = crossValidate([...docs('en', 30), ...docs('fr', 30)], base, 3);
  assert.deepEqual(Object.keys(r.perLang).sort(), ['en', 'fr']);
  assert.ok(r.perLang.en.mean > 0.8, `toy topics should be easy: ${r.perLang.en.mean}`);
  assert.equal(r.perLang.en.folds.length, 3);
});
