import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { countStored as count, generateArticle } from './testing.ts';
import { unpackAnalysis } from '../store/compact.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/unspin.js');
const N = 300;


function ingest(dir: string, db: string) {
  return spawn(process.execPath, [BIN, 'ingest', dir, '--db', db, '--quiet'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
}

test('kill -9 in the middle of an ingest loses nothing stored, and a rerun finishes exactly once', { timeout: 300_000 }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'unspin-crash-'));
  try {
    const dir = join(tmp, 'articles');
    mkdirSync(dir);
    for (let i = 0; i < N; i++) {
      const a = generateArticle(i, { paragraphs: 2 });
      writeFileSync(join(dir, `a${String(i).padStart(4, '0')}.txt`), `${a.title}\n\n${a.text}\n`);
    }
    const db = join(tmp, 'corpus.db');

    const first = ingest(dir, db);
    const exited = new Promise<number | null>((r) => first.on('exit', (code) => r(code)));
    let atKill = 0;
    while (first.exitCode === null) {
      atKill = count(db);
      if (atKill >= 5) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    first.kill('SIGKILL');
    await exited;
    const afterKill = count(db);
    assert.ok(afterKill >= 5 && afterKill < N, `the first run was killed mid-way (${afterKill} of ${N} stored)`);

    const second = ingest(dir, db);
    let stderr = '';
    second.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => second.on('exit', (c) => r(c)));
    assert.equal(code, 0, stderr);
    assert.match(stderr, new RegExp(`${N - afterKill} stored, 0 updated, ${afterKill} already stored, 0 failed`));

    const d = new Database(db, { readonly: true });
    try {
      assert.equal(d.pragma('integrity_check', { simple: true }), 'ok');
      const row = d.prepare('select count(*) n, count(distinct raw_hash) h, count(distinct content_hash) c from articles').get() as Record<string, number>;
      assert.deepEqual(row, { n: N, h: N, c: N });
      // No half-written article: every one has its fingerprint and the quotes its Analysis lists.
      const rows = d
        .prepare(
          `select a.id, a.analysis, a.body,
                  (select count(*) from quotes q where q.article_id = a.id) quotes,
                  (select count(*) from fingerprints f where f.article_id = a.id) prints
           from articles a`,
        )
        .all() as { id: number; analysis: Buffer; body: string; quotes: number; prints: number }[];
      const bad = rows.filter((r) => r.prints !== 1 || unpackAnalysis(r.analysis, r.body).quotes.length !== r.quotes).map((r) => r.id);
      assert.deepEqual(bad, []);
    } finally {
      d.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('Ctrl-C stops after the current article: what the summary reports is exactly what is stored', { timeout: 300_000 }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'unspin-sigint-'));
  try {
    const dir = join(tmp, 'articles');
    mkdirSync(dir);
    for (let i = 0; i < N; i++) {
      const a = generateArticle(1000 + i, { paragraphs: 2 });
      writeFileSync(join(dir, `a${String(i).padStart(4, '0')}.txt`), `${a.title}\n\n${a.text}\n`);
    }
    const db = join(tmp, 'corpus.db');
    const child = ingest(dir, db);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    while (child.exitCode === null && count(db) < 5) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130, stderr);
    assert.match(stderr, /interrupted: everything counted above is stored/);
    const reported = Number(/(\d+) stored, /.exec(stderr)![1]);
    assert.equal(count(db), reported);
    assert.ok(reported < N);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('watch stops cleanly on Ctrl-C between polls', { timeout: 120_000 }, async () => {
  const { createServer } = await import('node:http');
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"e"' });
    res.end('<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const tmp = mkdtempSync(join(tmpdir(), 'unspin-watch-'));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/feed`;
    const child = spawn(process.execPath, [BIN, 'watch', '--feed', url, '--interval', '3600', '--allow-private', '--db', join(tmp, 'w.db')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const polled = new Promise<void>((r) => child.stderr.on('data', (d) => ((stderr += d), /0 items/.test(stderr) && r())));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await polled;
    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /stopped; 0 articles stored this session/);
  } finally {
    server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});
