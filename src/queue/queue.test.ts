import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { scratchSchema, testPostgres } from '../store/pg-testing.ts';
import { enqueue, jobStats, queueConfig, retryFailed, runWorker } from './queue.ts';
import { fakeAnalysis } from '../store/testing.ts';
import { PostgresStore } from '../store/postgres.ts';
import type { Article } from '../article/types.ts';

const server = await testPostgres();

test('the queue refuses a SQLite database with a clear message', () => {
  assert.throws(() => queueConfig('./unspin.db'), /needs a PostgreSQL database/);
});

if ('skip' in server) {
  test('work queue on PostgreSQL', { skip: server.skip }, () => {});
} else {
  const tmp = mkdtempSync(join(tmpdir(), 'unspin-queue-'));
  const schemas: string[] = [];
  after(async () => {
    rmSync(tmp, { recursive: true, force: true });
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    for (const s of schemas) await c.query(`drop schema if exists "${s}" cascade; drop schema if exists "${s}_queue" cascade`);
    await c.end();
  });
  const fresh = () => {
    const schema = scratchSchema('queue');
    schemas.push(schema);
    return queueConfig(`${server.url}?schema=${schema}`);
  };
  /** Analysis stand-in: quick, and it can be told to fail. */
  const analyze = (fail: (a: Article) => boolean) => (a: Article) => {
    if (fail(a)) throw new Error(`analysis failed for ${a.raw.slice(0, 10)}`);
    return fakeAnalysis({ title: a.title, paragraphs: a.raw.split(/\n\n+/).slice(1) });
  };

  test('queue: every article stored once; a flaky item is retried, a broken one fails with its error; enqueueing again adds nothing', { timeout: 120_000 }, async () => {
    const cfg = fresh();
    const dir = join(tmp, 'in');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, `n${i}.txt`), `Story ${i}\n\nThe ferry to island ${i} ran late again.\n`);
    writeFileSync(join(dir, 'records.jsonl'), [
      JSON.stringify({ title: 'Record one', text: 'Record one\n\nA pier on the north shore was closed.', url: 'https://pier.example/one' }),
      JSON.stringify({ title: 'Record one again', text: 'Record one\n\nA pier on the north shore was closed.', url: 'https://www.pier.example/one?utm_source=feed' }),
      '{ not json',
    ].join('\n'));
    writeFileSync(join(dir, 'blank.txt'), '  \n');
    const res = await enqueue(cfg, [dir, join(dir, 'missing.txt')], { maxAttempts: 2 });
    assert.equal(res.queued, 8); // six stories, one record (the second has the same canonical URL), one blank file
    assert.deepEqual(res.failed.map((f) => f.code).sort(), ['not-found', 'parse']);

    let flaky = 0;
    const summary = await runWorker(cfg, {
      concurrency: 3,
      untilEmpty: true,
      staleSeconds: 5,
      analyze: analyze((a) => a.raw.startsWith('Story 3') && flaky++ === 0),
    });
    assert.equal(flaky, 2, 'the flaky story was attempted twice');
    const st = await jobStats(cfg);
    assert.equal(st.queued + st.running + st.retrying, 0);
    assert.equal(st.failed, 1);
    assert.match(st.failures[0].label, /blank\.txt$/);
    assert.match(st.failures[0].error ?? '', /no text/);
    assert.equal(st.failures[0].attempts, 1, 'an empty file is not retried');
    assert.equal(st.done.inserted, 7);
    assert.ok(summary.failedAttempts >= 2);

    const store = await PostgresStore.open(cfg.storeUrl);
    try {
      assert.equal(await store.count(), 7);
      // The same inputs again: jobs run, but every article is recognised as stored.
      await enqueue(cfg, [dir], { maxAttempts: 2 });
      await runWorker(cfg, { untilEmpty: true, analyze: analyze(() => false) });
      assert.equal(await store.count(), 7);
      // A failed job given fresh attempts runs again (and fails again, the file is still blank).
      assert.equal(await retryFailed(cfg), 2);
    } finally {
      await store.close();
    }
  });
}
