import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blocOf, cueStance } from './experiment.ts';
import { docTokens } from './features.ts';

test('bloc list: whole mentions, a leading "the", a possessive, and a member word inside a longer mention', () => {
  assert.equal(blocOf('the Kremlin'), 'ru');
  assert.equal(blocOf("Russia's"), 'ru');
  assert.equal(blocOf('Ukrainian soldiers'), 'west');
  assert.equal(blocOf('U.S.'), 'west');
  assert.equal(blocOf('Greta Thunberg'), 'climate');
  assert.equal(blocOf('the Daily Sceptic'), 'sceptic');
  assert.equal(blocOf('Mayor Ilka Brenn'), null);
});

test('article stance by cue words: how each side names the war', () => {
  // invented sentences
  const proRu = docTokens('The Kiev regime staged another provocation, and the collective West keeps arming the neo-Nazi units.');
  const proWest = docTokens('Since the full-scale invasion, occupied towns near Kyiv report deportations and war crimes.');
  assert.equal(cueStance(proRu), 'ru');
  assert.equal(cueStance(proWest), 'west');
  assert.equal(cueStance(docTokens('The town council voted on a new budget for the school.')), 'none');
});
