import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import trainQuotes from './train-quotes.ts';
import { UserError } from '../command.ts';
import { loadTagger, setTagger } from '../../stages/quotes/tagger/model.ts';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  stderr.resume();
  return { io: { stdout, stderr, stdin: new PassThrough() }, out: () => out };
}

const dir = mkdtempSync(join(tmpdir(), 'unspin-train-quotes-'));
const committed = loadTagger();
after(() => {
  setTagger(committed);
  rmSync(dir, { recursive: true, force: true });
});

/** One invented PolNeAR-format line: `X said that Y.` with its source, cue and content spans. */
function doc(id: string, speaker: string, content: string): string {
  const text = `${speaker} said that ${content}.`;
  const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
  return JSON.stringify({ doc_id: id, text, attributions: [{ id: 'R1', source: [at(speaker)], cue: [at('said')], content: [at(content)] }] });
}

test('train quotes takes the corpora folder, like every other train command, and reads its polnear/ split', async () => {
  const corpora = join(dir, 'corpora');
  mkdirSync(join(corpora, 'polnear'), { recursive: true });
  writeFileSync(join(corpora, 'polnear', 'train.jsonl'), [doc('a', 'Mara Quell', 'the bridge would reopen in spring'), doc('b', 'Odo Varga', 'the levy was far too high')].join('\n') + '\n');
  const out = join(dir, 'tagger.bin.gz');
  const c = io();
  assert.equal(await trainQuotes.run(['--data', corpora, '--epochs', '1', '--stack', '0', '--out', out], c.io), 0);
  assert.ok(existsSync(out), 'model written');
  assert.match(c.out(), /2 annotation files/);
});

test('train quotes on a folder without a PolNeAR split says what it looked for', async () => {
  const empty = join(dir, 'empty');
  mkdirSync(empty, { recursive: true });
  await assert.rejects(trainQuotes.run(['--data', empty, '--out', join(dir, 'x.bin.gz')], io().io), (e: unknown) => e instanceof UserError && /polnear.*train\.jsonl/.test((e as Error).message));
});

test('a PolNeAR file with a broken line is a user error naming the line, in train quotes and eval attribution', async () => {
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, `${doc('a', 'Mara Quell', 'the bridge would reopen in spring')}\n{"text": "cut short\n`);
  const named = (e: unknown) => e instanceof UserError && /bad\.jsonl:2: not a JSON object/.test((e as Error).message);
  await assert.rejects(trainQuotes.run(['--data', bad, '--out', join(dir, 'y.bin.gz')], io().io), named);
  const { default: evalAttribution } = await import('./eval-attribution.ts');
  await assert.rejects(evalAttribution.run(['--data', bad], io().io), named);
  // A folder is refused with a pointer to the file to pass.
  await assert.rejects(evalAttribution.run(['--data', dir], io().io), (e: unknown) => e instanceof UserError && /is a folder/.test((e as Error).message));
});
