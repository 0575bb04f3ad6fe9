import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NarrativeModel, decode, type NibbleLogRegJSON } from './model.ts';
import { fitModel, DEFAULT_CONFIG, targetsOf } from './train.ts';
import { Stacker, stackDoc } from './stack.ts';
import { inventedDocs } from './fixtures.ts';
import { loadWordVectors } from '../../models/embeddings/index.ts';

const docs = inventedDocs;
const cfg = { ...DEFAULT_CONFIG, minDf: 1, blocks: DEFAULT_CONFIG.blocks.map((b) => ({ ...b, maxFeatures: 3000 })), epochs: 20, stackLangs: [] };

test('a model read back from its 4-bit file scores, decodes and cites exactly as its float weights do', () => {
  const loaded = NarrativeModel.fromJSON(JSON.parse(JSON.stringify(fitModel(docs, cfg, { EN: { tOther: 0.9, tNarr: 0.2, tSub: 0.1 } }).toJSON())));
  assert.ok(loaded.coded, 'nibble weights give a coded scorer');
  // the same model without the coded scorer: MultiLabelLogReg's own arithmetic
  const plain = new NarrativeModel(loaded.vectorizers, loaded.classifier, loaded.thresholds);
  const texts = [...docs.map((d) => d.text), 'Expensive wind farms and the shelling of Velm.', 'Nothing here at all.'];
  for (const t of texts) {
    assert.deepEqual(Array.from(loaded.proba(t)), Array.from(plain.proba(t)), t);
    assert.deepEqual(loaded.predict(t, 'en'), plain.predict(t, 'en'), t);
    assert.deepEqual(loaded.predict(t, 'en'), decode(plain.proba(t), plain.ix, plain.thresholdsFor('en')), t);
    const f = loaded.features(t);
    for (const label of loaded.classifier.labels) assert.equal(loaded.support(f, label), plain.support(f, label), `${t} / ${label}`);
  }
});

test('model files written before the label-major layout (feature-major nibbles) still load to the same scores', () => {
  const j = fitModel(docs, cfg, { EN: { tOther: 0.9, tNarr: 0.2, tSub: 0.1 } }).toJSON();
  const c = j.classifier as NibbleLogRegJSON;
  assert.equal(c.weights.layout, 'label-major');
  const L = c.labels.length;
  const F = c.nFeatures;
  const lm = Buffer.from(c.weights.data, 'base64');
  const code = (i: number) => (i & 1 ? lm[i >> 1] >> 4 : lm[i >> 1] & 15);
  const fm = new Uint8Array(Math.ceil((L * F) / 2));
  for (let f = 0; f < F; f++) for (let l = 0; l < L; l++) {
    const i = f * L + l;
    fm[i >> 1] |= i & 1 ? code(l * F + f) << 4 : code(l * F + f);
  }
  const old = { ...j, classifier: { ...c, weights: { kind: 'nibble' as const, codebook: c.weights.codebook, data: Buffer.from(fm).toString('base64') } } };
  const a = NarrativeModel.fromJSON(JSON.parse(JSON.stringify(j)));
  const b = NarrativeModel.fromJSON(JSON.parse(JSON.stringify(old)));
  for (const t of ['Expensive wind farms and the shelling of Velm.', docs[4].text]) assert.deepEqual(Array.from(a.proba(t)), Array.from(b.proba(t)), t);
  assert.deepEqual(Array.from(a.classifier.w), Array.from(b.classifier.w));
});

test('a cluster block reads word-vector clusters, so a word never seen in training still moves the score, and survives the file round trip', () => {
  const ccfg = { ...cfg, blocks: [...cfg.blocks, { spec: { wordNgrams: [1], charNgrams: null, bits: 18 }, maxFeatures: 3000, input: { kind: 'clusters' as const, level: 2 } }] };
  const m = fitModel(docs, ccfg, { EN: { tOther: 0.9, tNarr: 0.2, tSub: 0.1 } });
  const j = JSON.parse(JSON.stringify(m.toJSON()));
  assert.deepEqual(j.inputs[2], { kind: 'clusters', level: 2 });
  const loaded = NarrativeModel.fromJSON(j);
  const t = 'Costly turbines and the bombardment of Velm.';
  assert.deepEqual(Array.from(loaded.proba(t)), Array.from(new NarrativeModel(loaded.vectorizers, loaded.classifier, loaded.thresholds, null, undefined, loaded.inputs).proba(t)));
  // the cluster block: known words become cluster tokens, invented names drop out
  const f = loaded.features('Velmish Qorvath');
  assert.equal(f.idx.filter((i) => i >= loaded.vectorizers[0].size + loaded.vectorizers[1].size).length, 0);
  const g = loaded.features('electricity');
  assert.ok(g.idx.some((i) => i >= loaded.vectorizers[0].size + loaded.vectorizers[1].size), 'a known word fills the cluster block');
  // rows stay unit length
  for (const x of [f, g]) assert.ok(Math.abs(x.val.reduce((a, v) => a + v * v, 0) - 1) < 1e-5);
  // a model without cluster blocks writes no inputs (older readers see the same file)
  assert.equal('inputs' in fitModel(docs, cfg).toJSON(), false);
});

test('an English stacker re-estimates English probabilities only, decodes what it returns, and survives the file round trip', () => {
  const m = fitModel(docs, cfg, { EN: { tOther: 0.5, tNarr: 0.2, tSub: 0.1 }, BG: { tOther: 0.5, tNarr: 0.2, tSub: 0.1 } });
  const L = m.stackLabels();
  const wv = loadWordVectors();
  const st = Stacker.fit('EN', docs.map((d) => stackDoc(wv, d.text, L.vectors)), docs.map((d) => m.proba(d.text)), docs.map((d) => targetsOf(d, m.ix)), L, { knn: 3, tau: 0.05, l2: 1, gateL2: 1 });
  m.stackers.set('EN', st);
  const loaded = NarrativeModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
  const t = 'Wind farms cost a fortune while the army of Velm shelled the border.';
  const base = loaded.proba(t);
  const en = loaded.proba(t, 'en');
  assert.deepEqual(Array.from(en), Array.from(st.apply(base, stackDoc(wv, t, L.vectors), L)), 'the stacker read back scores as the fitted one');
  assert.notDeepEqual(Array.from(en), Array.from(base), 'the stacker changes English probabilities');
  assert.deepEqual(Array.from(loaded.proba(t, 'bg')), Array.from(base), 'other languages keep the classifier probabilities');
  assert.equal(en[m.ix.get('domain:URW')], base[m.ix.get('domain:URW')], 'domains are not re-estimated');
  assert.deepEqual(loaded.predict(t, 'en'), decode(en, loaded.ix, loaded.thresholdsFor('en')));
  assert.deepEqual(loaded.predict(t, 'bg'), decode(base, loaded.ix, loaded.thresholdsFor('bg')));
});
