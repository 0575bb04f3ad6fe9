import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openHarness, putAnalysis, skipReason, type Harness } from '../../test/browser/harness.ts';
import { sampleAnalysis } from '../server/testing.ts';

/**
 * The narratives and roles panels in Debian's Chromium: a dossier lists the
 * narratives a speaker's quotes carry and the roles the speaker is cast in, an
 * outlet profile lists its narratives and who it casts as what, and each
 * links to a search that filters by narrative or role.
 */

const skip = skipReason();
if (skip) console.log(`# ${skip}`);

const NARRATIVE = 'URW: Discrediting the West, Diplomacy';
let hz: Harness;

before(async () => {
  if (skip) return;
  hz = await openHarness(async (store) => {
    // Two articles with the narratives and roles layers, one without.
    for (let n = 0; n < 3; n++) await putAnalysis(store, sampleAnalysis({ n, outlet: 'Daily Lantern', narratives: n < 2 }));
  });
});

after(async () => {
  if (hz) await hz.close();
});

const url = (hash: string) => `${hz.server.url}/${hash}`;

test('dossier: narratives carried by the quotes and the roles the speaker is cast in, linked to filtered searches', { skip: skip ?? undefined }, async () => {
  const { page, problems } = hz;
  const before = problems.length;
  await page.goto(url('#/speaker/Oskar%20Brandt'));
  await page.waitForSelector('.page.dossier table.narratives');
  const row = (await page.locator('.page.dossier table.narratives tbody tr').allInnerTexts()).map((t) => t.split('\t').map((c) => c.trim()));
  assert.deepEqual(row, [[NARRATIVE, '2', '2']]);
  assert.deepEqual(await page.locator('.page.dossier ul.roles li').allInnerTexts(), ['Antagonist (Instigator) · 2 articles, 1 outlet']);
  await page.locator('.page.dossier table.narratives a').click();
  await page.waitForURL(/#\/search\?.*narrative=/);
  await page.waitForSelector('ol.hits li');
  assert.equal(await page.locator('ol.hits li').count(), 2, 'the article without narratives is not a hit');
  assert.equal(await page.inputValue('input[name="narrative"]'), NARRATIVE);
  assert.equal(await page.inputValue('input[name="speaker"]'), 'Oskar Brandt');
  assert.deepEqual(problems.slice(before), []);
});

test('outlet profile: narratives and who is cast as what; the search form filters by role and entity', { skip: skip ?? undefined }, async () => {
  const { page, problems } = hz;
  const before = problems.length;
  await page.goto(url('#/outlet/Daily%20Lantern'));
  await page.waitForSelector('.page.outlet ul.narratives li');
  assert.match(await page.locator('.page.outlet .meta').first().innerText(), /^3 articles/);
  assert.deepEqual((await page.locator('.page.outlet ul.narratives li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()), [`${NARRATIVE} 2`]);
  const cast = (await page.locator('.page.outlet table.roles tbody tr').allInnerTexts()).map((t) => t.split('\t').map((c) => c.trim()));
  assert.deepEqual(cast[0], ['Oskar Brandt', 'Antagonist', '2']);
  assert.equal(cast.length, 3);

  await page.goto(url('#/search'));
  await page.fill('input[name="role"]', 'Victim');
  await page.fill('input[name="entity"]', 'Osmaria');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/role=Victim/);
  await page.waitForSelector('ol.hits li');
  assert.equal(await page.locator('ol.hits li').count(), 1);
  assert.match(await page.locator('ol.hits li').innerText(), /Osmaria/);
  assert.deepEqual(problems.slice(before), []);
});
