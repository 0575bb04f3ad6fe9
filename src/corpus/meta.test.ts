import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalUrl, contentHash, dateBound, normalizePublished, outletFromUrl, publishedFromUrl } from './meta.ts';

test('canonical URL ignores www, tracking, fragments, trailing slash and scheme', () => {
  const c = 'https://news.example/world/story?id=4';
  assert.equal(canonicalUrl('http://WWW.News.Example/world/story/?utm_source=tw&id=4#top'), c);
  assert.equal(canonicalUrl('https://news.example/world/story?fbclid=abc&id=4'), c);
  assert.equal(canonicalUrl('not a url'), null);
});

test('content hash ignores whitespace differences only', () => {
  assert.equal(contentHash('One  two\nthree'), contentHash('One two three'));
  assert.notEqual(contentHash('One two three'), contentHash('One two four'));
});

test('outlet and date from the URL', () => {
  assert.equal(outletFromUrl('https://www.daily.example/a'), 'daily.example');
  assert.equal(publishedFromUrl('https://d.example/2024/03/05/title'), '2024-03-05');
  assert.equal(publishedFromUrl('https://d.example/news/2024-03-05-title'), '2024-03-05');
  assert.equal(publishedFromUrl('https://d.example/20240305/title'), '2024-03-05');
  assert.equal(publishedFromUrl('https://d.example/2024/13/40/title'), null);
  assert.equal(publishedFromUrl('https://d.example/item/123456'), null);
});

test('publication times and bounds normalise to ISO UTC', () => {
  assert.equal(normalizePublished('2024-03-05'), '2024-03-05T00:00:00.000Z');
  assert.equal(normalizePublished('Tue, 05 Mar 2024 10:00:00 +0100'), '2024-03-05T09:00:00.000Z');
  assert.equal(normalizePublished('soon'), null);
  assert.equal(dateBound('2024-02', true), '2024-02-29T23:59:59.999Z');
  assert.equal(dateBound('2024-03-05', false), '2024-03-05T00:00:00.000Z');
  assert.throws(() => dateBound('yesterday', false));
});
