import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openHarness, putAnalysis, skipReason, type Harness } from './harness.ts';
import { sampleAnalysis } from '../../src/server/testing.ts';

/**
 * The workbench in Debian's Chromium: open an article and see its highlights,
 * toggle a layer, reach a speaker dossier, analyse pasted text, and show a
 * hostile article without running any of its script.
 */

const skip = skipReason();
if (skip) console.log(`# ${skip}`);

const HOSTILE = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '<a href="javascript:window.__pwned=\'link\'" onclick="window.__pwned=\'click\'">click here</a>',
  '<svg onload="window.__pwned=\'svg\'"></svg> <iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
];

let hz: Harness;
const ids: Record<string, number> = {};

before(async () => {
  if (skip) return;
  hz = await openHarness(async (store) => {
    for (let n = 0; n < 3; n++) ids[`a${n}`] = await putAnalysis(store, sampleAnalysis({ n, outlet: n % 2 ? 'lantern.example' : 'courier.example' }));
    ids.hostile = await putAnalysis(
      store,
      sampleAnalysis({
        n: 9,
        title: '<img src=x onerror="window.__pwned=\'title\'"> Harbour news',
        speaker: 'Ivo <b onmouseover="window.__pwned=1">Kettle</b>',
        outlet: '<script>window.__pwned="outlet"</script>',
        url: 'javascript:window.__pwned="url"',
        extra: HOSTILE,
      }),
    );
  });
});

after(async () => {
  if (hz) await hz.close();
});

const url = (hash: string) => `${hz.server.url}/${hash}`;

test('an article shows its text with technique, quote and entity highlights', { skip: skip ?? undefined }, async () => {
  const { page } = hz;
  await page.goto(url(`#/article/${ids.a0}`));
  await page.waitForSelector('.text .seg');
  const text = await page.locator('.text').innerText();
  assert.match(text, /signed a sweeping harbour deal/);
  // Techniques: each label's segments, coloured, and listed in the legend.
  const loaded = await page.locator('.seg[data-labels~="Loaded_Language"]').allInnerTexts();
  assert.equal(loaded.join(''), 'shameful betrayal');
  const bg = await page.locator('.seg[data-labels~="Loaded_Language"]').first().evaluate((el) => getComputedStyle(el).backgroundImage + getComputedStyle(el).backgroundColor);
  assert.notEqual(bg, 'nonergba(0, 0, 0, 0)');
  assert.deepEqual((await page.locator('.legend li').allInnerTexts()).map((s) => s.trim()).sort(), ['Appeal to Fear-Prejudice', 'Exaggeration-Minimisation', 'Loaded Language', 'Name Calling-Labeling']);
  // Overlap: "shameful betrayal" lies inside the longer Name_Calling span; both labels are on it.
  const both = await page.locator('.seg.overlap').first().getAttribute('data-labels');
  assert.ok(both?.includes('Loaded_Language') && both.includes('Name_Calling-Labeling'), both ?? '');
  // Quotes carry a speaker chip; entities are underlined.
  assert.deepEqual(await page.locator('.chip').allInnerTexts(), ['Oskar Brandt', 'Oskar Brandt']);
  const underline = await page.locator('.seg.ent-person').first().evaluate((el) => getComputedStyle(el).textDecorationLine);
  assert.equal(underline, 'underline');
  // Hover shows label, confidence and voice.
  await page.locator('.seg[data-labels~="Exaggeration-Minimisation"]').first().hover();
  const tip = await page.locator('#span-tip').innerText();
  assert.match(tip, /Exaggeration-Minimisation · 78% · in a direct quote/);
  // No CSP violation, failed request or script error on the way.
  assert.deepEqual(hz.problems, []);
});

test('the keyboard reaches every highlight and the findings panel jumps to it', { skip: skip ?? undefined }, async () => {
  const { page } = hz;
  await page.goto(url(`#/article/${ids.a0}`));
  await page.waitForSelector('.text .seg');
  // Tab until focus lands in the text: the tooltip follows focus.
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.classList.contains('seg') ?? false)) break;
  }
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('seg')), 'a highlighted span takes focus');
  assert.ok((await page.locator('#span-tip').innerText()).length > 0);
  // The skip link takes the keyboard past the text to the findings.
  await page.locator('a.skip-findings').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'findings');
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('finding')));
  // A finding button, pressed with Enter, moves focus to its span.
  await page.locator('button[data-finding="t3"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-labels')?.includes('Appeal_to_Fear-Prejudice'));
  assert.match(await page.evaluate(() => (document.activeElement as HTMLElement).innerText), /the port would never recover/);
});

test('a layer toggle hides and shows its highlights', { skip: skip ?? undefined }, async () => {
  const { page } = hz;
  await page.goto(url(`#/article/${ids.a0}`));
  await page.waitForSelector('.seg.tech');
  const box = page.locator('input[data-layer="techniques"]');
  await box.uncheck();
  assert.equal(await page.locator('.seg.tech').count(), 0);
  assert.ok((await page.locator('.seg.quote').count()) > 0, 'quotes stay');
  await box.check();
  assert.ok((await page.locator('.seg.tech').count()) >= 4);
  // Quotes off removes the speaker chips too.
  await page.locator('input[data-layer="quotes"]').uncheck();
  assert.equal(await page.locator('.chip').count(), 0);
  // The text itself never changes.
  assert.match(await page.locator('.text').innerText(), /ministers had ignored every warning/);
});

test("a quote's speaker opens the dossier", { skip: skip ?? undefined }, async () => {
  const { page } = hz;
  await page.goto(url(`#/article/${ids.a0}`));
  await page.locator('a.dossier-link').first().click();
  await page.waitForSelector('.page.dossier h1');
  assert.equal(await page.locator('.page.dossier h1').innerText(), 'Oskar Brandt');
  assert.match(await page.locator('.page.dossier').innerText(), /maritime economist/);
  assert.ok((await page.locator('.page.dossier ol.quotes li').count()) >= 6);
  // From the dossier to an outlet profile.
  await page.locator('dl.descriptors a', { hasText: 'lantern.example' }).click();
  await page.waitForSelector('.page.outlet h1');
  assert.equal(await page.locator('.page.outlet h1').innerText(), 'lantern.example');
  assert.ok((await page.locator('.page.outlet .bars li').count()) >= 4);
});

test('pasted text is analysed and shown in the article view', { skip: skip ?? undefined }, async () => {
  const { page } = hz;
  await page.goto(url('#/'));
  const text = 'Council approves ferry plan\n\nThe council of Pellavia approved a new ferry timetable on Tuesday. "It will help every commuter," said Mayor Ilse Varga.';
  await page.fill('#analyse-input', text);
  await page.getByRole('button', { name: 'Analyse' }).click();
  await page.waitForURL(/#\/article\/\d+$/);
  await page.waitForSelector('.article .text');
  assert.match(await page.locator('.article .text').innerText(), /approved a new ferry timetable on Tuesday/);
  const id = Number(new URL(page.url()).hash.split('/').pop());
  assert.ok(await hz.store.get(id), 'the analysed article was stored');
});

test('a hostile article runs no script and shows its markup as text', { skip: skip ?? undefined }, async () => {
  const { page, problems } = hz;
  await page.goto(url(`#/article/${ids.hostile}`));
  await page.waitForSelector('.article .text');
  // Hover and click over everything, as a reader would.
  for (const sel of ['.article h1', '.chip', '.seg', '.text']) {
    const el = page.locator(sel).first();
    if (await el.count()) await el.hover();
  }
  const text = await page.locator('.article .text').innerText();
  assert.ok(text.includes('<script>window.__pwned = "script"</script>'), 'script tag shown as text');
  assert.ok(text.includes('onerror='), 'event handler shown as text');
  assert.match(await page.locator('.article h1').innerText(), /^<img src=x onerror=/);
  assert.equal(await page.locator('.article :is(img, script, iframe, svg), .text b, .chip b').count(), 0);
  // The speaker's name, markup and all, is plain text in the chip and the findings panel.
  assert.ok((await page.locator('.chip').allInnerTexts()).includes('Ivo <b onmouseover="window.__pwned=1">Kettle</b>'));
  // The javascript: URL is not turned into a link.
  assert.equal(await page.locator('a[href^="javascript:"]').count(), 0);

  // Hostile HTML pasted into the analyse box.
  await page.goto(url('#/'));
  await page.fill('#analyse-input', `<html><body><article><h1>Pier closed</h1><p onmouseover="window.__pwned='p'">The pier at Dunmere closed for repairs on Friday, the harbour office said in a statement.</p>${HOSTILE.join('')}<p>Repairs are expected to take three weeks, officials told local reporters on the quay.</p></article></body></html>`);
  await page.getByRole('button', { name: 'Analyse' }).click();
  await page.waitForSelector('.article .text');
  for (const el of await page.locator('.article .text *').all()) await el.hover().catch(() => {});
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
  assert.equal(await page.locator('.article img, .article script, .article iframe').count(), 0);

  // The CSP is a second wall: markup injected into the page cannot run inline handlers.
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<img src="data:," onload="window.__pwned=\'csp\'" onerror="window.__pwned=\'csp\'">'));
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
  assert.ok(!problems.some((p) => p.startsWith('blocked request')), problems.join('\n'));
});

test('search, trends chart and copies pages render without a CSP violation or console error', { skip: skip ?? undefined }, async () => {
  const { page, problems } = hz;
  const before = problems.length;
  await page.goto(url('#/search'));
  await page.fill('input[name="q"]', 'harbour');
  await page.fill('input[name="outlet"]', 'lantern.example');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/outlet=lantern.example/);
  await page.waitForSelector('ol.hits li');
  assert.equal(await page.locator('ol.hits li').count(), 1);
  assert.ok((await page.locator('ol.hits mark').count()) >= 1, 'matches are marked');

  await page.goto(url('#/trends?by=technique&period=month'));
  await page.waitForSelector('.chart canvas');
  assert.ok((await page.locator('.chart .u-legend .u-series').count()) >= 4);

  await page.goto(url('#/copies'));
  await page.waitForSelector('.page.copies h1');
  assert.match(await page.locator('.page.copies h1').innerText(), /Copies/);
  assert.deepEqual(problems.slice(before), []);
});

test('the first page load stays under 300 kB on the wire', { skip: skip ?? undefined }, async () => {
  const { page } = hz;
  await page.context().clearCookies();
  const bytes: number[] = [];
  const onResponse = async (res: import('playwright-core').Response) => {
    const sizes = await res.request().sizes().catch(() => null);
    if (sizes) bytes.push(sizes.responseBodySize + sizes.responseHeadersSize);
  };
  page.on('response', onResponse);
  // A new page with the HTTP cache off, as on a first visit.
  const fresh = await page.context().newPage();
  const cdp = await page.context().newCDPSession(fresh);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  fresh.on('response', onResponse);
  await fresh.goto(url('#/'), { waitUntil: 'networkidle' });
  await fresh.close();
  page.off('response', onResponse);
  const total = bytes.reduce((a, b) => a + b, 0);
  console.log(`# first page load: ${total} bytes over ${bytes.length} responses`);
  assert.ok(total > 0 && total <= 300 * 1024, `first load ${total} bytes`);
});
