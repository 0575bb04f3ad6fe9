import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segment } from '../../../segment/index.ts';
import { extract } from '../extract.ts';
import { docUnits, goldLabels, train, trainStacked, type StackTrainUnit, type TrainUnit } from './train.ts';
import { extendDangling, tagUnit } from './decode.ts';
import { getMeaningFeatures, NO_MEANING, pairedEmit, rowSumsSecond, ruleTags, setMeaningFeatures, stackCtx, stackUnitFeatures, unitEmissions, unitEmissionsBoth, unitEmissionsKept, unitFeatures, unitVectors } from './features.ts';
import { allowed, decodeModel, encodeModel, L, LABELS, pathGap, SIZE, viterbi, viterbiEmissions, loadTagger, type Weights } from './model.ts';

test('gold BIO labels: cue wins over content where relations nest', () => {
  const text = 'Ridley said the minister told him that fares would rise.';
  const seg = segment(text);
  const ex = extract({ text, paragraphs: seg.segments.paragraphs, sentences: seg.segments.sentences, tokens: seg.tokens });
  const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
  const labels = goldLabels(ex.units[0], [
    { source: [at('Ridley')], cue: [at('said')], content: [at('the minister told him that fares would rise')] },
    { source: [at('the minister')], cue: [at('told')], content: [at('that fares would rise')] },
  ]);
  const words = ex.units[0].toks.map((t) => text.slice(t.start, t.end));
  const tag = (w: string) => LABELS[labels[words.indexOf(w)]];
  assert.equal(tag('Ridley'), 'B-S');
  assert.equal(tag('said'), 'B-C');
  assert.equal(tag('minister'), 'I-S');
  assert.equal(tag('told'), 'B-C');
  assert.equal(tag('that'), 'B-X', 'the inner content starts a new span');
  assert.equal(tag('.'), 'O');
});

test('Viterbi never puts I-x after anything but B-x / I-x, and the model file round-trips', () => {
  const emit = new Float32Array(SIZE * L);
  const trans = new Float32Array((L + 1) * L);
  // Feature 5 strongly prefers I-S (label 2) everywhere.
  emit[5 * L + 2] = 10;
  const feats = [Int32Array.of(5), Int32Array.of(5), Int32Array.of(5)];
  const out = viterbi({ emit, trans }, feats);
  assert.notEqual(out[0], 2, 'I-S cannot start a unit');
  for (let i = 1; i < out.length; i++) if (out[i] === 2) assert.ok(out[i - 1] === 1 || out[i - 1] === 2);
  const back = decodeModel(encodeModel({ emit, trans }, { name: 't', version: '0', trained: '', data: '', epochs: 1 }));
  assert.deepEqual([...viterbi(back.weights, feats)], [...out]);
});

test('the committed tagger loads', { skip: loadTagger() ? false : 'models/quotes/tagger.bin.gz absent' }, () => {
  const m = loadTagger()!;
  assert.equal(m.header.name, 'quotes-tagger');
  assert.equal(m.weights.emit.length, SIZE * L);
});

/** Deterministic pseudo-random weights in -10 … 10 (seeded). */
function randomEmit(seed: number): Float32Array {
  const emit = new Float32Array(SIZE * L);
  let x = seed;
  for (let i = 0; i < emit.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    emit[i] = ((x >>> 8) % 2001) / 100 - 10;
  }
  return emit;
}

const SAMPLE = 'The harbour plan is dead, Mayor Ilse Korvan told the Tidewater Gazette on Monday. “We will not pay for it,” she said.';

function sampleUnits() {
  const seg = segment(SAMPLE);
  return extract({ text: SAMPLE, paragraphs: seg.segments.paragraphs, sentences: seg.segments.sentences, tokens: seg.tokens });
}

test('decoding sums the same weight rows as the training features (16-bit model file), also after the weights change', () => {
  const ex = sampleUnits();
  // Two weight sets in turn: per-word sums cached for the first must not leak into the second.
  for (const seed of [7, 11]) {
    const w = decodeModel(encodeModel({ emit: randomEmit(seed), trans: new Float32Array((L + 1) * L) }, { name: 't', version: '0', trained: '', data: '', epochs: 1 })).weights;
    for (const u of ex.units) {
      const rules = ruleTags(u, ex.drafts);
      const feats = unitFeatures(SAMPLE, u, rules, true);
      const em = unitEmissions(SAMPLE, u, rules, true, w);
      assert.equal(em.length, feats.length * L);
      feats.forEach((f, k) => {
        for (let l = 0; l < L; l++) {
          let sum = 0;
          for (const id of f) sum += w.emit[id * L + l];
          assert.equal(em[k * L + l], sum, `seed ${seed} token ${k} label ${l}`);
        }
      });
    }
  }
});

test('word-vector features: the model file carries them and decoding adds the dense scores of known words', () => {
  const before = getMeaningFeatures();
  try {
    // Each token sees its own word's vector and its left neighbour's.
    setMeaningFeatures({ ...NO_MEANING, clusters: [[0, 1], [-1, 2]], dense: 3, denseAt: [0, -1] });
    const ex = sampleUnits();
    const dim = unitVectors(ex.units[0]).find((v) => v)!.length;
    const dense = new Float32Array(2 * L * dim).map((_, i) => ((i * 37) % 101) / 50 - 1);
    const file = encodeModel({ emit: randomEmit(3), trans: new Float32Array((L + 1) * L), dense }, { name: 't', version: '0', trained: '', data: '', epochs: 1 });
    setMeaningFeatures(NO_MEANING);
    const { header, weights: w } = decodeModel(file);
    assert.equal(header.meaning?.dense, 3);
    assert.deepEqual(getMeaningFeatures().clusters, [[0, 1], [-1, 2]], 'loading the file turns its features on');
    let known = 0;
    for (const u of ex.units) {
      const rules = ruleTags(u, ex.drafts);
      const feats = unitFeatures(SAMPLE, u, rules, true);
      const vecs = unitVectors(u);
      const em = unitEmissions(SAMPLE, u, rules, true, w);
      feats.forEach((f, k) => {
        const v = vecs[k];
        const left = k > 0 ? vecs[k - 1] : null;
        if (v) known++;
        for (let l = 0; l < L; l++) {
          let want = 0;
          for (const id of f) want += w.emit[id * L + l] * w.emitScale!;
          if (v) for (let d = 0; d < dim; d++) want += w.dense![l * dim + d] * v[d];
          if (left) for (let d = 0; d < dim; d++) want += w.dense![(L + l) * dim + d] * left[d];
          assert.ok(Math.abs(em[k * L + l] * w.emitScale! - want) < 1e-6 * (1 + Math.abs(want)), `token ${k} label ${l}`);
        }
      });
    }
    assert.ok(known > 10, 'most words of the sample have vectors');
    // Dense vectors alone are recorded too.
    setMeaningFeatures({ ...NO_MEANING, dense: 3 });
    const denseOnly = encodeModel({ emit: new Float32Array(SIZE * L), trans: new Float32Array((L + 1) * L), dense: new Float32Array(L * dim) }, { name: 't', version: '0', trained: '', data: '', epochs: 1 });
    setMeaningFeatures(NO_MEANING);
    assert.equal(decodeModel(denseOnly).header.meaning?.dense, 3);
    assert.equal(getMeaningFeatures().dense, 3);
    // A file trained without vector features turns them off again.
    setMeaningFeatures(NO_MEANING);
    const plain = encodeModel({ emit: new Float32Array(SIZE * L), trans: new Float32Array((L + 1) * L) }, { name: 't', version: '0', trained: '', data: '', epochs: 1 });
    setMeaningFeatures({ ...NO_MEANING, dense: 3 });
    decodeModel(plain);
    assert.equal(getMeaningFeatures().dense ?? 0, 0);
  } finally {
    setMeaningFeatures(before);
  }
});

test('a two-pass model scores both passes from one paired table exactly as from each table alone', () => {
  const ex = sampleUnits();
  const file = (seed: number) => encodeModel({ emit: randomEmit(seed), trans: new Float32Array((L + 1) * L) }, { name: 't', version: '0', trained: '', data: '', epochs: 1 });
  const w1 = decodeModel(file(5)).weights;
  const w2 = decodeModel(file(9)).weights;
  const pair = pairedEmit(w1, w2);
  assert.ok(pair, 'tables of one size are paired');
  for (const u of ex.units) {
    const rules = ruleTags(u, ex.drafts);
    const [a, b] = unitEmissionsBoth(SAMPLE, u, rules, true, w1, w2).map((x) => Float64Array.from(x));
    assert.deepEqual(a, Float64Array.from(unitEmissions(SAMPLE, u, rules, true, w1)));
    assert.deepEqual(b, Float64Array.from(unitEmissions(SAMPLE, u, rules, true, w2)));
    // The stacked features' rows of the second pass, read from the paired table.
    const labels = Uint8Array.from(u.toks, (_, k) => (k * 5) % L);
    stackUnitFeatures(stackCtx(u, rules), labels).forEach((ids, k) => {
      const got = new Float64Array(L);
      rowSumsSecond(pair!, ids, ids.length, got, 0);
      for (let l = 0; l < L; l++) {
        let sum = 0;
        for (const id of ids) sum += w2.emit[id * L + l];
        assert.equal(got[l], sum, `token ${k} label ${l}`);
      }
    });
  }
});

test('a two-pass model keeps its second pass in the model file and tags the same after loading', () => {
  const before = getMeaningFeatures();
  try {
    setMeaningFeatures(NO_MEANING);
    // Invented sentences with their attributions (source, cue, content).
    const lines: [string, string, string, string][] = [
      ['Mayor Ilse Korvan said the harbour plan was dead.', 'Mayor Ilse Korvan', 'said', 'the harbour plan was dead'],
      ['The council, Pell Ardan argued, should pay for the bridge.', 'Pell Ardan', 'argued', 'The council | should pay for the bridge'],
      ['According to Tova Rusk, the ferry will stop in May.', 'Tova Rusk', 'According to', 'the ferry will stop in May'],
      ['Jory Vant told reporters that fares would rise.', 'Jory Vant', 'told', 'that fares would rise'],
      ['“We will not move,” said Anka Ferrel.', 'Anka Ferrel', 'said', '“We will not move,”'],
      ['Dr. Osk Lemby warned that the dunes were eroding.', 'Dr. Osk Lemby', 'warned', 'that the dunes were eroding'],
    ];
    const units: StackTrainUnit[] = [];
    lines.forEach(([text, src, cue, content], doc) => {
      const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
      const rel = { source: [at(src)], cue: [at(cue)], content: content.split(' | ').map(at) };
      const du = docUnits(text, [rel]);
      du.feats.forEach((f, i) => units.push({ feats: f, gold: du.gold[i], vecs: du.vecs[i], groups: du.groups[i], ctx: du.ctx[i], doc }));
    });
    const w = trainStacked(units, 3, { parts: 2, full: true });
    assert.ok(w.stack && w.stack.stackFull, 'the weights carry a second pass');
    const back = decodeModel(encodeModel(w, { name: 't', version: '0', trained: '', data: '', epochs: 3 })).weights;
    assert.ok(back.stack?.stackFull, 'the model file carries the second pass');
    const text = 'Councillor Brin Hallow said the pier would reopen.';
    const seg = segment(text);
    const ex = extract({ text, paragraphs: seg.segments.paragraphs, sentences: seg.segments.sentences, tokens: seg.tokens });
    const tag = (weights: typeof w) => ex.units.flatMap((u, i) => tagUnit(text, u, i, ex.drafts, weights, true)).map((d) => [d.cueText, d.source && text.slice(d.source.start, d.source.end)]);
    const float = tag(w);
    assert.deepEqual(tag(back), float);
    assert.deepEqual(float[0], ['said', 'Councillor Brin Hallow']);
  } finally {
    setMeaningFeatures(before);
  }
});

test('pathGap is the score gap between the best path and the best other path (all paths enumerated)', () => {
  const n = 4;
  let x = 99;
  const rnd = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return ((x >>> 8) % 2001) / 100 - 10;
  };
  for (let round = 0; round < 5; round++) {
    const trans = Float32Array.from({ length: (L + 1) * L }, rnd);
    const ems = Float64Array.from({ length: n * L }, rnd);
    const w = { emit: new Float32Array(0), trans, emitScale: 0.5 };
    const best = viterbiEmissions(w, ems);
    const scores: number[] = [];
    let bestScore = -Infinity;
    for (let code = 0; code < L ** n; code++) {
      const path = Array.from({ length: n }, (_, i) => Math.floor(code / L ** i) % L);
      if (path.some((l, i) => !allowed(i === 0 ? -1 : path[i - 1], l))) continue;
      let s = 0;
      path.forEach((l, i) => (s += ems[i * L + l] * 0.5 + trans[(i === 0 ? L : path[i - 1]) * L + l]));
      if (path.every((l, i) => l === best[i])) bestScore = s;
      else scores.push(s);
    }
    const want = bestScore - Math.max(...scores);
    assert.ok(want >= 0, 'Viterbi found the best path');
    assert.ok(Math.abs(pathGap(w, ems, best) - want) < 1e-9, `round ${round}`);
  }
});

test('a gated two-pass model: no gate tags as the ungated model, a gate below every gap as the first pass alone', () => {
  const before = getMeaningFeatures();
  try {
    setMeaningFeatures(NO_MEANING);
    const file = (seed: number) => encodeModel({ emit: randomEmit(seed), trans: new Float32Array((L + 1) * L) }, { name: 't', version: '0', trained: '', data: '', epochs: 1 });
    const w1 = decodeModel(file(5)).weights;
    const w2 = { ...decodeModel(file(9)).weights, stackFull: true };
    const ex = sampleUnits();
    const tag = (weights: Weights) => JSON.stringify(ex.units.flatMap((u, i) => tagUnit(SAMPLE, u, i, ex.drafts, weights, true)));
    const ungated = tag({ ...w1, stack: w2 });
    const first = tag(w1);
    assert.notEqual(ungated, first, 'the two passes differ on the sample');
    assert.equal(tag({ ...w1, stack: { ...w2, gate: Infinity } }), ungated);
    // The second pass scores the first pass's kept feature ids as if it hashed them again.
    for (const u of ex.units) {
      const rules = ruleTags(u, ex.drafts);
      const a = Float64Array.from(unitEmissions(SAMPLE, u, rules, true, w2));
      unitEmissions(SAMPLE, u, rules, true, w1, 1, true);
      assert.deepEqual(Float64Array.from(unitEmissionsKept(u, rules, w2)), a);
    }
    assert.equal(tag({ ...w1, stack: { ...w2, gate: -Infinity } }), first);
    // The gate is kept in the model file.
    const back = decodeModel(encodeModel({ ...w1, emit: randomEmit(5), emitScale: undefined, stack: { ...w2, emit: randomEmit(9), emitScale: undefined, gate: 2.5 } }, { name: 't', version: '0', trained: '', data: '', epochs: 1 }));
    assert.equal(back.weights.stack?.gate, 2.5);
  } finally {
    setMeaningFeatures(before);
  }
});

test('training options: passive-aggressive steps and several shuffles averaged still learn the invented attributions', () => {
  const before = getMeaningFeatures();
  try {
    setMeaningFeatures(NO_MEANING);
    const lines: [string, string, string, string][] = [
      ['Mayor Ilse Korvan said the harbour plan was dead.', 'Mayor Ilse Korvan', 'said', 'the harbour plan was dead'],
      ['Jory Vant said that fares would rise.', 'Jory Vant', 'said', 'that fares would rise'],
      ['Dr. Osk Lemby said the dunes were eroding.', 'Dr. Osk Lemby', 'said', 'the dunes were eroding'],
      ['Tova Rusk said the ferry will stop in May.', 'Tova Rusk', 'said', 'the ferry will stop in May'],
    ];
    const units: TrainUnit[] = [];
    for (const [text, src, cue, content] of lines) {
      const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
      const du = docUnits(text, [{ source: [at(src)], cue: [at(cue)], content: [at(content)] }]);
      du.feats.forEach((f, i) => units.push({ feats: f, gold: du.gold[i] }));
    }
    const text = 'Councillor Brin Hallow said the pier would reopen.';
    const seg = segment(text);
    const ex = extract({ text, paragraphs: seg.segments.paragraphs, sentences: seg.segments.sentences, tokens: seg.tokens });
    for (const algo of [{ update: 'pa' as const, C: 0.1 }, { seeds: 3 }]) {
      const w = train(units, 5, undefined, {}, undefined, undefined, algo);
      const d = ex.units.flatMap((u, i) => tagUnit(text, u, i, ex.drafts, w, true))[0];
      assert.ok(d, JSON.stringify(algo));
      assert.equal(d.cueText, 'said');
      assert.equal(text.slice(d.source!.start, d.source!.end), 'Councillor Brin Hallow');
      assert.equal(text.slice(d.parts[0].start, d.parts[0].end), 'the pier would reopen');
    }
  } finally {
    setMeaningFeatures(before);
  }
});

test('a tagged content span that ends on a function word runs on over the rules\' content after it', () => {
  const text = 'The ferry, Mayor Osk Lemby said, will run only until spring.';
  const seg = segment(text);
  const ex = extract({ text, paragraphs: seg.segments.paragraphs, sentences: seg.segments.sentences, tokens: seg.tokens });
  const u = ex.units[0];
  const rules = ruleTags(u, ex.drafts);
  const words = u.toks.map((t) => text.slice(t.start, t.end));
  const at = (w: string) => words.indexOf(w);
  assert.equal(rules[at('spring')], 3, 'the rules read "spring" as content');
  // Content "will run only until", then O: the span ends on "until".
  const labels = new Uint8Array(words.length);
  labels[at('will')] = 5;
  for (const w of ['run', 'only', 'until']) labels[at(w)] = 6;
  extendDangling(u, labels, rules);
  assert.equal(LABELS[labels[at('spring')]], 'I-X');
  assert.equal(LABELS[labels[at('.')]], 'O', 'the final period stays out');
  // A span that ends on a content word is left alone.
  const other = new Uint8Array(words.length);
  other[at('will')] = 5;
  other[at('run')] = 6;
  extendDangling(u, other, rules);
  assert.equal(LABELS[other[at('only')]], 'O');
});

test('model files have an even header line (body read in place); files with an odd one still decode the same', () => {
  const emit = new Float32Array(SIZE * L);
  for (let i = 0; i < 5000; i++) emit[(i * 7919) % emit.length] = ((i % 13) - 6) / 3;
  const trans = new Float32Array((L + 1) * L).fill(0.5);
  const file = encodeModel({ emit, trans }, { name: 't', version: '0', trained: '', data: '', epochs: 1 });
  const nl = file.indexOf(10);
  assert.equal((nl + 1) % 2, 0, 'the body starts at an even offset');
  // An older file: the same header without the padding, so the body starts at an odd offset.
  const head = file.subarray(0, nl).toString('utf8').trimEnd();
  const old = Buffer.concat([Buffer.from(head + ((head.length + 1) % 2 ? '' : ' ') + '\n'), file.subarray(nl + 1)]);
  assert.equal(old.indexOf(10) % 2, 0, 'the test file has an odd body offset');
  const a = decodeModel(file).weights;
  const b = decodeModel(old).weights;
  assert.deepEqual([...a.emit.subarray(0, 50_000)], [...b.emit.subarray(0, 50_000)]);
  assert.deepEqual([...a.trans], [...b.trans]);
});
