import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachExplanations, fitModel, DEFAULT_CONFIG, type NarrDoc } from './train.ts';
import { inventedDocs } from './fixtures.ts';
import { ledeText } from './model.ts';

const cfg = { ...DEFAULT_CONFIG, minDf: 1, blocks: DEFAULT_CONFIG.blocks.map((b) => ({ ...b, maxFeatures: 3000 })), stackLangs: [], explanationWeight: 0 };

/** The invented documents in English and again as a second language, each with its own id. */
function twoLanguages(): NarrDoc[] {
  return [...inventedDocs.map((d) => ({ ...d })), ...inventedDocs.map((d) => ({ ...d, id: `bg-${d.id}`, lang: 'BG' }))];
}

/** A corpus folder with an invented subtask-3 file per language: one explanation for the wind-power documents. */
function corpusWithExplanations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'unspin-narr-expl-'));
  const cc = 'CC: Controversy about green technologies';
  for (const [lang, prefix] of [['EN', ''], ['BG', 'bg-']]) {
    mkdirSync(join(dir, lang));
    writeFileSync(join(dir, lang, 'subtask-3-annotations.txt'), [
      `${prefix}a\t${cc}\t${cc}: Renewable energy is costly\tThe piece says green grids of Quarnby make every household poorer.`,
      `${prefix}b\t${cc}\tnone\tIt claims that Quarnby's solar panels ruin family budgets.`,
      `${prefix}zz\t${cc}\tnone\tA line for a document that is not in the training set.`,
    ].join('\n') + '\n');
  }
  return dir;
}

test('explanations attach to the listed languages only, and only the chosen languages train on them', (t) => {
  const dir = corpusWithExplanations();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const docs = twoLanguages();
  assert.equal(attachExplanations(docs, dir, ['BG']), 2);
  assert.deepEqual(docs.filter((d) => d.explanation).map((d) => d.id), ['bg-a', 'bg-b']);
  assert.equal(docs.find((d) => d.id === 'bg-b')!.explanation!.subnarrative, 'none');

  const all = twoLanguages();
  assert.equal(attachExplanations(all, dir), 4);
  const probe = 'Quarnby households pay for green grids.';
  const plain = fitModel(all, cfg).proba(probe);
  const onlyEn = fitModel(all, { ...cfg, explanationWeight: 1, explanationLangs: ['EN'] }).proba(probe);
  const noneListed = fitModel(all, { ...cfg, explanationWeight: 1, explanationLangs: ['RU'] }).proba(probe);
  assert.deepEqual(Array.from(noneListed), Array.from(plain), 'no explanation of a listed language: the model without explanations');
  // the shipped configuration leaves English explanations out
  assert.ok(DEFAULT_CONFIG.explanationWeight && DEFAULT_CONFIG.explanationLangs && !DEFAULT_CONFIG.explanationLangs.includes('EN'));
  const shippedEnOnly = fitModel(all.filter((d) => d.lang === 'EN'), { ...cfg, explanationWeight: DEFAULT_CONFIG.explanationWeight, explanationLangs: DEFAULT_CONFIG.explanationLangs }).proba(probe);
  assert.deepEqual(Array.from(shippedEnOnly), Array.from(fitModel(all.filter((d) => d.lang === 'EN'), cfg).proba(probe)));
  const narr = fitModel(all, cfg).ix.get('CC: Controversy about green technologies');
  assert.ok(onlyEn[narr] > plain[narr], 'the explanation rows pull a text worded like them toward their narrative');
  const json = JSON.stringify(fitModel(all, { ...cfg, explanationWeight: 1, explanationLangs: undefined }).toJSON());
  assert.ok(!json.includes('households poorer') && !json.includes('family budgets'), 'no explanation text in the model file');
});

test('a bagged model is one classifier of the same size, deterministic, and still separates the invented documents', () => {
  const docs = inventedDocs.map((d) => ({ ...d }));
  const bagged = { ...cfg, bags: { n: 3, fraction: 0.8 } };
  const a = fitModel(docs, bagged);
  const b = fitModel(docs, bagged);
  const plain = fitModel(docs, cfg);
  assert.equal(JSON.stringify(a.toJSON()), JSON.stringify(b.toJSON()), 'same seed, same model');
  assert.equal(a.classifier.w.length, plain.classifier.w.length);
  assert.notDeepEqual(Array.from(a.proba(docs[0].text)), Array.from(plain.proba(docs[0].text)));
  const narr = a.ix.get('CC: Controversy about green technologies');
  const other = a.ix.get('Other');
  assert.ok(a.proba('Wind turbines push up electricity bills.')[narr] > a.proba('The band played at the town fair.')[narr]);
  assert.ok(a.proba('The band played at the town fair.')[other] > a.proba('Wind turbines push up electricity bills.')[other]);
});

test('a title-and-lede block reads only the first sentences of a text', () => {
  const docs = inventedDocs.map((d) => ({ ...d }));
  const withLede = { ...cfg, blocks: [...cfg.blocks, { spec: { wordNgrams: [1, 2], charNgrams: null, bits: 20 }, maxFeatures: 3000, input: { kind: 'lede' as const, sentences: 2, weight: 0.5 } }] };
  const m = fitModel(docs, withLede);
  const start = m.vectorizers[0].size + m.vectorizers[1].size;
  const ledeCols = (text: string) => {
    const r = m.features(text);
    return [...r.idx].filter((f) => f >= start);
  };
  const head = 'Wind turbines are expensive.\n\nSolar subsidies cost families billions.';
  assert.ok(ledeCols(head).length > 0);
  assert.deepEqual(ledeCols(`${head} The town fair opened with a parade.`), ledeCols(`${head} The army of Velm shelled the border towns.`));
  assert.notDeepEqual(ledeCols(head), ledeCols(`The army of Velm shelled the border towns. ${head}`));
  assert.equal(ledeText('First line\n\nSecond one. Third one. Fourth one.', 2), 'First line\nSecond one.');
});

test('NB-SVM narratives refit only the narrative classifiers and still separate the invented documents', () => {
  const docs = inventedDocs.map((d) => ({ ...d }));
  const plain = fitModel(docs, cfg);
  const nb = fitModel(docs, { ...cfg, nbNarratives: { alpha: 1 } });
  const narr = nb.ix.get('CC: Controversy about green technologies');
  const sub = nb.ix.get('CC: Controversy about green technologies: Renewable energy is costly');
  const text = 'Wind turbines push up electricity bills.';
  assert.notEqual(nb.proba(text)[narr], plain.proba(text)[narr]);
  assert.equal(nb.proba(text)[sub], plain.proba(text)[sub], 'subnarratives untouched');
  assert.ok(nb.proba(text)[narr] > nb.proba('The band played at the town fair.')[narr]);
  assert.ok(nb.proba(text)[narr] > nb.proba('The army of Velm shelled the border towns.')[narr]);
});
