import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import evalCmd from './eval-semeval2023.ts';
import predictCmd from './predict-semeval2023.ts';
import { MODEL_PATH } from '../../stages/techniques/model.ts';
import { parseParagraphLabels, parseSpanLabels } from '../../corpora/semeval2023/format.ts';
import { UserError } from '../command.ts';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { io: { stdout, stderr, stdin: new PassThrough() }, out: () => out, err: () => err };
}

const dir = mkdtempSync(join(tmpdir(), 'unspin-semeval-'));
const labels = join(dir, 'techniques.txt');
writeFileSync(labels, 'Doubt\nLoaded_Language\nSlogans\n');

test('eval --task 3 prints the official micro-F1', async () => {
  writeFileSync(join(dir, 'gold.txt'), '1\t1\tDoubt\n1\t3\tLoaded_Language,Slogans\n');
  writeFileSync(join(dir, 'pred.txt'), '1\t1\tDoubt\n1\t3\tLoaded_Language\n');
  const c = io();
  const code = await evalCmd.run(['--task', '3', '--gold', join(dir, 'gold.txt'), '--pred', join(dir, 'pred.txt'), '--labels', labels], c.io);
  assert.equal(code, 0);
  // tp 2, fn 1 -> 4/5
  assert.match(c.out(), /micro-F1=0\.80000/);
});

test('eval --task 3 refuses a prediction file that misses a gold paragraph', async () => {
  writeFileSync(join(dir, 'gold2.txt'), '1\t1\t\n1\t3\t\n');
  writeFileSync(join(dir, 'pred2.txt'), '1\t1\t\n');
  await assert.rejects(
    evalCmd.run(['--task', '3', '--gold', join(dir, 'gold2.txt'), '--pred', join(dir, 'pred2.txt'), '--labels', labels], io().io),
    (e: Error) => e instanceof UserError && /missing/.test(e.message),
  );
});

test('eval --task 3-spans prints identification and labelled F1', async () => {
  writeFileSync(join(dir, 'gs.txt'), '1\tDoubt\t0\t10\n');
  writeFileSync(join(dir, 'ps.txt'), '1\tSlogans\t0\t5\n');
  const c = io();
  await evalCmd.run(['--task', '3-spans', '--gold', join(dir, 'gs.txt'), '--pred', join(dir, 'ps.txt'), '--labels', labels], c.io);
  // P = 5/5, R = 5/10 -> F1 = 2/3; with labels: 0
  assert.match(c.out(), /span identification.*F1=0\.66667/);
  assert.match(c.out(), /span \+ technique.*F1=0\.00000/);
});

const skip = existsSync(MODEL_PATH) ? false : 'techniques model not built';

test('predict writes one row per non-blank line and code-point span offsets that round-trip', { skip }, async () => {
  const arts = join(dir, 'articles');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(arts, { recursive: true });
  // an astral character before the loaded words shifts UTF-16 offsets but not code points
  const text = 'Harbour 🚢 vote\n\nThe council met on Tuesday.\n\ufeff\n \nThis disgraceful, corrupt gang of shameless crooks is ruthlessly destroying our town.\n';
  writeFileSync(join(arts, 'article77.txt'), text);
  const c = io();
  assert.equal(await predictCmd.run(['--task', '3', '--lang', 'en', '--articles', arts, '--out', join(dir, 'p3.txt')], c.io), 0);
  const rows = parseParagraphLabels(readFileSync(join(dir, 'p3.txt'), 'utf8'));
  assert.deepEqual(rows.map((r) => r.paragraph), [1, 3, 4, 6]);
  await predictCmd.run(['--task', '3-spans', '--lang', 'en', '--articles', arts, '--out', join(dir, 'p3s.txt')], io().io);
  const spans = parseSpanLabels(readFileSync(join(dir, 'p3s.txt'), 'utf8'));
  assert.ok(spans.length > 0);
  const cps = [...text];
  for (const s of spans) {
    const piece = cps.slice(s.start, s.end).join('');
    assert.ok(piece.length > 0 && !piece.includes('\n'), JSON.stringify(piece));
    assert.match(piece, /^[\p{L}\p{N}]/u);
  }
});

const genreModelPath = new URL('../../../models/genre/model.json', import.meta.url);
const framesModelPath = new URL('../../../models/frames/model.json', import.meta.url);
const skip12 = existsSync(genreModelPath) && existsSync(framesModelPath) ? false : 'genre or frames model not built';

test('predict --task 1 and --task 2 write one article-label row per article', { skip: skip12 }, async () => {
  const { mkdirSync } = await import('node:fs');
  const arts = join(dir, 'articles12');
  mkdirSync(arts, { recursive: true });
  writeFileSync(join(arts, 'article501.txt'), 'Brindlemoor council approves harbour budget\n\nThe council of Brindlemoor voted on Tuesday to fund repairs to the harbour wall, the mayor said.\n');
  writeFileSync(join(arts, 'article502.txt'), 'Why the ferry tax is a disgrace\n\nThis shameless tax punishes every family in Brindlemoor, and the council must be stopped before it ruins us all.\n');
  const t1 = join(dir, 'p1.txt');
  assert.equal(await predictCmd.run(['--task', '1', '--lang', 'en', '--articles', arts, '--out', t1], io().io), 0);
  const rows1 = readFileSync(t1, 'utf8').trimEnd().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(rows1.map((r) => r[0]).sort(), ['501', '502']);
  for (const r of rows1) assert.ok(['reporting', 'opinion', 'satire'].includes(r[1]), r.join('|'));
  const t2 = join(dir, 'p2.txt');
  assert.equal(await predictCmd.run(['--task', '2', '--lang', 'en', '--articles', arts, '--out', t2], io().io), 0);
  const rows2 = readFileSync(t2, 'utf8').trimEnd().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(rows2.map((r) => r[0]).sort(), ['501', '502']);
  const { framesModel } = await import('../../stages/frames/index.ts');
  const known = framesModel().labels;
  for (const r of rows2) {
    const got = (r[1] ?? '').split(',').filter(Boolean);
    for (const f of got) assert.ok(known.includes(f), f);
    // taxonomy order, as the organisers' files list them
    assert.deepEqual(got, [...got].sort((a, b) => known.indexOf(a) - known.indexOf(b)));
  }
});

test('predict --task 1 refuses a language without a genre model', { skip: skip12 }, async () => {
  const arts = join(dir, 'articles12');
  await assert.rejects(
    predictCmd.run(['--task', '1', '--lang', 'xx', '--articles', arts, '--out', join(dir, 'p1x.txt')], io().io),
    (e: Error) => e instanceof UserError && /language/.test(e.message),
  );
});
