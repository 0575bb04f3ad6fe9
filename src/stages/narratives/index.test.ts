import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { segment } from '../../segment/index.ts';
import { runStages } from '../../document/runner.ts';
import type { DocumentInfo } from '../../document/types.ts';
import { createNarrativesStage, validateUserNarratives, type NarrativeLabel } from './index.ts';
import { fitModel, DEFAULT_CONFIG, type NarrDoc } from './train.ts';
import { parentNarrative } from '../../corpora/semeval2025/taxonomy.ts';

const GREEN = 'CC: Controversy about green technologies';
const GREEN_COST = 'CC: Controversy about green technologies: Renewable energy is costly';

// Invented training documents: three about expensive wind and solar power, three about unrelated town news.
const costly = [
  'Wind turbines are ruinously expensive. Solar panels push up electricity bills for every family. The subsidies for renewable energy cost billions.',
  'Families pay more for electricity because of wind farms. Renewable energy subsidies are a costly burden. Solar power is the most expensive option.',
  'The expensive solar farms raise bills. Wind power subsidies cost taxpayers billions. Renewable energy makes electricity unaffordable.',
];
const plain = [
  'The town fair opened on Saturday with a parade. Children rode ponies and the band played.',
  'The library extended its opening hours. Readers can borrow books on Sunday afternoons.',
  'A new bakery opened near the station. It sells bread, cakes and coffee every morning.',
];
const docs: NarrDoc[] = [
  ...costly.map((text, i) => ({ id: `c${i}`, lang: 'EN', text, narratives: [GREEN], subnarratives: [GREEN_COST] })),
  ...plain.map((text, i) => ({ id: `p${i}`, lang: 'EN', text, narratives: ['Other'], subnarratives: ['Other'] })),
];
const cfg = {
  ...DEFAULT_CONFIG,
  minDf: 1,
  blocks: DEFAULT_CONFIG.blocks.map((b) => ({ ...b, maxFeatures: 5000 })),
  epochs: 30,
  stackLangs: [],
};
const model = fitModel(docs, cfg, { EN: { tOther: 0.5, tNarr: 0.3, tSub: 0.3 } });

function analyse(text: string, stage = createNarrativesStage({ model })) {
  const { segments, tokens } = segment(text);
  const document: DocumentInfo = { id: 't', title: null, url: null, outlet: null, byline: null, published: null, language: 'en', text };
  return runStages([stage], document, segments, tokens);
}

test('a narrative is reported with its subnarrative and the sentence that carries it as evidence', () => {
  const text = 'The council met on Monday. Wind and solar subsidies push electricity bills up for families. The meeting ended at noon.';
  const a = analyse(text);
  const layer = a.narratives as NarrativeLabel[];
  assert.equal(a.diagnostics.filter((d) => d.severity === 'error').length, 0);
  const n = layer.find((l) => l.narrative === GREEN);
  assert.ok(n, `expected ${GREEN}, got ${layer.map((l) => l.narrative).join(', ')}`);
  assert.equal(n.domain, 'CC');
  assert.ok(n.confidence > 0 && n.confidence <= 1);
  assert.equal(n.evidence[0].text, 'Wind and solar subsidies push electricity bills up for families.');
  assert.equal(text.slice(n.evidence[0].start, n.evidence[0].end), n.evidence[0].text);
  assert.deepEqual(n.subnarratives.map((s) => s.subnarrative), [GREEN_COST]);
  assert.equal(n.subnarratives[0].evidence[0].sentence, 1);
});

test('text without any narrative gets Other alone, with no evidence', () => {
  const a = analyse('The bakery near the station sells fresh bread. The fair opens on Saturday.');
  const layer = a.narratives as NarrativeLabel[];
  assert.deepEqual(layer.map((l) => l.narrative), ['Other']);
  assert.deepEqual(layer[0].evidence, []);
});

test('user-defined narratives are matched with the same evidence shape', () => {
  const file = validateUserNarratives(JSON.parse(readFileSync(new URL('../../../examples/narratives/tidal-barrage.json', import.meta.url), 'utf8')));
  const text = 'Brennmark voted on the tidal barrage on Thursday. Engineers kept the flood risk report secret until after the vote, residents said. The barrage would be finished in 2031.';
  const a = analyse(text, createNarrativesStage({ model, userNarratives: [file] }));
  const user = (a.narratives as NarrativeLabel[]).filter((l) => l.source === 'user');
  assert.deepEqual(user.map((u) => u.id), ['hidden-risks']);
  assert.equal(user[0].taxonomy, file.topic);
  assert.equal(user[0].evidence[0].sentence, 1);
  assert.equal(text.slice(user[0].evidence[0].start, user[0].evidence[0].end), user[0].evidence[0].text);
});

test('without a model only user narratives are matched, and a diagnostic says so', () => {
  const a = analyse('Nothing here.', createNarrativesStage({ model: null }));
  assert.deepEqual(a.narratives, []);
  assert.ok(a.diagnostics.some((d) => d.code === 'model-missing'));
});

test('the committed model keeps the hierarchy: one domain, subnarratives under chosen narratives, Other alone', (t) => {
  const text = [
    'Officials in the invented republic of Valdoria said the western alliance is sending more weapons.',
    'A commentator claimed the sanctions will hurt European households more than anyone else.',
    'He warned that continuing the war risks a wider conflict with nuclear weapons.',
  ].join(' ');
  const a = analyse(text, createNarrativesStage());
  const layer = (a.narratives as NarrativeLabel[]).filter((l) => l.source === 'model');
  if (a.diagnostics.some((d) => d.code === 'model-missing')) {
    t.skip('models/narratives/model.json is absent');
    return;
  }
  assert.ok(layer.length >= 1);
  if (layer.some((l) => l.narrative === 'Other')) assert.equal(layer.length, 1);
  else {
    assert.equal(new Set(layer.map((l) => l.domain)).size, 1);
    for (const l of layer) {
      assert.ok(l.subnarratives.length >= 1);
      for (const s of l.subnarratives) assert.equal(parentNarrative(s.subnarrative), l.narrative);
    }
  }
  assert.match(a.models.narratives ?? '', /^narratives-semeval2025@/);
});
