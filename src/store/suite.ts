import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Store } from './types.ts';
import { fakeAnalysis, type FakeArticle } from './testing.ts';
import { packAnalysis } from './compact.ts';
import { preparePut } from './prepare.ts';
import { KyselyStore } from './kysely-store.ts';
import * as m0003 from './migrations/0003_narratives_roles.ts';
import { canonicalUrl, contentHash, normalizePublished } from '../corpus/meta.ts';
import { copyGroups } from '../corpus/copies.ts';

/** A database left at an older migration, and how to open it as a Store afterwards (which migrates it). */
export interface LegacyDatabase {
  db: Kysely<any>;
  dialect: 'sqlite' | 'postgres';
  reopen(): Promise<Store>;
}

/**
 * One test suite for every Store implementation: run it with a factory that
 * returns a fresh, empty store, and one that makes a fresh database migrated
 * only up to the named migration (for upgrade tests).
 */
export function storeSuite(label: string, open: () => Promise<Store>, openAt?: (migration: string) => Promise<LegacyDatabase>): void {
  const put = (s: Store, f: FakeArticle, source = 'test') => {
    const a = fakeAnalysis(f);
    return s.put(a, { canonicalUrl: canonicalUrl(f.url), contentHash: contentHash(a.document.text), url: f.url ?? null, source });
  };

  /** An article row as an older version of the store wrote it (the Analysis packed, no layer rows); its id. */
  const insertLegacy = async (legacy: LegacyDatabase, f: FakeArticle, a: ReturnType<typeof fakeAnalysis>): Promise<number> => {
    const now = new Date().toISOString();
    const row = await legacy.db.insertInto('articles').values({
      canonical_url: canonicalUrl(f.url), content_hash: contentHash(a.document.text), raw_hash: null, url: f.url, outlet: f.outlet,
      published: normalizePublished(f.published ?? null), language: 'en', title: f.title, byline: null, body: a.document.text, source: 'test', genre: null,
      genre_confidence: null, analysis: packAnalysis(a), stored_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  };

  /** A seeded pseudo-random text, so near-duplicates can be generated without any real article. */
  const words = (seed: number, n: number) => {
    const syll = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vel', 'dor', 'pi', 'an', 'es', 'gor', 'li', 'nu', 'ta', 'be'];
    let s = seed >>> 0;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      let w = '';
      const len = 1 + Math.floor(rnd() * 3);
      for (let j = 0; j < len; j++) w += syll[Math.floor(rnd() * syll.length)];
      out.push(w);
    }
    return out;
  };

  test(`${label}: an article comes back exactly as stored`, async () => {
    const s = await open();
    try {
      const f: FakeArticle = {
        title: 'Harbour council approves new ferry line',
        url: 'https://www.harbour-news.example/2024/03/05/ferry?utm_source=x',
        outlet: 'harbour-news.example',
        published: '2024-03-05T09:30:00Z',
        paragraphs: ['The council voted on Tuesday.', '"This is a great day," said Orlan Petrovsky, a local analyst.'],
        quotes: [{ text: '"This is a great day,"', speaker: 'Orlan Petrovsky' }],
        people: [{ name: 'Orlan Petrovsky', descriptors: ['local analyst'] }],
        techniques: [{ technique: 'Loaded_Language', text: 'great day' }],
        frames: ['Economic'],
        genre: 'reporting',
      };
      const { id, status } = await put(s, f);
      assert.equal(status, 'inserted');
      assert.deepEqual(await s.get(id), fakeAnalysis(f));
      const art = await s.article(id);
      assert.equal(art?.canonicalUrl, 'https://harbour-news.example/2024/03/05/ferry');
      assert.equal(art?.published, '2024-03-05T09:30:00.000Z');
      assert.equal(await s.get(id + 1000), null);
    } finally {
      await s.close();
    }
  });

  test(`${label}: the same article twice is one article`, async () => {
    const s = await open();
    try {
      const f: FakeArticle = { url: 'https://a.example/story-1', outlet: 'a.example', paragraphs: ['First version of the story.'] };
      const first = await put(s, f);
      const again = await put(s, { ...f, url: 'https://www.a.example/story-1/#comments' });
      assert.equal(again.status, 'unchanged');
      assert.equal(again.id, first.id);
      assert.equal(await s.count(), 1);

      // Same URL, edited text: one article, layers replaced.
      const edited = await put(s, { ...f, paragraphs: ['Second version of the story, corrected.'], techniques: [{ technique: 'Doubt', text: 'corrected' }] });
      assert.deepEqual(edited, { id: first.id, status: 'updated' });
      assert.equal(await s.count(), 1);
      const rows = await s.techniqueRows();
      assert.deepEqual(rows.map((r) => r.technique), ['Doubt']);
      assert.equal((await s.search({ text: 'corrected' })).length, 1);
      assert.equal((await s.search({ text: 'First' })).length, 0);

      // Text without URL: recognised by its content hash.
      const plain: FakeArticle = { paragraphs: ['A text pasted without any address.'] };
      const p1 = await put(s, plain);
      const p2 = await put(s, plain);
      assert.equal(p2.status, 'unchanged');
      assert.equal(p2.id, p1.id);

      // The same text published by another outlet is a separate appearance (a copy).
      const copy = await put(s, { ...f, paragraphs: ['Second version of the story, corrected.'], url: 'https://b.example/copied', outlet: 'b.example' });
      assert.equal(copy.status, 'inserted');
      assert.equal(await s.count(), 3);
    } finally {
      await s.close();
    }
  });

  test(`${label}: putMany stores a batch in one transaction, in order, all or nothing`, async () => {
    const s = await open();
    try {
      const item = (f: FakeArticle) => {
        const analysis = fakeAnalysis(f);
        return { analysis, meta: { canonicalUrl: canonicalUrl(f.url), contentHash: contentHash(analysis.document.text), url: f.url ?? null, source: 'batch' } };
      };
      const first: FakeArticle = { url: 'https://batch.example/1', outlet: 'batch.example', paragraphs: ['"Ready," said Tove Lindqvist.'], quotes: [{ text: '"Ready,"', speaker: 'Tove Lindqvist' }] };
      const edited: FakeArticle = { ...first, paragraphs: ['"Ready now," said Tove Lindqvist.'], quotes: [{ text: '"Ready now,"', speaker: 'Tove Lindqvist' }] };
      const other: FakeArticle = { url: 'https://batch.example/2', outlet: 'batch.example', paragraphs: ['A second story about the dock.'] };
      const results = await s.putMany([item(first), item(first), item(other), item(edited)]);
      assert.deepEqual(results.map((r) => r.status), ['inserted', 'unchanged', 'inserted', 'updated']);
      assert.equal(results[1].id, results[0].id);
      assert.equal(results[3].id, results[0].id);
      assert.equal(await s.count(), 2);
      assert.deepEqual((await s.quoteRows()).map((q) => q.text), ['"Ready now,"']);
      assert.equal((await s.speaker('Lindqvist'))?.quotes, 1);
      assert.deepEqual(await s.putMany([]), []);

      // A prepared item, cloned as a worker thread would post it, stores the same Analysis.
      const third = item({ url: 'https://batch.example/3', outlet: 'batch.example', paragraphs: ['"Later," said Runa Falk.'], quotes: [{ text: '"Later,"', speaker: 'Runa Falk' }] });
      const [r3] = await s.putMany([structuredClone(preparePut(third.analysis, third.meta))]);
      assert.equal(r3.status, 'inserted');
      assert.deepEqual(await s.get(r3.id), third.analysis);
      assert.equal((await s.speaker('Runa Falk'))?.quotes, 1);

      // One bad item: nothing of the batch is stored.
      const good = item({ url: 'https://batch.example/4', paragraphs: ['"Never," said Ebba Strand.'], quotes: [{ text: '"Never,"', speaker: 'Ebba Strand' }] });
      const bad = preparePut(item({ url: 'https://batch.example/5', paragraphs: ['Broken.'] }).analysis, item({ url: 'https://batch.example/5', paragraphs: ['Broken.'] }).meta);
      (bad.article as { body: string | null }).body = null;
      await assert.rejects(s.putMany([good, bad]));
      assert.equal(await s.count(), 3);
      assert.equal(await s.speaker('Ebba Strand'), null);
      assert.equal((await s.put(good.analysis, good.meta)).status, 'inserted', 'the batch can be stored again');
    } finally {
      await s.close();
    }
  });

  test(`${label}: search with every filter`, async () => {
    const s = await open();
    try {
      await put(s, {
        title: 'Drought hits the northern valleys', url: 'https://north.example/1', outlet: 'north.example', published: '2024-03-01',
        paragraphs: ['Farmers in the valleys fear a dry summer.', '"The reservoirs are empty," said Ilse Brandvik.'],
        quotes: [{ text: '"The reservoirs are empty,"', speaker: 'Ilse Brandvik' }], people: [{ name: 'Ilse Brandvik' }],
        techniques: [{ technique: 'Appeal_to_Fear-Prejudice', text: 'fear a dry summer' }], frames: ['Economic'],
      });
      await put(s, {
        title: 'Valleys brace for floods', url: 'https://south.example/2', outlet: 'south.example', published: '2024-04-10', language: 'fr',
        paragraphs: ['Rain is expected in the valleys next week.'], frames: ['Security_and_defense'],
      });
      await put(s, {
        title: 'Orchard prices climb', url: 'https://north.example/3', outlet: 'north.example', published: '2024-05-02',
        paragraphs: ['Apple growers in the valleys raised prices.', '"Costs doubled," Brandvik said.'],
        quotes: [{ text: '"Costs doubled,"', speaker: 'Brandvik' }],
      });
      const ids = async (q: Parameters<Store['search']>[0]) => (await s.search(q)).map((h) => h.title).sort();
      assert.equal((await s.search({ text: 'valleys' })).length, 3);
      assert.deepEqual(await ids({ text: 'valleys', outlet: 'north.example' }), ['Drought hits the northern valleys', 'Orchard prices climb']);
      assert.deepEqual(await ids({ text: 'valleys', outlet: 'www.North.example' }), ['Drought hits the northern valleys', 'Orchard prices climb']);
      assert.deepEqual(await ids({ text: 'valleys', from: '2024-04-01', to: '2024-04-30' }), ['Valleys brace for floods']);
      assert.deepEqual(await ids({ text: 'valleys', to: '2024-03-01' }), ['Drought hits the northern valleys']);
      assert.deepEqual(await ids({ text: 'valleys', technique: 'Appeal_to_Fear-Prejudice' }), ['Drought hits the northern valleys']);
      assert.deepEqual(await ids({ text: 'valleys', frame: 'Security_and_defense' }), ['Valleys brace for floods']);
      assert.deepEqual(await ids({ text: 'valleys', language: 'fr' }), ['Valleys brace for floods']);
      // Speaker filter finds both the full name and the surname-only quote.
      assert.deepEqual(await ids({ text: 'valleys', speaker: 'Ilse Brandvik' }), ['Drought hits the northern valleys', 'Orchard prices climb']);
      assert.deepEqual(await ids({ speaker: 'Nobody Known' }), []);
      // Filters alone, no text.
      assert.deepEqual(await ids({ outlet: 'south.example' }), ['Valleys brace for floods']);
      const [hit] = await s.search({ text: 'reservoirs' });
      assert.match(hit.snippet, /\[reservoirs\]/);
      assert.deepEqual(await ids({ text: '"dry summer"' }), ['Drought hits the northern valleys']);
      assert.deepEqual(await ids({ text: 'summer dry' }), ['Drought hits the northern valleys']);
      // Query syntax typed by a user never breaks the search.
      assert.deepEqual(await ids({ text: 'valleys AND ( "' }), (await ids({ text: 'valleys' })));
    } finally {
      await s.close();
    }
  });

  test(`${label}: speaker dossier merges name variants when unambiguous`, async () => {
    const s = await open();
    // Two name rows per write transaction, so the merge is written in several steps.
    const chunk = KyselyStore.PERSON_CHUNK;
    KyselyStore.PERSON_CHUNK = 2;
    try {
      await put(s, {
        url: 'https://one.example/a', outlet: 'one.example', published: '2024-01-10',
        paragraphs: ['"Sanctions will fail," said Orlan Petrovsky, a political analyst.', '"We disagree," said Mira Tenholt.'],
        quotes: [{ text: '"Sanctions will fail,"', speaker: 'Orlan Petrovsky' }, { text: '"We disagree,"', speaker: 'Mira Tenholt' }],
        people: [{ name: 'Orlan Petrovsky', descriptors: ['political analyst'] }, { name: 'Mira Tenholt' }],
      });
      await put(s, {
        url: 'https://two.example/b', outlet: 'two.example', published: '2024-02-11',
        paragraphs: ['"The West is divided," Petrovsky told the channel.'],
        quotes: [{ text: '"The West is divided,"', speaker: 'Petrovsky' }],
        people: [{ name: 'Petrovsky', descriptors: ['expert'] }],
      });
      await put(s, {
        url: 'https://three.example/c', outlet: 'three.example', published: '2024-03-12',
        paragraphs: ['"Talks are over," O. Petrovsky said.', '"Not yet," said Mira Tenholt.'],
        quotes: [{ text: '"Talks are over,"', speaker: 'O. Petrovsky' }, { text: '"Not yet,"', speaker: 'Mira Tenholt' }],
      });
      // Two different Kales: the bare surname stays on its own.
      await put(s, {
        url: 'https://one.example/d', outlet: 'one.example', published: '2024-03-13',
        paragraphs: ['"Yes," said Hanna Kale.', '"No," said Peter Kale.', '"Maybe," said Kale.'],
        quotes: [{ text: '"Yes,"', speaker: 'Hanna Kale' }, { text: '"No,"', speaker: 'Peter Kale' }, { text: '"Maybe,"', speaker: 'Kale' }],
      });

      for (const asked of ['Orlan Petrovsky', 'Petrovsky', 'O. Petrovsky', 'orlan petrovsky']) {
        const d = await s.speaker(asked);
        assert.ok(d, asked);
        assert.equal(d.name, 'Orlan Petrovsky');
        assert.equal(d.quotes, 3);
        assert.equal(d.articles, 3);
        assert.equal(d.outlets, 3);
      }
      const d = (await s.speaker('Petrovsky'))!;
      assert.deepEqual(d.variants, ['O. Petrovsky', 'Petrovsky']);
      assert.equal(d.firstSeen, '2024-01-10T00:00:00.000Z');
      assert.equal(d.lastSeen, '2024-03-12T00:00:00.000Z');
      assert.deepEqual(d.quotesList.map((q) => [q.outlet, q.nameAsWritten]), [
        ['one.example', 'Orlan Petrovsky'], ['two.example', 'Petrovsky'], ['three.example', 'O. Petrovsky'],
      ]);
      assert.deepEqual(d.descriptorsByOutlet, [
        { outlet: 'one.example', descriptors: [{ text: 'political analyst', count: 1 }] },
        { outlet: 'two.example', descriptors: [{ text: 'expert', count: 1 }] },
      ]);
      assert.deepEqual(d.coQuoted, [{ name: 'Mira Tenholt', articles: 2 }]);

      const kale = (await s.speaker('Kale'))!;
      assert.equal(kale.name, 'Kale');
      assert.equal(kale.quotes, 1);
      assert.equal((await s.speaker('Hanna Kale'))!.quotes, 1);
      assert.equal(await s.speaker('Nobody Known'), null);

      const ranked = await s.speakers();
      assert.deepEqual(ranked.slice(0, 2).map((r) => [r.name, r.articles, r.quotes, r.outlets]), [
        ['Orlan Petrovsky', 3, 3, 3],
        ['Mira Tenholt', 2, 2, 2],
      ]);
      assert.equal(ranked.length, 5);
      assert.deepEqual((await s.speakers({ outlet: 'Three.example' })).map((r) => [r.name, r.articles, r.quotes]), [
        ['Mira Tenholt', 1, 1],
        ['Orlan Petrovsky', 1, 1],
      ]);
      assert.deepEqual((await s.speakers({ limit: 1 })).map((r) => r.name), ['Orlan Petrovsky']);
    } finally {
      KyselyStore.PERSON_CHUNK = chunk;
      await s.close();
    }
  });

  test(`${label}: near-duplicate copies are grouped with the earliest first`, async () => {
    const s = await open();
    try {
      const base = words(7, 260);
      const para = (w: string[]) => [w.slice(0, 90).join(' ') + '.', w.slice(90, 180).join(' ') + '.', w.slice(180).join(' ') + '.'];
      const light = [...base];
      for (const i of [15, 77, 140, 201]) light[i] = 'changed';
      const orig = await put(s, { url: 'https://origin.example/x', outlet: 'origin.example', published: '2024-06-01T08:00:00Z', paragraphs: para(base) });
      const later = await put(s, { url: 'https://mirror.example/y', outlet: 'mirror.example', published: '2024-06-02T08:00:00Z', paragraphs: [...para(light), 'A line the mirror added at the end.'] });
      const latest = await put(s, { url: 'https://third.example/z', outlet: 'third.example', published: '2024-06-03T08:00:00Z', paragraphs: para(light).slice(0, 2) });
      for (let i = 0; i < 5; i++) await put(s, { url: `https://other.example/${i}`, outlet: 'other.example', paragraphs: para(words(100 + i, 260)) });
      const pairs = await s.nearDuplicates();
      const ids = new Set(pairs.flatMap((p) => [p.a, p.b]));
      assert.deepEqual([...ids].sort((a, b) => a - b), [orig.id, later.id, latest.id]);
      const groups = copyGroups(pairs, new Map((await s.articles()).map((a) => [a.id, a])));
      assert.equal(groups.length, 1);
      assert.equal(groups[0].original.id, orig.id);
      assert.deepEqual(groups[0].members.map((m) => m.article.id), [orig.id, later.id, latest.id]);
      assert.equal(groups[0].members[1].copiedFrom, orig.id);
      // The third copy drops a paragraph of the mirror's edited text: it resembles the mirror most.
      assert.equal(groups[0].members[2].copiedFrom, later.id);
    } finally {
      await s.close();
    }
  });

  test(`${label}: trends count articles per period`, async () => {
    const s = await open();
    try {
      const days = ['2024-03-04', '2024-03-10', '2024-03-11', '2024-04-01'];
      for (const [i, day] of days.entries()) {
        await put(s, {
          url: `https://t${i % 2}.example/${i}`, outlet: `t${i % 2}.example`, published: `${day}T12:00:00Z`,
          paragraphs: [`Story number ${i} about the weather.`],
          techniques: i < 3 ? [{ technique: 'Doubt', text: 'weather' }, { technique: 'Doubt', text: 'Story' }] : [],
          frames: ['Economic'],
        });
      }
      await put(s, { url: 'https://undated.example/1', paragraphs: ['No date on this one.'] });
      const week = await s.trends('technique', 'week');
      assert.deepEqual(week, [
        { period: '2024-W10', key: 'Doubt', count: 2 },
        { period: '2024-W11', key: 'Doubt', count: 1 },
      ]);
      const month = await s.trends('outlet', 'month');
      assert.deepEqual(month, [
        { period: '2024-03', key: 't0.example', count: 2 },
        { period: '2024-03', key: 't1.example', count: 1 },
        { period: '2024-04', key: 't1.example', count: 1 },
      ]);
      const day = await s.trends('frame', 'day', { from: '2024-03-10', to: '2024-03-11' });
      assert.deepEqual(day, [
        { period: '2024-03-10', key: 'Economic', count: 1 },
        { period: '2024-03-11', key: 'Economic', count: 1 },
      ]);
    } finally {
      await s.close();
    }
  });

  /** Three articles from two outlets with narratives, roles and quotes (all invented). */
  const narrativeCorpus = async (s: Store) => {
    const a = await put(s, {
      title: 'Grid levy called a scam', url: 'https://dawn.example/1', outlet: 'Dawn Courier', published: '2024-03-04T10:00:00Z',
      paragraphs: ['The grid levy will ruin families, said Varek Osmund, an energy analyst.', '"The levy is a scam for bankers," Osmund added.', 'The ministry declined to comment.'],
      quotes: [{ text: '"The levy is a scam for bankers,"', speaker: 'Varek Osmund' }],
      people: [{ name: 'Varek Osmund', descriptors: ['energy analyst'] }],
      techniques: [{ technique: 'Loaded_Language', text: 'scam' }, { technique: 'Loaded_Language', text: 'ruin' }],
      frames: ['Economic'], genre: 'opinion',
      narratives: [
        { narrative: 'CC: Criticism of climate policies', evidence: ['The levy is a scam'], subnarratives: [{ subnarrative: 'CC: Criticism of climate policies: Climate policies are only for profit', evidence: ['scam for bankers'] }] },
        { narrative: 'Household costs', source: 'user', id: 'household-costs', evidence: ['ruin families'] },
      ],
      roles: [{ name: 'Varek Osmund', main: 'Protagonist', fine: 'Guardian' }, { name: 'Grid Ministry', main: 'Antagonist', fine: 'Corrupt' }],
    });
    const b = await put(s, {
      title: 'Ministry defends levy', url: 'https://dawn.example/2', outlet: 'dawn courier', published: '2024-03-20T10:00:00Z',
      paragraphs: ['The Grid Ministry said the levy pays for new lines.', '"Nonsense," said Varek Osmund.'],
      quotes: [{ text: '"Nonsense,"', speaker: 'Varek Osmund' }],
      people: [{ name: 'Varek Osmund' }],
      frames: ['Economic'], genre: 'reporting',
      narratives: [{ narrative: 'CC: Criticism of climate policies', evidence: ['pays for new lines'] }],
      roles: [{ name: 'Grid Ministry', main: 'Protagonist', fine: 'Guardian' }],
    });
    const c = await put(s, {
      title: 'Levy passes', url: 'https://gazette.example/3', outlet: 'gazette.example', published: '2024-04-02T10:00:00Z',
      paragraphs: ['Parliament passed the levy on Tuesday.', '"Fine by me," said Varek Osmund.'],
      quotes: [{ text: '"Fine by me,"', speaker: 'Varek Osmund' }],
      people: [{ name: 'Osmund' }],
      narratives: [{ narrative: 'Other' }],
      roles: [{ name: 'Osmund', main: 'Innocent', fine: 'Victim' }],
      genre: 'reporting',
    });
    return { a: a.id, b: b.id, c: c.id };
  };

  test(`${label}: search filters by narrative and by role, with the entity cast`, async () => {
    const s = await open();
    try {
      const { a, b, c } = await narrativeCorpus(s);
      const ids = async (q: Parameters<Store['search']>[0]) => (await s.search(q)).map((h) => h.id).sort((x, y) => x - y);
      assert.deepEqual(await ids({ narrative: 'CC: Criticism of climate policies' }), [a, b]);
      assert.deepEqual(await ids({ narrative: 'CC: Criticism of climate policies: Climate policies are only for profit' }), [a]);
      assert.deepEqual(await ids({ narrative: 'Household costs' }), [a]);
      assert.deepEqual(await ids({ narrative: 'household-costs' }), [a], 'a user narrative by its id');
      assert.deepEqual(await ids({ narrative: 'Other' }), [c]);
      assert.deepEqual(await ids({ narrative: 'CC: Criticism of climate policies', text: 'Nonsense' }), [b]);
      assert.deepEqual(await ids({ role: 'Antagonist' }), [a]);
      assert.deepEqual(await ids({ role: 'Guardian' }), [a, b], 'fine roles match too');
      assert.deepEqual(await ids({ role: 'Protagonist', roleEntity: 'Grid Ministry' }), [b]);
      assert.deepEqual(await ids({ role: 'Antagonist', roleEntity: 'grid ministry' }), [a]);
      assert.deepEqual(await ids({ role: 'Antagonist', roleEntity: 'Varek Osmund' }), []);
      // A person's roles are found under every variant of the name.
      assert.deepEqual(await ids({ roleEntity: 'Varek Osmund' }), [a, c]);
      assert.deepEqual(await ids({ role: 'Victim', roleEntity: 'V. Osmund' }), [c]);
      assert.deepEqual(await ids({ roleEntity: 'Nobody Atall' }), []);
    } finally {
      await s.close();
    }
  });

  test(`${label}: trends by narrative and by role`, async () => {
    const s = await open();
    try {
      await narrativeCorpus(s);
      assert.deepEqual(await s.trends('narrative', 'month'), [
        { period: '2024-03', key: 'CC: Criticism of climate policies', count: 2 },
        { period: '2024-03', key: 'Household costs', count: 1 },
        { period: '2024-04', key: 'Other', count: 1 },
      ]);
      assert.deepEqual(await s.trends('role', 'month', { from: '2024-03-01', to: '2024-03-31' }), [
        { period: '2024-03', key: 'Grid Ministry: Antagonist', count: 1 },
        { period: '2024-03', key: 'Grid Ministry: Protagonist', count: 1 },
        { period: '2024-03', key: 'Varek Osmund: Protagonist', count: 1 },
      ]);
    } finally {
      await s.close();
    }
  });

  test(`${label}: a dossier says which narratives the speaker's quotes carry and how the speaker is cast`, async () => {
    const s = await open();
    try {
      await narrativeCorpus(s);
      const d = (await s.speaker('Osmund'))!;
      assert.equal(d.name, 'Varek Osmund');
      assert.equal(d.quotes, 3);
      // Quoted in two articles with the climate narrative; only the first quote lies in a sentence cited for it.
      assert.deepEqual(d.narratives, [
        { narrative: 'CC: Criticism of climate policies', articles: 2, quotes: 1 },
        { narrative: 'Household costs', articles: 1, quotes: 0 },
        { narrative: 'Other', articles: 1, quotes: 0 },
      ]);
      assert.deepEqual(d.roles, [
        { main: 'Innocent', fine: 'Victim', articles: 1, outlets: 1 },
        { main: 'Protagonist', fine: 'Guardian', articles: 1, outlets: 1 },
      ]);
    } finally {
      await s.close();
    }
  });

  test(`${label}: export rows of narratives (with evidence offsets) and entity roles`, async () => {
    const s = await open();
    try {
      const { a, b, c } = await narrativeCorpus(s);
      const rows = await s.narrativeRows();
      assert.deepEqual(rows.map((r) => [r.articleId, r.narrative, r.parent, r.source]), [
        [a, 'CC: Criticism of climate policies', null, 'model'],
        [a, 'Household costs', null, 'user'],
        [a, 'CC: Criticism of climate policies: Climate policies are only for profit', 'CC: Criticism of climate policies', 'model'],
        [b, 'CC: Criticism of climate policies', null, 'model'],
        [c, 'Other', null, 'model'],
      ]);
      // Each evidence range is a paragraph of the article that holds the cited words.
      const text = (await s.get(a))!.document.text;
      const [start, end] = rows[0].evidence.split('-').map(Number);
      assert.match(text.slice(start, end), /The levy is a scam/);
      assert.equal(rows[4].evidence, '');
      assert.deepEqual((await s.narrativeRows({ afterId: a, throughId: b })).map((r) => r.articleId), [b]);
      const roles = await s.roleRows({ afterId: a });
      assert.deepEqual(roles.map((r) => [r.articleId, r.name, r.main, r.fine, r.outlet]), [
        [b, 'Grid Ministry', 'Protagonist', 'Guardian', 'dawn courier'],
        [c, 'Osmund', 'Innocent', 'Victim', 'gazette.example'],
      ]);
    } finally {
      await s.close();
    }
  });

  test(`${label}: outlets and an outlet's profile`, async () => {
    const s = await open();
    try {
      await narrativeCorpus(s);
      await put(s, { url: 'https://nowhere.example/x', paragraphs: ['An article without an outlet.'] });
      const list = await s.outlets();
      assert.equal(list.length, 2, 'case variants of one outlet are one outlet; articles without one are left out');
      assert.equal(list[0].outlet.toLowerCase(), 'dawn courier');
      assert.deepEqual(list.map((o) => [o.articles, o.firstSeen, o.lastSeen]), [
        [2, '2024-03-04T10:00:00.000Z', '2024-03-20T10:00:00.000Z'],
        [1, '2024-04-02T10:00:00.000Z', '2024-04-02T10:00:00.000Z'],
      ]);
      assert.equal(list[1].outlet, 'gazette.example');

      assert.equal(await s.outlet('nothing.example'), null);
      const p = (await s.outlet('www.DAWN Courier'))!;
      assert.equal(p.articles, 2);
      assert.deepEqual(p.techniques, [{ technique: 'Loaded_Language', spans: 2, articles: 1 }]);
      assert.deepEqual(p.frames, [{ frame: 'Economic', articles: 2 }]);
      assert.deepEqual(p.genres, [{ genre: 'opinion', articles: 1 }, { genre: 'reporting', articles: 1 }]);
      assert.deepEqual(p.narratives, [{ narrative: 'CC: Criticism of climate policies', articles: 2 }, { narrative: 'Household costs', articles: 1 }]);
      assert.deepEqual(p.roles, [
        { name: 'Grid Ministry', main: 'Antagonist', articles: 1 },
        { name: 'Grid Ministry', main: 'Protagonist', articles: 1 },
        { name: 'Varek Osmund', main: 'Protagonist', articles: 1 },
      ]);
      assert.deepEqual(p.speakers.map((x) => [x.name, x.quotes, x.articles]), [['Varek Osmund', 2, 2]]);
      assert.deepEqual(p.copies, []);
      const g = (await s.outlet('gazette.example'))!;
      assert.deepEqual(g.narratives, [{ narrative: 'Other', articles: 1 }]);
      assert.deepEqual(g.techniques, []);

      // Copies: the gazette reprints the courier's first story; both profiles list the pair.
      const text = ['The grid levy will ruin families, said Varek Osmund, an energy analyst, in a long interview about prices, lines and the winter ahead for the valley towns.',
        '"The levy is a scam for bankers," Osmund added, and the ministry declined to comment on the figures or the timetable for the new lines.'];
      const orig = await put(s, { url: 'https://dawn.example/long', outlet: 'Dawn Courier', published: '2024-05-01', paragraphs: text });
      const copy = await put(s, { url: 'https://gazette.example/long', outlet: 'gazette.example', published: '2024-05-02', paragraphs: text });
      const pairs = (await s.outlet('gazette.example'))!.copies;
      assert.deepEqual(pairs.map((x) => [x.a, x.b, x.outletA, x.outletB]), [[orig.id, copy.id, 'Dawn Courier', 'gazette.example']]);
      assert.equal((await s.outlet('Dawn Courier'))!.copies.length, 1);
    } finally {
      await s.close();
    }
  });

  if (openAt) {
    test(`${label}: a database from before narratives and roles is upgraded and backfilled`, async () => {
      const legacy = await openAt('0002_fts_vocab');
      const f: FakeArticle = {
        title: 'Old story', url: 'https://old.example/1', outlet: 'old.example', published: '2023-11-05',
        paragraphs: ['"Prices will fall," said Ilka Marsh.'], quotes: [{ text: '"Prices will fall,"', speaker: 'Ilka Marsh' }],
        people: [{ name: 'Ilka Marsh' }],
        narratives: [{ narrative: 'CC: Criticism of climate policies', evidence: ['Prices will fall'] }],
        roles: [{ name: 'Ilka Marsh', main: 'Protagonist', fine: 'Guardian' }],
      };
      const a = fakeAnalysis(f);
      await insertLegacy(legacy, f, a);
      // An earlier run of 0003 that got through its work but was never recorded (a crash right after it):
      // running it again must neither fail on the tables it made nor store the rows twice.
      await m0003.up(legacy.db, legacy.dialect);
      await legacy.db.destroy();
      const s = await legacy.reopen();
      try {
        assert.equal(await s.count(), 1);
        const profile = (await s.outlet('old.example'))!;
        assert.deepEqual(profile.narratives, [{ narrative: 'CC: Criticism of climate policies', articles: 1 }]);
        assert.deepEqual(profile.roles, [{ name: 'Ilka Marsh', main: 'Protagonist', articles: 1 }]);
        assert.equal((await s.search({ narrative: 'CC: Criticism of climate policies' })).length, 1);
        assert.equal((await s.search({ role: 'Protagonist', roleEntity: 'Ilka Marsh' })).length, 1);
        assert.deepEqual(await s.trends('narrative', 'month'), [{ period: '2023-11', key: 'CC: Criticism of climate policies', count: 1 }]);
        assert.deepEqual(await s.get((await s.articles())[0].id), a);
      } finally {
        await s.close();
      }
    });
  }

  test(`${label}: a dossier and the quotes export say what each quote reports`, async () => {
    const s = await open();
    try {
      await put(s, {
        url: 'https://act.example/1', outlet: 'act.example',
        paragraphs: ['Wren Halloway said the ferry would run in May.', 'Halloway believes the terminal will double visitor numbers.'],
        quotes: [
          { text: 'the ferry would run in May', speaker: 'Wren Halloway', kind: 'indirect', cue: 'said' },
          { text: 'the terminal will double visitor numbers', speaker: 'Wren Halloway', kind: 'indirect', cue: 'believes' },
        ],
        people: [{ name: 'Wren Halloway' }],
      });
      const d = (await s.speaker('Wren Halloway'))!;
      assert.deepEqual(d.quotesList.map((q) => [q.text, q.act]), [['the ferry would run in May', 'speech'], ['the terminal will double visitor numbers', 'thought']]);
      assert.deepEqual((await s.quoteRows()).map((r) => r.act), ['speech', 'thought']);
    } finally {
      await s.close();
    }
  });

  if (openAt) {
    test(`${label}: quotes stored before acts get one when the database is upgraded`, async () => {
      const legacy = await openAt('0003_narratives_roles');
      const f: FakeArticle = {
        title: 'Old story', url: 'https://old-act.example/1', outlet: 'old-act.example', published: '2023-11-05',
        paragraphs: ['Ilka Marsh fears prices will rise.', '"Prices will fall," said Ilka Marsh.'],
        quotes: [
          { text: 'prices will rise', speaker: 'Ilka Marsh', kind: 'indirect', cue: 'fears' },
          { text: '"Prices will fall,"', speaker: 'Ilka Marsh' },
        ],
        people: [{ name: 'Ilka Marsh' }],
      };
      const a = fakeAnalysis(f);
      assert.ok(a.quotes.every((q) => q.act === undefined), 'the stored Analysis predates acts');
      const id = await insertLegacy(legacy, f, a);
      // The quote rows as the store wrote them before migration 0004 (no act column).
      const rows = preparePut(a, { canonicalUrl: f.url!, contentHash: contentHash(a.document.text), url: f.url ?? null, source: 'test' }).quotes.map(({ act: _a, ...r }) => ({ ...r, article_id: id }));
      await legacy.db.insertInto('quotes').values(rows).execute();
      await legacy.db.destroy();
      const s = await legacy.reopen();
      try {
        assert.deepEqual((await s.quoteRows()).map((r) => [r.text, r.act]), [['prices will rise', 'thought'], ['"Prices will fall,"', 'speech']]);
        assert.deepEqual(await s.get(id), a, 'the stored Analysis is left as it was');
      } finally {
        await s.close();
      }
    });
  }

  test(`${label}: export rows and feed state`, async () => {
    const s = await open();
    try {
      await put(s, {
        url: 'https://e.example/1', outlet: 'e.example', paragraphs: ['"Quiet," said Lena Morrow.', 'It was a tremendous failure.'],
        quotes: [{ text: '"Quiet,"', speaker: 'Lena Morrow' }], techniques: [{ technique: 'Loaded_Language', text: 'tremendous failure' }],
      });
      const q = await s.quoteRows();
      assert.deepEqual(q.map((r) => [r.text, r.speaker, r.person]), [['"Quiet,"', 'Lena Morrow', 'Lena Morrow']]);
      const t = await s.techniqueRows();
      assert.deepEqual(t.map((r) => [r.technique, r.text]), [['Loaded_Language', 'tremendous failure']]);
      assert.equal(await s.feedState('https://feed.example/rss'), null);
      await s.setFeedState('https://feed.example/rss', { etag: '"v1"', lastModified: null });
      await s.setFeedState('https://feed.example/rss', { etag: '"v2"', lastModified: 'Tue, 05 Mar 2024 10:00:00 GMT' });
      assert.deepEqual(await s.feedState('https://feed.example/rss'), { etag: '"v2"', lastModified: 'Tue, 05 Mar 2024 10:00:00 GMT' });
    } finally {
      await s.close();
    }
  });
}
