import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisPool, AnalysisTimeout } from './pool.ts';

const article = {
  raw: 'The council met on Monday. "We will decide next week," the mayor said.',
  title: null, url: null, outlet: null, byline: null, published: null, language: 'en', source: 'text',
};

test('an analysis past the deadline is stopped with a timeout error, and the pool keeps serving', async () => {
  const pool = new AnalysisPool(1, 30);
  try {
    await assert.rejects(pool.analyze(article), (err: Error) => err instanceof AnalysisTimeout && /longer than/.test(err.message));
    // The stuck worker was replaced: the next request is taken, and times out the same way rather than hanging.
    await assert.rejects(pool.analyze(article), AnalysisTimeout);
    assert.equal(pool.waiting, 0);
  } finally {
    await pool.close();
  }
});
