import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { defaultCorporaDir, loadSemeval2023, SEMEVAL2023_LANGUAGES, techniqueNames } from './index.ts';

const repoRoot = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');
const data = defaultCorporaDir(repoRoot);
const skip = data ? false : 'corpus ../shared/corpora/semeval2023-task3 not found; skipping corpus checks';

test('paragraph numbering matches the gold ids in every language', { skip }, () => {
  for (const lang of SEMEVAL2023_LANGUAGES) {
    const arts = loadSemeval2023(data!, lang);
    let mismatched = 0;
    for (const a of arts) {
      const ours = a.paragraphs.map((p) => p.id).join(',');
      const gold = [...a.paragraphLabels!.keys()].sort((x, y) => x - y).join(',');
      if (ours !== gold) mismatched++;
    }
    assert.equal(mismatched, 0, `${lang}: ${mismatched} articles with different paragraph ids`);
  }
});

test('English spans land on the paragraphs the gold labels them in, with valid labels', { skip }, () => {
  const names = new Set(techniqueNames(data!));
  const arts = loadSemeval2023(data!, 'en');
  assert.equal(arts.length, 446);
  let gold = 0;
  let hit = 0;
  for (const a of arts) {
    for (const s of a.spans!) {
      assert.ok(names.has(s.technique), s.technique);
      assert.ok(s.start <= s.end && s.end <= a.text.length);
    }
    for (const [pid, labels] of a.paragraphLabels!) {
      const p = a.paragraphs.find((x) => x.id === pid)!;
      for (const l of labels) {
        gold++;
        if (a.spans!.some((s) => s.technique === l && s.start < p.end && s.end > p.start)) hit++;
      }
    }
  }
  assert.ok(hit / gold > 0.99, `${hit}/${gold}`);
});
