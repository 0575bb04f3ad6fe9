import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeCache, rangeHash } from './rangecache.ts';

const payload = (key: string) => Int32Array.from(key, (c) => c.charCodeAt(0) * 3);

test('a range cache returns each key’s own payload, also for colliding hashes and after it empties itself', () => {
  const cache = new RangeCache(50);
  const src = 'alpha beta gamma delta alpha epsilon beta';
  const words = src.split(' ');
  const seen = new Map<string, number[]>();
  // the same hash for every key: lookups must still tell keys apart by their characters
  for (const forced of [true, false]) {
    let at = 0;
    for (const w of words) {
      const i = src.indexOf(w, at);
      at = i + w.length;
      const h = forced ? 42 : rangeHash(src, i, i + w.length);
      if (!cache.get(src, i, i + w.length, h)) cache.set(src, i, i + w.length, h, payload(w), w.length);
      const got = [...cache.data.subarray(cache.hitOff, cache.hitOff + cache.hitLen)];
      assert.deepEqual(got, [...payload(w)], w);
      if (seen.has(w)) assert.ok(cache.get(src, i, i + w.length, h), `${w} stays cached`);
      seen.set(w, got);
    }
  }
  // many more keys than `max`: the cache empties itself and keeps answering correctly
  const many = Array.from({ length: 400 }, (_, k) => `key${k}`);
  for (let round = 0; round < 2; round++) {
    for (const k of many) {
      const h = rangeHash(k, 0, k.length);
      if (!cache.get(k, 0, k.length, h)) cache.set(k, 0, k.length, h, payload(k), k.length);
      assert.deepEqual([...cache.data.subarray(cache.hitOff, cache.hitOff + cache.hitLen)], [...payload(k)]);
    }
  }
  // a prefix of a cached key is a different key
  assert.equal(cache.get('key39', 0, 3, rangeHash('key39', 0, 3)), false);
});

test('a range cache keeps every key while its table grows', () => {
  const cache = new RangeCache(5000);
  const keys = Array.from({ length: 3000 }, (_, k) => `w${k * 7919}`);
  for (const k of keys) {
    const h = rangeHash(k, 0, k.length);
    assert.equal(cache.get(k, 0, k.length, h), false);
    cache.set(k, 0, k.length, h, payload(k), k.length);
  }
  for (const k of keys) {
    assert.ok(cache.get(k, 0, k.length, rangeHash(k, 0, k.length)), k);
    assert.deepEqual([...cache.data.subarray(cache.hitOff, cache.hitOff + cache.hitLen)], [...payload(k)]);
  }
});
