import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blocOf, cueStance, goldStance, StanceModel } from './side.ts';
import { docTokens, mentionFeatureStrings, sentenceAround } from './features.ts';
import { fitRoles, DEFAULT_ROLE_CONFIG, type RoleExample } from './train.ts';
import { RoleModel } from './model.ts';
import { segment } from '../../segment/index.ts';
import { runStages } from '../../document/runner.ts';
import type { Stage } from '../../document/stage.ts';
import type { DocumentInfo, Entity } from '../../document/types.ts';
import { createRolesStage, type EntityRoles } from './index.ts';

test('bloc list: whole mentions, a leading "the", a possessive, and a member word inside a longer mention', () => {
  assert.equal(blocOf('the Kremlin'), 'ru');
  assert.equal(blocOf("Russia's"), 'ru');
  assert.equal(blocOf('Ukrainian soldiers'), 'west');
  assert.equal(blocOf('U.S.'), 'west');
  assert.equal(blocOf('Greta Thunberg'), 'climate');
  assert.equal(blocOf('the Daily Sceptic'), 'sceptic');
  assert.equal(blocOf('Mayor Ilka Brenn'), null);
});

test('article stance by cue words: how each side names the war', () => {
  // invented sentences
  const proRu = docTokens('The Kiev regime staged another provocation, and the collective West keeps arming the neo-Nazi units.');
  const proWest = docTokens('Since the full-scale invasion, occupied towns near Kyiv report deportations and war crimes.');
  assert.equal(cueStance(proRu), 'ru');
  assert.equal(cueStance(proWest), 'west');
  assert.equal(cueStance(docTokens('The town council voted on a new budget for the school.')), 'none');
});

// ---- the learned parts (invented articles: two outlets that cast the same two sides the other way round) ----

// Articles of the first kind blame Russia and praise Ukraine; of the second kind, the other way round.
// Every article has the same neutral middle sentence naming both sides, so only the article tells the roles apart.
const NEUTRAL = 'Russia and Ukraine sent delegations to the talks in Geneva.';
const antiRu = [
  'Since the full-scale invasion, occupied towns report deportations.',
  'Observers in Kyiv describe war crimes and brutal shelling by the invader.',
  'The aggressor annexed more land as sanctions grew.',
  'Refugees from occupied villages told of atrocities by the occupiers.',
  'Kyiv asked for more air defence after the invasion entered its third year.',
  'Investigators documented deportations of children from occupied areas.',
];
const antiWest = [
  'The Kiev regime staged another provocation, officials in Moscow said.',
  'The collective West keeps arming neo-Nazi units in a proxy war.',
  'Anglo-Saxon hegemony drives the puppet junta toward escalation.',
  'The globalist elites ignore the Donbass victims of the regime.',
  'The Kiev junta staged a provocation near the Donbass front.',
  'The collective West runs a proxy war through its puppet in Kiev.',
];
function article(lead: string, i: number, kind: 'ru' | 'west'): RoleExample[] {
  const text = `${lead} ${NEUTRAL} Talks resume next week.`;
  const dt = docTokens(text);
  const ex = (m: string, main: string, fine: string): RoleExample => {
    const start = text.indexOf(m, lead.length);
    const [sentStart, sentEnd] = sentenceAround(text, start, start + m.length);
    return {
      lang: 'EN',
      row: { docId: `${kind}${i}`, mention: m, start, end: start + m.length - 1, main, fine: [fine] },
      features: mentionFeatureStrings({ text, start, end: start + m.length, sentStart, sentEnd }, dt),
      dt,
    };
  };
  return kind === 'ru'
    ? [ex('Russia', 'Antagonist', 'Instigator'), ex('Ukraine', 'Innocent', 'Victim')]
    : [ex('Russia', 'Protagonist', 'Guardian'), ex('Ukraine', 'Antagonist', 'Instigator')];
}
const examples = [...antiRu.map((l, i) => article(l, i, 'ru')), ...antiWest.map((l, i) => article(l, i, 'west'))].flat();

test('gold article side: who the bloc entities are cast as', () => {
  const g = goldStance(examples.map((e) => ({ doc: e.row.docId, mention: e.row.mention, main: e.row.main })));
  assert.equal(g.get('ru0'), 'antiru');
  assert.equal(g.get('west3'), 'antiwest');
  assert.equal(goldStance([{ doc: 'd', mention: 'Mayor Ilka Brenn', main: 'Antagonist' }]).size, 0);
});

test('the learned article side tells the two kinds of article apart on unseen articles', () => {
  const docs = examples.map((e) => ({ id: e.row.docId, dt: e.dt! }));
  const gold = goldStance(examples.map((e) => ({ doc: e.row.docId, mention: e.row.mention, main: e.row.main })));
  const m = StanceModel.train(docs, gold, 11)!;
  assert.equal(m.side(docTokens('Deportations from occupied towns continue since the invasion, Kyiv says.')), 'antiru');
  assert.equal(m.side(docTokens('The Kiev regime and its puppet masters in the collective West plan a provocation.')), 'antiwest');
  assert.equal(StanceModel.train(docs, new Map(), 11), null, 'no article with a side: no model');
});

const cfg = { ...DEFAULT_ROLE_CONFIG, minCount: 1, epochs: 30 };
const model = fitRoles(examples, cfg);

function stageRoles(m: RoleModel, lead: string, language: string, path: 'fast' | 'plain' = 'fast'): EntityRoles[] {
  const text = `${lead} ${NEUTRAL}`;
  const span = (w: string) => {
    const start = text.indexOf(w, lead.length);
    return { start, end: start + w.length, text: w, kind: 'name' as const };
  };
  const entities: Entity[] = [
    { id: 'ru', type: 'place', name: 'Russia', descriptors: [], mentions: [span('Russia')] },
    { id: 'ua', type: 'place', name: 'Ukraine', descriptors: [], mentions: [span('Ukraine')] },
  ];
  const { segments, tokens } = segment(text);
  const document: DocumentInfo = { id: 't', title: null, url: null, outlet: null, byline: null, published: null, language, text };
  const ents: Stage = { name: 'entities', requires: [], assigns: ['entities'], run: () => ({ layers: { entities } }) };
  return runStages([ents, createRolesStage({ model: m, path })], document, segments, tokens).roles as EntityRoles[];
}

const LEAD_RU = 'Occupied villages near Kyiv report deportations and war crimes since the invasion.';
const LEAD_WEST = 'The Kiev regime staged a provocation as the collective West arms its puppet.';

test('the same sentence: Russia is the antagonist in an article against it and not in one on its side', () => {
  assert.ok(model.side?.stance, 'the model has a learned article side');
  assert.equal(model.articleDim, 22, 'and the article fine-role columns');
  assert.equal(stageRoles(model, LEAD_RU, 'en')[0].main, 'Antagonist');
  assert.notEqual(stageRoles(model, LEAD_WEST, 'en')[0].main, 'Antagonist');
  assert.equal(stageRoles(model, LEAD_WEST, 'en')[1].main, 'Antagonist');
});

test('the article-level parts: side features only for English articles, fine-role columns for every language', () => {
  const dt = docTokens(`${LEAD_RU} ${NEUTRAL}`);
  const en = model.articleContext(dt, 'en');
  assert.equal(en.side?.cue, 'west');
  assert.equal(en.side?.learned, 'antiru');
  assert.equal(en.dense?.length, 22);
  const bg = model.articleContext(dt, 'BG');
  assert.equal(bg.side, null);
  assert.deepEqual(bg.dense, en.dense);
  assert.deepEqual(model.sideFeatures('russia', en).filter((f) => f.startsWith('bloc=')), ['bloc=ru', 'bloc=ru|war']);
});

test('the fast and the plain path agree exactly with the article-level parts, after the JSON round trip too', () => {
  const loaded = RoleModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
  assert.ok(loaded.side?.stance && loaded.articleRoles);
  // the side classifier is stored with float weights: it decides as the trained one
  for (const lead of [LEAD_RU, LEAD_WEST]) assert.equal(loaded.side.stance.side(docTokens(lead)), model.side!.stance!.side(docTokens(lead)));
  for (const m of [model, loaded]) {
    for (const lead of [LEAD_RU, LEAD_WEST]) {
      for (const lang of ['en', 'pt']) assert.deepEqual(stageRoles(m, lead, lang, 'fast'), stageRoles(m, lead, lang, 'plain'));
    }
  }
  assert.equal(stageRoles(loaded, LEAD_RU, 'en')[0].main, 'Antagonist');
});

test('a model without the article-level parts (as before session 4) writes none and still runs', () => {
  const old = fitRoles(examples, { ...cfg, side: false, articleRoles: 0 });
  const j = JSON.parse(JSON.stringify(old.toJSON()));
  assert.equal('side' in j, false);
  assert.equal('articleRoles' in j, false);
  const loaded = RoleModel.fromJSON(j);
  assert.equal(loaded.side, null);
  assert.equal(loaded.articleDim, 0);
  assert.deepEqual(loaded.articleContext(docTokens(LEAD_RU), 'en'), { side: null, dense: null });
  assert.deepEqual(stageRoles(loaded, LEAD_RU, 'en', 'fast'), stageRoles(loaded, LEAD_RU, 'en', 'plain'));
  assert.equal(stageRoles(loaded, LEAD_RU, 'en').length, 2);
});

test('`unspin predict semeval2025 --task 1` uses the article-level parts as the stage does', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { PassThrough } = await import('node:stream');
  const { default: predict } = await import('../../cli/commands/predict-semeval2025.ts');
  const dir = mkdtempSync(join(tmpdir(), 'unspin-roles-side-'));
  mkdirSync(join(dir, 'EN', 'raw-documents'), { recursive: true });
  const mentions: string[] = [];
  for (const [id, lead] of [['EN_RU.txt', LEAD_RU], ['EN_WEST.txt', LEAD_WEST]]) {
    // a neutral sentence between the lead and the mention keeps the lead out of the mention's word window,
    // so only the article-level parts can tell the two documents apart
    const text = `${lead} The weather in the region stayed mild and dry for most of the week, forecasters noted on Sunday. ${NEUTRAL}`;
    writeFileSync(join(dir, 'EN', 'raw-documents', id), text);
    const start = text.indexOf('Russia', lead.length);
    mentions.push(`${id}\tRussia\t${start}\t${start + 5}`);
  }
  writeFileSync(join(dir, 'EN', 'subtask-1-annotations.txt'), mentions.join('\n') + '\n');
  const { saveModel } = await import('../../ml/model-file.ts');
  saveModel(join(dir, 'model.json'), { name: 'roles-test', version: 'test', trained: 'test', data: 'invented articles' }, model.toJSON());
  const io = { stdout: new PassThrough(), stderr: new PassThrough().resume(), stdin: new PassThrough() };
  const out = join(dir, 'pred.txt');
  const code = await predict.run(['--task', '1', '--lang', 'EN', '--documents', join(dir, 'EN', 'raw-documents'), '--model', join(dir, 'model.json'), '--out', out], io);
  assert.equal(code, 0);
  const main = readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split('\t')[4]);
  assert.equal(main[0], 'Antagonist');
  assert.notEqual(main[1], 'Antagonist', 'the same sentence in an article on Russia\'s side');
});
