import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing.ts';
import { openStore } from '../../store/index.ts';
import { sampleAnalysis } from '../../server/testing.ts';
import { canonicalUrl, contentHash } from '../../corpus/meta.ts';

const run = (...argv: string[]) => runCli(argv);

const tmp = mkdtempSync(join(tmpdir(), 'unspin-outlets-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const db = join(tmp, 'corpus.db');
const NARRATIVE = 'URW: Discrediting the West, Diplomacy';

/** Four hand-built articles (invented text): three from Daily Lantern, two of them with narratives and roles; one from another outlet. */
async function build(): Promise<number[]> {
  const store = await openStore(db);
  const ids: number[] = [];
  try {
    for (let n = 0; n < 4; n++) {
      const a = sampleAnalysis({ n, outlet: n < 3 ? 'Daily Lantern' : 'harbour-post.example', published: `2024-0${n < 2 ? 2 : 3}-1${n}`, narratives: n !== 2 });
      ids.push((await store.put(a, { canonicalUrl: canonicalUrl(a.document.url), contentHash: contentHash(a.document.text), url: a.document.url })).id);
    }
  } finally {
    await store.close();
  }
  return ids;
}

const ready = build();

test('unspin outlets lists outlets by articles, as a table, CSV and JSON', async () => {
  await ready;
  const table = await run('outlets', '--db', db);
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.trim().split('\n');
  assert.match(lines[0], /^outlet\s+articles\s+first seen\s+last seen$/);
  assert.match(lines[1], /^Daily Lantern\s+3\s+2024-02-10\s+2024-03-12$/);
  assert.match(lines[2], /^harbour-post\.example\s+1\s+2024-03-13\s+2024-03-13$/);
  const json = JSON.parse((await run('outlets', '--json', '--db', db)).stdout);
  assert.deepEqual(json.map((o: { outlet: string; articles: number }) => [o.outlet, o.articles]), [['Daily Lantern', 3], ['harbour-post.example', 1]]);
  const csv = (await run('outlets', '--csv', '--limit', '1', '--db', db)).stdout.trim().split('\n');
  assert.deepEqual(csv, ['outlet,articles,first_seen,last_seen', 'Daily Lantern,3,2024-02-10T00:00:00.000Z,2024-03-12T00:00:00.000Z']);
});

test('unspin outlet prints a profile with narratives and roles; unknown names are a clear error', async () => {
  await ready;
  const r = await run('outlet', 'daily', 'lantern', '--db', db);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Daily Lantern\n3 articles, 2024-02-10 to 2024-03-12\n/);
  assert.match(r.stdout, /Techniques:\n {2}Appeal_to_Fear-Prejudice: 3 spans in 3 articles\n/);
  assert.match(r.stdout, new RegExp(`Narratives:\\n  ${NARRATIVE}: 2 articles\\n`));
  assert.match(r.stdout, /Cast as:\n {2}Oskar Brandt: Antagonist in 2 articles\n/);
  assert.match(r.stdout, /Quoted most:\n {2}Oskar Brandt: 6 quotes in 3 articles\n/);
  const top = await run('outlet', 'Daily Lantern', '--top', '1', '--db', db);
  assert.match(top.stdout, /… 3 more \(--top or --json\)/, 'four techniques, one shown');
  const json = JSON.parse((await run('outlet', 'www.daily lantern', '--json', '--db', db)).stdout);
  assert.equal(json.articles, 3);
  assert.deepEqual(json.narratives, [{ narrative: NARRATIVE, articles: 2 }]);
  const missing = await run('outlet', 'Nowhere Times', '--db', db);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no article from an outlet called "Nowhere Times"/);
  assert.equal((await run('outlet', '--db', db)).code, 2);
});

test('search --narrative/--role/--entity, trends --by narrative|role, and the dossier sections', async () => {
  const ids = await ready;
  const hits = async (...args: string[]) => (JSON.parse((await run('search', ...args, '--json', '--db', db)).stdout) as { id: number }[]).map((h) => h.id).sort((a, b) => a - b);
  assert.deepEqual(await hits('--narrative', NARRATIVE), [ids[0], ids[1], ids[3]]);
  assert.deepEqual(await hits('--narrative', NARRATIVE, '--outlet', 'Daily Lantern'), [ids[0], ids[1]]);
  assert.deepEqual(await hits('--role', 'Antagonist', '--entity', 'Brandt'), [ids[0], ids[1], ids[3]]);
  assert.deepEqual(await hits('--role', 'Victim'), [ids[0], ids[1], ids[3]]);
  assert.deepEqual(await hits('--entity', 'Dunmere'), [ids[3]], 'a place cast in any role');
  assert.deepEqual(await hits('--entity', 'Karsland'), [], 'the article naming Karsland has no roles layer');

  const trends = await run('trends', '--by', 'narrative', '--period', 'month', '--csv', '--db', db);
  assert.equal(trends.code, 0, trends.stderr);
  assert.equal(trends.stdout, `period,narrative,articles\n2024-02,"${NARRATIVE}",2\n2024-03,"${NARRATIVE}",1\n`);
  const roles = JSON.parse((await run('trends', '--by', 'role', '--period', 'month', '--json', '--db', db)).stdout);
  assert.ok(roles.some((r: { period: string; key: string; count: number }) => r.period === '2024-02' && r.key === 'Oskar Brandt: Antagonist' && r.count === 2));
  assert.equal((await run('trends', '--by', 'mood', '--db', db)).code, 2);

  const dossier = await run('speaker', 'Oskar Brandt', '--db', db);
  assert.equal(dossier.code, 0, dossier.stderr);
  assert.match(dossier.stdout, new RegExp(`Narratives \\(articles quoting them; quotes voicing it\\):\\n  ${NARRATIVE}: 3 articles; 3 quotes\\n`));
  assert.match(dossier.stdout, /Cast as:\n {2}Antagonist \(Instigator\): 3 articles, 2 outlets\n/);

  const narr = (await run('export', '--format', 'narratives-csv', '--db', db)).stdout.trim().split('\n');
  assert.equal(narr[0], 'article_id,outlet,published,url,narrative,parent,source,taxonomy,confidence,evidence');
  assert.deepEqual(narr.slice(1).map((l) => Number(l.split(',')[0])), [ids[0], ids[0], ids[1], ids[1], ids[3], ids[3]]);
  const roleCsv = (await run('export', '--format', 'roles-csv', '--db', db)).stdout.trim().split('\n');
  assert.equal(roleCsv.length, 1 + 3 * 2, 'two roles in each of three articles');
  assert.match(roleCsv[1], new RegExp(`^${ids[0]},Daily Lantern,2024-02-10T00:00:00.000Z,https://news.example/veltrania/harbour-0,e1,Oskar Brandt,Antagonist,0.7,Instigator,0.5,1$`));
});
