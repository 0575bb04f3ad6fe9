import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import evalCmd from './eval-semeval2025.ts';
import predictCmd from './predict-semeval2025.ts';
import { UserError, UsageError } from '../command.ts';
import { parseMentionLines, parseNarrativeLines } from '../../corpora/semeval2025/index.ts';
import { FINE_ROLES, MAIN_ROLES } from '../../corpora/semeval2025/taxonomy.ts';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  stderr.resume();
  return { io: { stdout, stderr, stdin: new PassThrough() }, out: () => out };
}

const dir = mkdtempSync(join(tmpdir(), 'unspin-se25-'));
const A = 'URW: Discrediting Ukraine';
const A1 = 'URW: Discrediting Ukraine: Discrediting Ukrainian military';

test('eval --task 2 prints narrative and subnarrative F1 averaged over documents', async () => {
  writeFileSync(join(dir, 'g2.txt'), `a.txt\t${A}\t${A1}\nb.txt\tOther\tOther\n`);
  writeFileSync(join(dir, 'p2.txt'), `b.txt\tOther\tOther\na.txt\t${A}\t${A}: Other\n`);
  const c = io();
  assert.equal(await evalCmd.run(['--task', '2', '--gold', join(dir, 'g2.txt'), '--pred', join(dir, 'p2.txt')], c.io), 0);
  assert.match(c.out(), /F1 narratives \(coarse\): 1\.0000/);
  assert.match(c.out(), /F1 subnarratives \(fine\): 0\.5000/);
  assert.match(c.out(), /on the 1 narrative-bearing documents: 1\.0000 \/ 0\.0000/);
});

test('eval --task 1 prints the exact-match ratio and refuses mismatched keys', async () => {
  writeFileSync(join(dir, 'g1.txt'), 'a.txt\tOrvik\t0\t4\tAntagonist\tTyrant\na.txt\tLuma\t10\t13\tInnocent\tVictim\n');
  writeFileSync(join(dir, 'p1.txt'), 'a.txt\tOrvik\t0\t4\tAntagonist\tTyrant\na.txt\tLuma\t10\t13\tInnocent\tScapegoat\n');
  const c = io();
  assert.equal(await evalCmd.run(['--task', '1', '--gold', join(dir, 'g1.txt'), '--pred', join(dir, 'p1.txt')], c.io), 0);
  assert.match(c.out(), /exact match ratio \(fine roles\): 0\.5000/);
  assert.match(c.out(), /main-role accuracy: 1\.0000/);
  writeFileSync(join(dir, 'p1b.txt'), 'a.txt\tOrvik\t0\t4\tAntagonist\tTyrant\n');
  await assert.rejects(evalCmd.run(['--task', '1', '--gold', join(dir, 'g1.txt'), '--pred', join(dir, 'p1b.txt')], io().io), UserError);
  await assert.rejects(evalCmd.run(['--task', '3', '--gold', join(dir, 'g1.txt'), '--pred', join(dir, 'p1.txt')], io().io), UsageError);
});

// Invented documents in the official layout, one with CRLF-counted offsets.
const docs = join(dir, 'EN', 'raw-documents');
mkdirSync(docs, { recursive: true });
const t1 = 'Valdor shells border towns\n\nThe Valdor army shelled the border towns again. The envoy Suni Patel called for talks.';
const t2 = 'Heat records\n\nFarmers in Osk lost their harvest to the drought.';
writeFileSync(join(docs, 'EN_X_2.txt'), t2);
writeFileSync(join(docs, 'EN_X_1.txt'), t1);
const crlfStart = t1.replace(/\n/g, '\r\n').indexOf('Suni Patel');
writeFileSync(
  join(dir, 'EN', 'subtask-1-annotations.txt'),
  `EN_X_1.txt\tValdor army\t${t1.indexOf('Valdor army')}\t${t1.indexOf('Valdor army') + 10}\n` +
    `EN_X_1.txt\tSuni Patel\t${crlfStart}\t${crlfStart + 9}\n` +
    `EN_X_2.txt\tFarmers\t${t2.indexOf('Farmers')}\t${t2.indexOf('Farmers') + 6}\n`,
);

test('predict --task 1 echoes the mention keys exactly and adds one main and one fine role', async (t) => {
  if (!existsSync(new URL('../../../models/roles/model.json', import.meta.url))) return t.skip('models/roles/model.json is absent');
  const out = join(dir, 'roles.txt');
  assert.equal(await predictCmd.run(['--task', '1', '--lang', 'EN', '--documents', docs, '--out', out], io().io), 0);
  const gold = parseMentionLines(readFileSync(join(dir, 'EN', 'subtask-1-annotations.txt'), 'utf8'));
  const pred = parseMentionLines(readFileSync(out, 'utf8'));
  assert.deepEqual(pred.map((p) => [p.docId, p.mention, p.start, p.end]), gold.map((g) => [g.docId, g.mention, g.start, g.end]));
  for (const p of pred) {
    assert.ok(MAIN_ROLES.includes(p.main));
    assert.equal(p.fine.length, 1);
    assert.ok(FINE_ROLES.includes(p.fine[0]));
  }
});

test('predict --task 2 writes one consistent row per document, in --order when given', async (t) => {
  if (!existsSync(new URL('../../../models/narratives/model.json', import.meta.url))) return t.skip('models/narratives/model.json is absent');
  const out = join(dir, 'narr.txt');
  writeFileSync(join(dir, 'order.txt'), 'EN_X_2.txt\nEN_X_1.txt\n');
  assert.equal(await predictCmd.run(['--task', '2', '--lang', 'EN', '--documents', docs, '--out', out, '--order', join(dir, 'order.txt')], io().io), 0);
  const rows = parseNarrativeLines(readFileSync(out, 'utf8'));
  assert.deepEqual(rows.map((r) => r.docId), ['EN_X_2.txt', 'EN_X_1.txt']);
  for (const r of rows) {
    assert.ok(r.narratives.length >= 1 && r.subnarratives.length >= 1);
    if (r.narratives.includes('Other')) assert.deepEqual([r.narratives, r.subnarratives], [['Other'], ['Other']]);
    else for (const s of r.subnarratives) assert.ok(r.narratives.some((n) => s.startsWith(n + ': ')));
  }
});

test('eval refuses a file that is not in the official column format, naming flag, file and line; predict refuses a file as --documents', async () => {
  writeFileSync(join(dir, 'g-ok.txt'), `a.txt\t${A}\t${A1}\n`);
  writeFileSync(join(dir, 'p-bad.txt'), `a.txt\t${A}\t${A1}\n{"not": "this format"}\n`);
  await assert.rejects(
    evalCmd.run(['--task', '2', '--gold', join(dir, 'g-ok.txt'), '--pred', join(dir, 'p-bad.txt')], io().io),
    (e: unknown) => e instanceof UserError && /--pred .*p-bad\.txt:2: expected 3 tab-separated columns/.test((e as Error).message),
  );
  await assert.rejects(
    evalCmd.run(['--task', '1', '--gold', join(dir, 'g-ok.txt'), '--pred', join(dir, 'g-ok.txt')], io().io),
    (e: unknown) => e instanceof UserError && /--gold .*:1: expected 6 tab-separated columns for task 1/.test((e as Error).message),
  );
  await assert.rejects(
    predictCmd.run(['--task', '2', '--lang', 'en', '--documents', join(dir, 'g-ok.txt'), '--out', join(dir, 'o.txt')], io().io),
    (e: unknown) => e instanceof UserError && /takes a folder/.test((e as Error).message),
  );
});
