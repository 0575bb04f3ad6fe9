import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { gunzipWhole } from './gunzip.ts';

test('gunzipWhole gives back the exact bytes, in one piece', () => {
  const data = Buffer.alloc(300_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 251;
  const out = gunzipWhole(gzipSync(data));
  assert.ok(out.equals(data));
  assert.equal(out.length, data.length);
});

test('gunzipWhole handles empty input data and a broken file with a clear zlib error', () => {
  assert.equal(gunzipWhole(gzipSync(Buffer.alloc(0))).length, 0);
  const broken = gzipSync(Buffer.from('x'.repeat(1000)));
  assert.throws(() => gunzipWhole(broken.subarray(0, broken.length - 10)), /unexpected end|incorrect|invalid/i);
});
