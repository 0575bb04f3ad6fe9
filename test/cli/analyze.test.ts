import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { runCli } from './helpers.ts';
import { findBadSpan } from '../../src/document/runner.ts';
import type { Analysis } from '../../src/document/types.ts';

const example = fileURLToPath(new URL('../../examples/expert-chain.txt', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'unspin-cli-'));

test('analyze prints a readable report: title once, sections, no colour when not a terminal', async () => {
  const r = await runCli(['analyze', example]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Experts Slam Western Sanctions as 'Economic Warfare'\n/);
  assert.equal(r.stdout.split("Experts Slam Western Sanctions as 'Economic Warfare'").length, 2, 'the headline scraped three times shows once');
  assert.match(r.stdout, /West's Hypocrisy/);
  assert.match(r.stdout, /A Dangerous Road/);
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no ANSI codes off a terminal');
});

test('analyze --json prints an Analysis whose every span matches the text', async () => {
  const r = await runCli(['analyze', example, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const a = JSON.parse(r.stdout) as Analysis;
  assert.equal(a.schema, 'unspin/analysis@1');
  assert.equal(a.document.language, 'en');
  assert.doesNotMatch(a.document.text, /Share this article|Read more:/, 'share and read-more lines are cleaned away');
  assert.equal(findBadSpan(a, a.document.text), null);
  assert.ok(a.segments.sentences.length > 10);
});

test('stdin is read with -', async () => {
  const r = await runCli(['analyze', '-', '--json'], 'Council Votes on Budget\n\nThe council approved the budget on Monday after a long debate.');
  assert.equal(r.code, 0, r.stderr);
  const a = JSON.parse(r.stdout) as Analysis;
  assert.equal(a.document.title, 'Council Votes on Budget');
});

test('a missing file is a one-line error with a non-zero exit', async () => {
  const r = await runCli(['analyze', join(dir, 'nope.txt')]);
  assert.notEqual(r.code, 0);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /nope\.txt/);
});

test('empty and binary input are refused with one line each', async () => {
  const empty = join(dir, 'empty.txt');
  writeFileSync(empty, '   \n\n ');
  const binary = join(dir, 'image.bin');
  writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]));
  for (const f of [empty, binary]) {
    const r = await runCli(['analyze', f]);
    assert.equal(r.code, 1, `${f}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const r = await runCli(['analyze', '-'], '');
  assert.equal(r.code, 1);
});

test('a URL on a loopback address is refused unless --allow-private', async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html><head><title>Local Page</title></head><body><article><h1>Local Page</h1><p>The committee met on Friday and agreed to publish the report next week, officials said.</p><p>Members said the findings would be debated in parliament before the summer recess.</p></article></body></html>');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/story`;
  try {
    const refused = await runCli(['analyze', url]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trim().split('\n').length, 1);
    assert.match(refused.stderr, /private|loopback|refus/i);
    const allowed = await runCli(['analyze', url, '--allow-private', '--json']);
    assert.equal(allowed.code, 0, allowed.stderr);
    const a = JSON.parse(allowed.stdout) as Analysis;
    assert.equal(a.document.title, 'Local Page');
    assert.match(a.document.text, /committee met on Friday/);
  } finally {
    server.close();
  }
});

test('usage errors exit 2 and point to --help', async () => {
  const r = await runCli(['analyze']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--help/);
  const u = await runCli(['frobnicate']);
  assert.equal(u.code, 2);
});

test('--narratives matches a user-defined narrative file, with the evidence sentence', async () => {
  const narratives = fileURLToPath(new URL('../../examples/narratives/tidal-barrage.json', import.meta.url));
  const article = join(dir, 'barrage.txt');
  writeFileSync(
    article,
    'Council Approves Brennmark Barrage\n\nThe council approved the tidal barrage on Tuesday after a long debate.\n\n' +
      'Residents warned that electricity bills would double once the barrage levy was added to every household.\n\n' +
      'The council said the scheme would supply a third of the region\'s power by 2031.',
  );
  const r = await runCli(['analyze', article, '--json', '--narratives', narratives]);
  assert.equal(r.code, 0, r.stderr);
  const a = JSON.parse(r.stdout) as Analysis & { narratives: { narrative: string; source: string; evidence: { text: string }[] }[] };
  const user = a.narratives.filter((n) => n.source === 'user');
  assert.deepEqual(user.map((n) => n.narrative), ['Tidal power will ruin household budgets']);
  assert.match(user[0]!.evidence[0]!.text, /electricity bills would double/);
  const without = JSON.parse((await runCli(['analyze', article, '--json'])).stdout) as typeof a;
  assert.equal(without.narratives.filter((n) => n.source === 'user').length, 0, 'no user narratives unless a file is given');
  const bad = await runCli(['analyze', article, '--narratives', join(dir, 'missing.json')]);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});
