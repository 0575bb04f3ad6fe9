import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../cli/helpers.ts';
import { CATALOGUE } from './catalogue.ts';
import { prose } from './helpers.ts';

/**
 * `unspin ingest` over a folder mixing good articles, the light bad-input
 * catalogue and a list of hostile URLs: every bad item is reported with its
 * code, every good one is stored (none lost), the run exits 1 and the
 * database is sound.
 */
test('ingest CLI: a folder of good, bad and hostile items stores every good one and lists every bad one', { timeout: 180_000 }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'unspin-ingest-cli-'));
  try {
    const dir = join(tmp, 'in');
    mkdirSync(dir);
    const good = 6;
    for (let i = 0; i < good; i++) writeFileSync(join(dir, `good${i}.txt`), `Brevik story ${i}\n\n${prose(8, i + 100)}`);
    const cases = CATALOGUE.filter((c) => !c.heavy && ['empty.txt', 'image.txt', 'nul.txt', 'utf16le.txt', 'astral.txt', 'rtl.txt', 'broken.html', 'deep.html', 'huge.txt'].includes(c.file));
    for (const c of cases) writeFileSync(join(dir, c.file), c.bytes());
    const hostile = ['http://127.0.0.1:9/', 'http://[::ffff:10.0.0.1]/', 'http://169.254.169.254/latest/meta-data/', 'http://[fd00::1]/', 'http://localhost:9/'];
    writeFileSync(join(dir, 'urls.txt'), hostile.join('\n') + '\n');
    const db = join(tmp, 'c.db');

    const r = await runCli(['ingest', dir, '--db', db, '--quiet', '--json', '--jobs', '1', '--timeout', '3']);
    assert.equal(r.code, 1, `exit 1 when some items failed\n${r.stderr}`);
    const summary = JSON.parse(r.stdout) as { inserted: number; skipped: number; failed: { label: string; code: string; message: string }[] };
    const failed = new Map(summary.failed.map((f) => [f.label, f.code]));
    const expectedOk = good + cases.filter((c) => c.expect === 'analysis').length;
    assert.equal(summary.inserted, expectedOk, `every good item stored; failed: ${JSON.stringify(summary.failed)}`);
    for (const c of cases.filter((c) => c.expect !== 'analysis')) {
      const hit = [...failed].find(([label]) => label.endsWith(c.file));
      assert.ok(hit, `${c.file} is listed as failed`);
      assert.equal(hit[1], c.expect, `${c.file}'s code`);
    }
    for (const url of hostile) {
      const hit = [...failed].find(([label]) => label === url || label.startsWith(url));
      assert.ok(hit, `${url} is listed as failed: ${JSON.stringify(summary.failed)}`);
      assert.equal(hit[1], 'refused-address', url);
    }
    const d = new Database(db, { readonly: true });
    try {
      assert.equal(d.pragma('integrity_check', { simple: true }), 'ok');
      assert.equal((d.prepare('select count(*) n from articles').get() as { n: number }).n, expectedOk);
    } finally {
      d.close();
    }

    // The same command again: nothing new, nothing lost, the same failures.
    const again = await runCli(['ingest', dir, '--db', db, '--quiet', '--json', '--jobs', '1', '--timeout', '3']);
    const s2 = JSON.parse(again.stdout) as typeof summary;
    assert.equal(s2.inserted, 0);
    assert.equal(s2.skipped, expectedOk);
    assert.equal(s2.failed.length, summary.failed.length);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
