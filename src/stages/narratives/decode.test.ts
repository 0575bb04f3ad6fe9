import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, expectedF1Prefix, LabelIndex, maxTop3, modelLabels, NarrativeModel, sentencesOf, type Ef1Params, type Thresholds } from './model.ts';
import { DEFAULT_CONFIG, extrasOf, fitModel, platt, tuneExpectedF1 } from './train.ts';
import { NARRATIVES, OTHER, parentNarrative } from '../../corpora/semeval2025/taxonomy.ts';
import { rng } from '../../ml/index.ts';
import { inventedDocs } from './fixtures.ts';

const labels = modelLabels();
const ix = new LabelIndex(labels);
const identity: Ef1Params = { narr: [1, 0], sub: [1, 0], other: [1, 0], mass: 1 };
const urw = NARRATIVES.filter((n) => n.domain === 'URW');

/** Probabilities: every label `rest`, then the given ones. */
function probs(set: Record<string, number>, rest = 0.02): Float64Array {
  const p = new Float64Array(labels.length).fill(rest);
  p[ix.get('domain:URW')] = 0.9;
  p[ix.get('domain:CC')] = 0.1;
  for (const [l, v] of Object.entries(set)) p[ix.get(l)] = v;
  return p;
}

test('the expected-F1 prefix takes one label when one stands out and several when several are likely', () => {
  assert.equal(expectedF1Prefix([0.9, 0.05, 0.05], 1).k, 1);
  // 2·Σ/(k + 1.67): 0.45, 0.63, 0.71, 0.59
  assert.equal(expectedF1Prefix([0.6, 0.55, 0.5, 0.02], 1).k, 3);
  assert.equal(expectedF1Prefix([0.3, 0.01], 1).k, 1);
});

test('expected-F1 decoding picks the likely narratives of the domain, each with at least one of its own subnarratives', () => {
  const [a, b, c] = urw;
  const p = probs({ [a.label]: 0.8, [b.label]: 0.7, [c.label]: 0.1, [a.subnarratives[0]]: 0.6, [OTHER]: 0.1 });
  const d = decode(p, ix, { tOther: 0.9, tNarr: 0, tSub: 0, ef1: { ...identity, subThreshold: 0.3 } });
  assert.equal(d.other, false);
  assert.deepEqual(d.narratives.map((n) => n.label).sort(), [a.label, b.label].sort());
  for (const n of d.narratives) {
    assert.equal(n.domain, 'URW');
    assert.ok(n.subnarratives.length >= 1);
    for (const s of n.subnarratives) assert.equal(parentNarrative(s.label), n.label);
  }
  assert.deepEqual(d.narratives.find((n) => n.label === a.label)!.subnarratives.map((s) => s.label), [a.subnarratives[0]]);
});

test('the expected-F1 gate calls a document Other more readily when none of its narratives is clear', () => {
  const t: Thresholds = { tOther: 0.6, tNarr: 0, tSub: 0, ef1: identity };
  const [a] = urw;
  const clear = decode(probs({ [a.label]: 0.97, [a.subnarratives[0]]: 0.95, [OTHER]: 0.5 }), ix, t);
  const vague = decode(probs({ [OTHER]: 0.5 }, 0.05), ix, t);
  assert.equal(clear.other, false);
  assert.equal(vague.other, true);
  assert.ok(vague.gate! > clear.gate!);
  assert.equal(clear.pOther, 0.5);
});

test('Platt calibration recovers the slope and offset that generated the labels', () => {
  const r = rng(11);
  const pairs: [number, number][] = [];
  for (let i = 0; i < 20000; i++) {
    const p = 0.02 + 0.96 * r();
    const z = Math.log(p / (1 - p));
    pairs.push([p, r() < 1 / (1 + Math.exp(-(2 * z - 1))) ? 1 : 0]);
  }
  const [a, b] = platt(pairs);
  assert.ok(Math.abs(a - 2) < 0.15, `slope ${a}`);
  assert.ok(Math.abs(b + 1) < 0.15, `offset ${b}`);
});

// Invented documents (fixtures.ts): wind power costs, a war's shelling, town life.
const docs = inventedDocs;
const cfg = { ...DEFAULT_CONFIG, minDf: 1, blocks: DEFAULT_CONFIG.blocks.map((b) => ({ ...b, maxFeatures: 3000 })), stackLangs: [] };

test('expected-F1 parameters tuned on a model\'s probabilities survive the file round trip and decode its training documents', () => {
  const m = fitModel(docs, cfg);
  const t = tuneExpectedF1(docs.map((d) => m.proba(d.text)), docs, m.ix);
  assert.ok(t.ef1 && t.ef1.subThreshold !== undefined);
  const loaded = NarrativeModel.fromJSON(JSON.parse(JSON.stringify(fitModel(docs, cfg, { EN: t }).toJSON())));
  assert.deepEqual(loaded.thresholdsFor('en'), t);
  for (const d of docs) {
    const got = loaded.predict(d.text, 'en');
    assert.deepEqual(got, decode(loaded.proba(d.text), loaded.ix, t));
    if (d.narratives[0] === OTHER) assert.equal(got.other, true, d.id);
    else assert.deepEqual(got.narratives.map((n) => n.label), d.narratives, d.id);
  }
});

test('with subOne each chosen narrative keeps exactly one subnarrative, its most likely one', () => {
  const [a, b] = urw;
  const p = probs({ [a.label]: 0.9, [b.label]: 0.8, [a.subnarratives[0]]: 0.6, [a.subnarratives[1]]: 0.5, [b.subnarratives[1]]: 0.4, [OTHER]: 0.05 });
  const t: Thresholds = { tOther: 0.9, tNarr: 0, tSub: 0, ef1: { ...identity, subThreshold: 0.3 } };
  const several = decode(p, ix, t);
  assert.equal(several.narratives.find((n) => n.label === a.label)!.subnarratives.length, 2);
  const one = decode(p, ix, { ...t, ef1: { ...t.ef1!, subOne: true } });
  assert.deepEqual(one.narratives.map((n) => n.subnarratives.map((s) => s.label)).sort(), [[a.subnarratives[0]], [b.subnarratives[1]]].sort());
});

test('sentence evidence: the largest sentence logit and the top-3 mean, and a decoding calibrated on them that survives the file round trip', () => {
  assert.deepEqual(maxTop3([]), [0, 0]);
  assert.deepEqual(maxTop3([1, 5, 3, 4]), [5, 4]);
  assert.deepEqual(maxTop3([2, -2]), [2, 0]);
  const m = fitModel(docs, cfg);
  const l = m.ix.get('CC: Controversy about green technologies');
  const sents = ['The town fair opened with a parade.', 'Wind turbines are ruinously expensive and push up electricity bills.'];
  const ev = m.sentenceEvidence(sents)(l);
  assert.equal(ev[0], m.logitOf(m.features(sents[1]), l), 'the wind sentence is the strongest evidence');
  assert.ok(ev[0] > m.logitOf(m.features(sents[0]), l));
  // the calibration reads [logit p, sentMax, sentTop3]; the model computes them itself when predicting
  const extras = docs.map((d) => extrasOf(m, d.text));
  const t = tuneExpectedF1(docs.map((d) => m.proba(d.text)), docs, m.ix, 3, 'threshold', { docs: extras, features: ['sentMax', 'sentTop3'] });
  assert.ok(t.ef1?.x && t.ef1.x.narr.w.length === 4);
  assert.throws(() => decode(m.proba(docs[0].text), m.ix, t), /sentence features/);
  const loaded = NarrativeModel.fromJSON(JSON.parse(JSON.stringify(fitModel(docs, cfg, { EN: t }).toJSON())));
  for (const d of docs) {
    const got = loaded.predict(d.text, 'en');
    assert.deepEqual(got, decode(loaded.proba(d.text), loaded.ix, t, loaded.sentenceEvidence(sentencesOf(d.text))));
    assert.deepEqual(got.other ? [OTHER] : got.narratives.map((n) => n.label), d.narratives, d.id);
  }
});
