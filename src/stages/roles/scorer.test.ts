import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segment } from '../../segment/index.ts';
import { runStages } from '../../document/runner.ts';
import type { Stage } from '../../document/stage.ts';
import type { DocumentInfo, Entity } from '../../document/types.ts';
import { fnv } from '../../ml/index.ts';
import { docTokens, mentionFeatureHashes, mentionString, sentenceAround } from './features.ts';
import { mentionDense } from './dense.ts';
import { decodeRoles, ROLE_LABELS } from './model.ts';
import { chooseRoles, MentionScorer } from './scorer.ts';
import { createRolesStage, loadRoleModel } from './index.ts';

// Invented text: a title line, long and short sentences, a mention at the very start and at the very end,
// words the vectors know and invented names they do not, punctuation-only tokens, curly apostrophes.
const text =
  'Ostrel’s Grey Legion Shells Kell as Envoy Calls for Talks\n\n' +
  'The Grey Legion of Ostrel shelled the villages of Kell overnight, destroying two schools, a clinic and the old ' +
  'market hall, according to local officials who counted the damage on Tuesday morning. ' +
  'Envoy Mara Tollen negotiated a ceasefire with the Legion’s commanders — “enough,” she said — and asked the ' +
  'United Nations to send observers. Farmers of Kell said the attacks had burned their fields and killed livestock. ' +
  'Officials in Kyiv blamed the Kremlin for the invasion, while NATO urged restraint. ' +
  'Kell.';

function mentionsOf(words: string[]) {
  const out: { start: number; end: number }[] = [];
  for (const w of words) for (let s = text.indexOf(w); s >= 0; s = text.indexOf(w, s + 1)) out.push({ start: s, end: s + w.length });
  return out;
}
const MENTIONS = mentionsOf(['Grey Legion', 'Ostrel', 'Kell', 'Envoy Mara Tollen', 'Mara Tollen', 'the Legion’s commanders', 'United Nations', 'Farmers of Kell', 'observers', 'Kyiv', 'the Kremlin', 'NATO']);

const loaded = loadRoleModel();

for (const lang of ['en', 'pt']) test(`the fast scorer gives exactly the probabilities of the plain path, for every mention (${lang})`, (t) => {
  if (!loaded) return t.skip('models/roles/model.json is absent');
  const { model } = loaded;
  assert.ok(model.denseDim > 0, 'the committed model has word-vector columns');
  assert.ok(model.side?.stance && model.articleDim === 22, 'the committed model has the article-level parts (side.ts)');
  const scorer = new MentionScorer(model);
  const plainDoc = docTokens(text);
  const fastDoc = docTokens(text);
  const plainArticle = model.articleContext(plainDoc, lang);
  const fastArticle = model.articleContext(fastDoc, lang);
  assert.equal(plainArticle.side !== null, lang === 'en');
  let differentFromFirst = 0;
  let withBloc = 0;
  let first: number[] | null = null;
  for (const m of MENTIONS) {
    const [sentStart, sentEnd] = sentenceAround(text, m.start, m.end);
    const ctx = { text, ...m, sentStart, sentEnd };
    const side = model.sideFeatures(mentionString(ctx), plainArticle);
    if (side.some((f) => f.startsWith('bloc='))) withBloc++;
    const hashes = [...mentionFeatureHashes(ctx, plainDoc), ...side.map((f) => fnv(f))];
    const want = model.classifier.proba(model.vectorFromHashes(hashes, model.withArticleColumns(mentionDense(ctx, plainDoc), plainArticle)));
    const got = scorer.proba(ctx, fastDoc, fastArticle);
    assert.equal(got.length, ROLE_LABELS.length);
    // bit for bit: the same float operations in the same order
    for (let l = 0; l < want.length; l++) assert.ok(Object.is(got[l], want[l]), `${text.slice(m.start, m.end)} label ${ROLE_LABELS[l]}: ${got[l]} vs ${want[l]}`);
    if (!first) first = [...got];
    else if (got.some((x, l) => x !== first![l])) differentFromFirst++;
  }
  // the reused buffer does not leak one mention's numbers into the next
  assert.ok(differentFromFirst > MENTIONS.length / 2);
  // bloc features are among those compared (Kyiv, the Kremlin, NATO, United Nations) in English
  assert.equal(withBloc > 0, lang === 'en');
});

test('chooseRoles picks what decodeRoles puts first, ties and a zero main mass included', () => {
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const cases: number[][] = [];
  for (let k = 0; k < 300; k++) cases.push(ROLE_LABELS.map(() => rand()));
  cases.push(ROLE_LABELS.map(() => 0.5)); // every score tied: the first fine role
  cases.push(ROLE_LABELS.map((_, i) => (i < 3 ? 0 : (i % 5) / 10))); // no main mass: 1/3 each, ties among fine roles
  for (const p of cases) {
    const want = decodeRoles(p);
    assert.deepEqual(chooseRoles(p), { main: want.main, mainConfidence: want.mainConfidence, fine: want.fine, fineConfidence: want.fineConfidence });
  }
});

test('the stage gives the same layer on the fast and the plain path', (t) => {
  if (!loaded) return t.skip('models/roles/model.json is absent');
  const span = (w: string, from = 0) => {
    const start = text.indexOf(w, from);
    return { start, end: start + w.length, text: w, kind: 'name' as const };
  };
  const entities: Entity[] = [
    { id: 'e1', type: 'organization', name: 'Grey Legion', descriptors: [], mentions: [span('Grey Legion'), span('Grey Legion', 10), { ...span('the Legion’s commanders'), kind: 'description' }] },
    { id: 'e2', type: 'person', name: 'Mara Tollen', descriptors: ['Envoy'], mentions: [span('Mara Tollen'), { ...span('she'), kind: 'pronoun' }] },
    { id: 'e3', type: 'place', name: 'Kell', descriptors: [], mentions: [span('Kell'), span('Kell', 70), span('Kell.', text.length - 6)] },
  ];
  const { segments, tokens } = segment(text);
  const document: DocumentInfo = { id: 't', title: null, url: null, outlet: null, byline: null, published: null, language: 'en', text };
  const ents: Stage = { name: 'entities', requires: [], assigns: ['entities'], run: () => ({ layers: { entities } }) };
  const fast = runStages([ents, createRolesStage()], document, segments, tokens);
  const plain = runStages([ents, createRolesStage({ path: 'plain' })], document, segments, tokens);
  assert.deepEqual(fast.roles, plain.roles);
  assert.deepEqual((fast.roles as { entity: string }[]).map((r) => r.entity), ['e1', 'e2', 'e3'], JSON.stringify(fast.diagnostics));
});
