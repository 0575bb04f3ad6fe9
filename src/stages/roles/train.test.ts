import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitRoles, DEFAULT_ROLE_CONFIG, type RoleExample } from './train.ts';
import { RoleModel } from './model.ts';
import { docTokens, mentionFeatureStrings, sentenceAround } from './features.ts';

// Invented sentences. Training: aggressors that shell and bomb, peacemakers that negotiate, victims that suffer.
// The held-out sentences use none of those verbs, only words with similar meaning.
function example(doc: string, m: string, main = 'Antagonist', fine = 'Instigator'): RoleExample {
  const start = doc.indexOf(m);
  assert.ok(start >= 0, m);
  const [sentStart, sentEnd] = sentenceAround(doc, start, start + m.length);
  return {
    lang: 'EN',
    row: { docId: doc.slice(0, 12), mention: m, start, end: start + m.length - 1, main, fine: [fine] },
    features: mentionFeatureStrings({ text: doc, start, end: start + m.length, sentStart, sentEnd }, docTokens(doc)),
  };
}
const training = [
  example('The Grey Legion shelled the town and attacked the villages overnight.', 'Grey Legion'),
  example('Troops of the Dorn Front bombed houses and shelled a school.', 'Dorn Front'),
  example('The Vask Brigade attacked the port and bombed the bridges.', 'Vask Brigade'),
  example('The envoy Pera Lind negotiated a ceasefire between the sides.', 'Pera Lind', 'Protagonist', 'Peacemaker'),
  example('Ambassador Tomas Vey negotiated peace talks and a ceasefire.', 'Tomas Vey', 'Protagonist', 'Peacemaker'),
  example('Minister Aldo Renn negotiated an agreement to end the fighting.', 'Aldo Renn', 'Protagonist', 'Peacemaker'),
  example('The people of Morra suffered and many were killed.', 'people of Morra', 'Innocent', 'Victim'),
  example('Farmers of Lusk suffered losses; many were wounded.', 'Farmers of Lusk', 'Innocent', 'Victim'),
  example('The children of Tarn suffered hunger and many were injured.', 'children of Tarn', 'Innocent', 'Victim'),
];
const heldOut = [
  example('Osk gunners pounded Hallen with artillery.', 'Osk gunners'),
  example('Lene Haas brokered a truce.', 'Lene Haas', 'Protagonist', 'Peacemaker'),
  example('Brel villagers starved; dozens perished.', 'Brel villagers', 'Innocent', 'Victim'),
];

test('with word vectors the model labels sentences whose verbs it never saw in training', () => {
  const cfg = { ...DEFAULT_ROLE_CONFIG, minCount: 1, epochs: 30, side: false, articleRoles: 0 };
  assert.equal(cfg.dense, true, 'the shipped configuration uses word vectors');
  const model = fitRoles(training, cfg);
  assert.equal(model.denseDim, 400);
  for (const e of heldOut) assert.equal(model.predict(e.features).fine, e.row.fine[0], e.row.mention);
  // the same model after the int8 round trip through JSON predicts the same
  const loaded = RoleModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
  assert.equal(loaded.denseDim, 400);
  for (const e of heldOut) assert.equal(loaded.predict(e.features).fine, e.row.fine[0], e.row.mention);
});
