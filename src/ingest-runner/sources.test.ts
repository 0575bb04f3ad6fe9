import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputItems, feedItems } from './sources.ts';
import type { Item } from './sources.ts';

const collect = async (it: AsyncIterable<Item>) => {
  const out: Item[] = [];
  for await (const x of it) out.push(x);
  return out;
};

test('folders are walked in order; JSONL lines and URL lists become one item each', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'unspin-src-'));
  try {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'b.txt'), 'The second story, about a bridge in Harlow.');
    writeFileSync(join(dir, 'sub', 'a.html'), '<html><body><article><p>A story about the weir at Tarn.</p></article></body></html>');
    writeFileSync(join(dir, '.hidden.txt'), 'never read');
    writeFileSync(join(dir, 'notes.pdf'), 'not an article format');
    writeFileSync(join(dir, 'urls.txt'), '# feed of the day\nhttps://one.example/a\n\nhttps://two.example/b\n');
    writeFileSync(join(dir, 'dump.jsonl'), '{"text":"Jsonl story one about the mill.","url":"https://three.example/x","title":"Mill"}\n\n[1,2]\n');
    const items = await collect(inputItems([dir]));
    assert.deepEqual(items.map((i) => i.label.replace(dir, '')), ['/b.txt', '/dump.jsonl:1', '/dump.jsonl:3', '/sub/a.html', 'https://one.example/a', 'https://two.example/b']);
    assert.deepEqual(items.map((i) => i.url ?? null), [null, 'https://three.example/x', null, null, 'https://one.example/a', 'https://two.example/b']);
    const jsonl = await items[1].load();
    assert.deepEqual([jsonl.title, jsonl.url, jsonl.source], ['Mill', 'https://three.example/x', 'jsonl']);
    await assert.rejects(items[2].load(), /not a JSON object/);
    assert.match((await items[0].load()).raw, /bridge in Harlow/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a feed item with full content is used as is; otherwise its link is fetched', async () => {
  const long = '<p>' + 'The ferry to Ostmark resumed service after the storm. '.repeat(20) + '</p>';
  const items = feedItems(
    {
      kind: 'rss',
      title: 'F',
      link: 'https://f.example/',
      items: [
        { title: 'Full', url: 'https://f.example/full', published: '2024-05-01T10:00:00Z', content: long, summary: null },
        { title: 'Short', url: 'https://f.example/short', published: null, content: '<p>Teaser.</p>', summary: null },
      ],
    },
    'https://f.example/rss',
  );
  assert.equal(items.length, 2);
  const full = await items[0].load();
  assert.deepEqual([full.title, full.url, full.published, full.source], ['Full', 'https://f.example/full', '2024-05-01T10:00:00Z', 'feed']);
  assert.match(full.raw, /ferry to Ostmark/);
  assert.equal(items[1].url, 'https://f.example/short');
});
