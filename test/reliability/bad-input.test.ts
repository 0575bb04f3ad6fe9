import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest, isIngestError } from '../../src/article/index.ts';
import { analyze } from '../../src/pipeline.ts';
import { runCli } from '../cli/helpers.ts';
import { CATALOGUE } from './catalogue.ts';
import { analysisProblems, prose } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'unspin-bad-input-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

for (const c of CATALOGUE.filter((c) => !c.heavy)) {
  test(`bad input: ${c.name} → ${c.expect === 'analysis' ? 'a correct analysis' : `IngestError '${c.expect}'`}`, { timeout: 60_000 }, async () => {
    const path = join(dir, c.file);
    writeFileSync(path, c.bytes());
    let article;
    try {
      article = await ingest(path);
    } catch (err) {
      assert.ok(isIngestError(err), `a plain ${(err as Error)?.name} escaped ingest: ${(err as Error)?.message}`);
      assert.equal(err.code, c.expect, `failed with '${err.code}': ${err.message}`);
      assert.doesNotMatch(err.message, /\n/, 'the message is one line');
      assert.ok(err.message.length > 10 && err.message.length < 400, `a readable message: ${err.message}`);
      return;
    }
    assert.equal(c.expect, 'analysis', `ingest accepted the input instead of failing with '${c.expect}'`);
    const a = analyze(article);
    assert.deepEqual(analysisProblems(a), []);
    for (const s of c.contains ?? []) assert.ok(a.document.text.includes(s), `the clean text holds ${JSON.stringify(s)}`);
  });
}

test('bad input: a large but allowed input (~175 KB, 20 MB cap) analyses with every offset valid', { timeout: 120_000 }, async () => {
  const path = join(dir, 'large.txt');
  const body = prose(2_000);
  writeFileSync(path, body);
  const a = analyze(await ingest(path));
  assert.ok(a.document.text.length > 170_000, `the whole text is kept (${a.document.text.length} characters)`);
  assert.deepEqual(analysisProblems(a), []);
  assert.ok(a.segments.sentences.length > 1_500, `sentences found throughout (${a.segments.sentences.length})`);
  assert.ok(a.segments.sentences.at(-1)!.end > a.document.text.length - 200, 'the last sentence reaches the end of the text');
});

test('bad input: the size cap is the one asked for, counted in bytes', async () => {
  const path = join(dir, 'capped.txt');
  writeFileSync(path, prose(200));
  const size = Buffer.byteLength(prose(200));
  await assert.rejects(ingest(path, { maxBytes: size - 1 }), (e: unknown) => isIngestError(e) && e.code === 'too-large');
  const a = await ingest(path, { maxBytes: size });
  assert.ok(a.raw.length > 0);
});

test('bad input via the CLI: empty, binary and 50 MB files exit 1 with one line on stderr; UTF-16 analyses', { timeout: 60_000 }, async () => {
  const cases: [string, RegExp][] = [
    ['empty.txt', /empty/i],
    ['image.txt', /binary|not text/i],
    ['huge.txt', /over the \d+-byte limit/i],
  ];
  for (const [file, why] of cases) {
    const spec = CATALOGUE.find((c) => c.file === file)!;
    writeFileSync(join(dir, `cli-${file}`), spec.bytes());
    const r = await runCli(['analyze', join(dir, `cli-${file}`), '--json']);
    assert.equal(r.code, 1, `${file}: exit status (stderr: ${r.stderr})`);
    assert.equal(r.stdout, '', `${file}: nothing on stdout`);
    assert.match(r.stderr, why, file);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${file}: no stack trace`);
  }
  const u = CATALOGUE.find((c) => c.file === 'utf16be.txt')!;
  writeFileSync(join(dir, 'cli-utf16be.txt'), u.bytes());
  const r = await runCli(['analyze', join(dir, 'cli-utf16be.txt'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const a = JSON.parse(r.stdout);
  assert.deepEqual(analysisProblems(a), []);
  assert.match(a.document.text, /Zoë Ångström/);
});

test('bad input via the CLI: `analyze -` with NUL-laden stdin exits 1, not a crash', async () => {
  const r = await runCli(['analyze', '-'], `abc\u0000\u0000\u0000def ${'\u0000'.repeat(100)}`);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /binary/i);
});
