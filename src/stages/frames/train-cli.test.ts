import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { defaultCorporaDir } from '../../corpora/semeval2023/index.ts';
import { conllDocuments, taskDocs, type ArticleTask } from './train-cli.ts';

const repo = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const corpora = defaultCorporaDir(repo);
const skip = corpora ? false : 'needs ../shared/corpora (SemEval-2023 task 3), absent here';

const genreTask: ArticleTask = {
  name: 'genre', subtask: 1, out: '', labels: () => ['reporting', 'opinion', 'satire'],
  options: () => { throw new Error('not used'); },
};

test('training documents carry ISO language codes (German folder ge → de) and valid labels', { skip }, () => {
  const { docs, labels } = taskDocs(corpora!, genreTask, ['ge']);
  assert.ok(docs.length > 100);
  for (const d of docs) {
    assert.equal(d.lang, 'de');
    assert.equal(d.y.length, 1);
    assert.ok(d.y[0] >= 0 && d.y[0] < labels.length);
    assert.match(d.id, /^ge:\d+$/);
  }
});

test('CoNLL-2003 files are cut into documents and detokenised', () => {
  const conll = [
    '-DOCSTART- -X- O O', '',
    'Harbour NNP I-NP O', 'fees NNS I-NP O', 'rise VBP I-VP O', '. . O O', '',
    'Officials NNS I-NP O', 'said VBD I-VP O', ', , O O', '" " O O', 'nothing NN I-NP O', '. . O O', '',
    '-DOCSTART- -X- O O', '',
    'Velmora NNP I-NP I-LOC', 'wins VBZ I-VP O', '( ( O O', 'update NN I-NP O', ') ) O O', '',
  ].join('\n');
  assert.deepEqual(conllDocuments(conll), ['Harbour fees rise.\n\nOfficials said, " nothing.', 'Velmora wins (update)']);
});
