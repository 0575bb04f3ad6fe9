import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConll } from './conll.ts';

const dir = mkdtempSync(join(tmpdir(), 'unspin-conll-'));
const file = (name: string, body: string) => {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
};

test('CoNLL-2003 columns: token first, tag last, numbers and "#" are tokens, -DOCSTART- splits documents', () => {
  const p = file('a.txt', ['-DOCSTART- -X- O O', '', 'Ilvo NNP I-NP I-PER', 'Brask NNP I-NP I-PER', '1 CD I-NP O', '# # O O', '', '-DOCSTART- -X- O O', '', 'Varna NNP I-NP I-LOC', ''].join('\n'));
  const docs = readConll(p);
  assert.equal(docs.length, 2);
  assert.deepEqual(docs[0][0].words, ['Ilvo', 'Brask', '1', '#']);
  assert.deepEqual(docs[0][0].tags, ['B-PER', 'I-PER', 'O', 'O']);
  assert.deepEqual(docs[1][0].tags, ['B-LOC']);
});

test('GermEval columns: source lines skipped, outer tag kept, deriv/part dropped, OTH is MISC', () => {
  const p = file('g.tsv', ['#\thttp://example.invalid/x\t[2010-01-01]', '1\tDie\tO\tO', '2\tdeutsche\tB-LOCderiv\tO', '3\tFirma\tO\tO', '4\tHalvar\tB-ORG\tB-PER', '5\tGmbH\tI-ORG\tO', '6\tspielt\tO\tO', '7\tFaust\tB-OTH\tO', ''].join('\n'));
  const [doc] = readConll(p, true);
  assert.deepEqual(doc[0].words, ['Die', 'deutsche', 'Firma', 'Halvar', 'GmbH', 'spielt', 'Faust']);
  assert.deepEqual(doc[0].tags, ['O', 'O', 'O', 'B-ORG', 'I-ORG', 'O', 'B-MISC']);
});

test('WNUT-17 types map onto PER/ORG/LOC/MISC', () => {
  const p = file('w.conll', ['Zarko\tB-person', 'at\tO', 'Brimwell\tB-corporation', 'in\tO', 'Lisk\tB-location', 'Tower\tI-location', 'with\tO', 'Foo\tB-product', ''].join('\n'));
  const [doc] = readConll(p);
  assert.deepEqual(doc[0].tags, ['B-PER', 'O', 'B-ORG', 'O', 'B-LOC', 'I-LOC', 'O', 'B-MISC']);
});
