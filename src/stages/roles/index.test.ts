import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segment } from '../../segment/index.ts';
import { runStages } from '../../document/runner.ts';
import type { Stage } from '../../document/stage.ts';
import type { DocumentInfo, Entity } from '../../document/types.ts';
import { createRolesStage, type EntityRoles } from './index.ts';
import { fitRoles, DEFAULT_ROLE_CONFIG, type RoleExample } from './train.ts';
import { docTokens, mentionFeatureStrings, sentenceAround } from './features.ts';
import { mainRoleOf } from '../../corpora/semeval2025/taxonomy.ts';

const text =
  'The Varnish Party of Ostrel shelled the villages of Kell overnight. ' +
  'Mayor Ilse Brandt negotiated a ceasefire with the party on Friday. ' +
  'She said the people of Kell had suffered enough.';

function mention(t: string, from = 0, kind: 'name' | 'pronoun' | 'description' = 'name') {
  const start = text.indexOf(t, from);
  assert.ok(start >= 0, t);
  return { start, end: start + t.length, text: t, kind };
}

const entities: Entity[] = [
  { id: 'e1', type: 'organization', name: 'Varnish Party', descriptors: [], mentions: [mention('Varnish Party of Ostrel'), mention('the party', 60, 'description')] },
  { id: 'e2', type: 'person', name: 'Ilse Brandt', descriptors: ['Mayor'], mentions: [mention('Ilse Brandt'), mention('She', 0, 'pronoun')] },
  { id: 'e3', type: 'group', name: 'people of Kell', descriptors: [], mentions: [mention('people of Kell')] },
];

// A tiny invented training set, so the test needs no corpus: aggressors, peacemakers and victims.
function example(doc: string, m: string, main: string, fine: string): RoleExample {
  const start = doc.indexOf(m);
  const [sentStart, sentEnd] = sentenceAround(doc, start, start + m.length);
  return {
    lang: 'EN',
    row: { docId: 'x', mention: m, start, end: start + m.length - 1, main, fine: [fine] },
    features: mentionFeatureStrings({ text: doc, start, end: start + m.length, sentStart, sentEnd }, docTokens(doc)),
  };
}
const training = [
  example('The Grey Legion shelled the town and attacked the villages.', 'Grey Legion', 'Antagonist', 'Instigator'),
  example('Troops of the Dorn Front shelled houses and attacked a school.', 'Dorn Front', 'Antagonist', 'Instigator'),
  example('The envoy Pera Lind negotiated a ceasefire between the sides.', 'Pera Lind', 'Protagonist', 'Peacemaker'),
  example('Ambassador Tomas Vey negotiated a truce and peace talks.', 'Tomas Vey', 'Protagonist', 'Peacemaker'),
  example('The people of Morra suffered and many were killed in the attacks.', 'people of Morra', 'Innocent', 'Victim'),
  example('Farmers of Lusk suffered losses; many were wounded.', 'Farmers of Lusk', 'Innocent', 'Victim'),
];
// without the article-level parts (side.ts), as models before session 4: the examples carry no article tokens
const model = fitRoles(training, { ...DEFAULT_ROLE_CONFIG, minCount: 1, epochs: 30, side: false, articleRoles: 0 });

function run(stage: Stage) {
  const { segments, tokens } = segment(text);
  const document: DocumentInfo = { id: 't', title: null, url: null, outlet: null, byline: null, published: null, language: 'en', text };
  const entitiesStage: Stage = { name: 'entities', requires: [], assigns: ['entities'], run: () => ({ layers: { entities } }) };
  return runStages([entitiesStage, stage], document, segments, tokens);
}

test('every named or described mention gets a main role, a fine role under it, and its sentence as evidence', () => {
  const a = run(createRolesStage({ model }));
  assert.equal(a.diagnostics.filter((d) => d.severity === 'error').length, 0, JSON.stringify(a.diagnostics));
  const roles = a.roles as EntityRoles[];
  assert.deepEqual(roles.map((r) => r.entity), ['e1', 'e2', 'e3']);
  for (const r of roles) {
    for (const m of r.mentions) {
      assert.equal(mainRoleOf(m.fine[0].role), m.main);
      assert.equal(text.slice(m.evidence.start, m.evidence.end), m.evidence.text);
      assert.ok(m.evidence.start <= m.start && m.end <= m.evidence.end);
    }
    assert.equal(mainRoleOf(r.fine[0].role), r.main);
  }
  // the pronoun "She" is not labelled
  assert.deepEqual(roles[1].mentions.map((m) => m.text), ['Ilse Brandt']);
  assert.equal(roles[1].mentions[0].evidence.text, 'Mayor Ilse Brandt negotiated a ceasefire with the party on Friday.');
});

test('the cues of the sentence decide the role: shelling, negotiating, suffering', () => {
  const roles = run(createRolesStage({ model })).roles as EntityRoles[];
  assert.equal(roles[0].mentions[0].main, 'Antagonist');
  assert.equal(roles[1].main, 'Protagonist');
  assert.equal(roles[1].fine[0].role, 'Peacemaker');
  assert.equal(roles[2].main, 'Innocent');
});

test('without a model the layer is empty and a diagnostic says why', () => {
  const a = run(createRolesStage({ model: null }));
  assert.deepEqual(a.roles, []);
  assert.ok(a.diagnostics.some((d) => d.code === 'model-missing'));
});

test('the stage declares that it needs the entities layer', () => {
  const stage = createRolesStage({ model });
  assert.deepEqual(stage.requires, ['entities']);
  const { segments, tokens } = segment(text);
  const document: DocumentInfo = { id: 't', title: null, url: null, outlet: null, byline: null, published: null, language: 'en', text };
  assert.throws(() => runStages([stage], document, segments, tokens), /requires 'entities'/);
});
