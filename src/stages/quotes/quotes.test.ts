import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Quote } from '../../document/types.ts';
import { segment } from '../../segment/index.ts';
import { entities, quoteWith, type Spec } from './fixtures.ts';
import { findQuotes, findQuoteRegions } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/quotes/${name}`, import.meta.url), 'utf8');

/** The stage's mode under test: QUOTES_MODE=rules runs the rule extractor alone. */
const MODE = (process.env.QUOTES_MODE as 'rules' | 'hybrid' | undefined) ?? undefined;

function run(text: string, specs: Spec[] = []): Quote[] {
  const { segments, tokens } = segment(text);
  return findQuotes({ text, segments, tokens, entities: entities(text, specs), mode: MODE });
}

test('every span is a slice of the text', () => {
  for (const name of ['state-media.txt', 'wire.txt', 'multi-paragraph.txt']) {
    const text = fixture(name);
    for (const q of run(text)) {
      assert.equal(text.slice(q.start, q.end), q.text);
      for (const p of q.parts) assert.equal(text.slice(p.start, p.end), p.text);
      if (q.cue) assert.equal(text.slice(q.cue.start, q.cue.end), q.cue.text);
      if (q.speaker.mention) assert.equal(text.slice(q.speaker.mention.start, q.speaker.mention.end), q.speaker.mention.text);
    }
  }
});

test('state-media article: every quote gets the right speaker', () => {
  const text = fixture('state-media.txt');
  const quotes = run(text, [
    { id: 'e1', name: 'Marco Anzelini', gender: 'male', descriptors: ['Argentine political analyst'], aliases: ['Anzelini'] },
    { id: 'e2', name: 'Nadia Haddad', gender: 'female', descriptors: ['Lebanese economist', 'a professor at the Cedar Institute'], aliases: ['Haddad'] },
    { id: 'e3', name: 'Meridian', type: 'organization' },
  ]);
  const expect = (needle: string, speaker: string | null, kind?: Quote['kind']) => {
    const q = quoteWith(quotes, needle);
    assert.equal(q.speaker.name, speaker, `speaker of ${JSON.stringify(needle)}`);
    if (kind) assert.equal(q.kind, kind, `kind of ${JSON.stringify(needle)}`);
    return q;
  };
  expect('the restrictions had turned into', 'Marco Anzelini', 'mixed');
  const he = expect('Europe is paying twice', 'Marco Anzelini', 'direct');
  assert.equal(he.speaker.mention?.text, 'he');
  assert.equal(he.addressee?.text, 'the Meridian agency');
  const pundit = expect('the bloc has already lost', 'Marco Anzelini', 'indirect');
  assert.equal(pundit.cue?.text, 'According to');
  expect('regional partners were looking elsewhere', 'Nadia Haddad', 'indirect');
  const she = expect('The Middle East remembers', 'Nadia Haddad', 'direct');
  assert.equal(she.parts.length, 2, 'the second quoted sentence joins the same quote');
  expect('trade in national currencies', 'Nadia Haddad');
  expect('the dollar was', 'Nadia Haddad', 'mixed');
  const group = quoteWith(quotes, 'never about human rights');
  assert.equal(group.speaker.type, 'group');
  assert.equal(group.speaker.resolved, false);
  expect('always about markets', 'Marco Anzelini', 'direct');
  expect('Western media had', 'Marco Anzelini', 'mixed');
  const lede = quoteWith(quotes, 'Sanctions imposed on Veldoria');
  assert.equal(lede.speaker.type, 'group');
});

test('wire copy: said that, told, parenthetical cue, according to, inverted cue', () => {
  const text = fixture('wire.txt');
  const quotes = run(text, [
    { id: 'e1', name: 'Elena Vasquez', gender: 'female', descriptors: ['Transport Minister'], aliases: ['Vasquez'] },
    { id: 'e2', name: 'Tom Ridley', gender: 'male', descriptors: ['an analyst at Northgate Capital'], aliases: ['Ridley'] },
    { id: 'e3', name: 'Joan Brandt', gender: 'female', descriptors: ['a city councillor'], aliases: ['Brandt'] },
    { id: 'e4', name: 'Transport Ministry', type: 'organization', aliases: ['ministry'] },
  ]);
  const headline = quoteWith(quotes, 'Harlow bridge will reopen');
  assert.equal(headline.speaker.name, 'Elena Vasquez', 'the headline "Minister" is the minister the body introduces');
  assert.equal(headline.speaker.mention?.text, 'Minister');

  const said = quoteWith(quotes, 'that the Harlow bridge would reopen');
  assert.equal(said.kind, 'indirect');
  assert.equal(said.cue?.text, 'said');
  assert.equal(said.speaker.name, 'Elena Vasquez');
  assert.ok(said.parts[0].text.startsWith('that '), 'content starts with the complementiser');
  assert.ok(!said.text.endsWith('.'), 'indirect content drops the final period');

  const told = quoteWith(quotes, 'We will not raise fares');
  assert.equal(told.kind, 'direct');
  assert.equal(told.parts[0].text, '"We will not raise fares this year,"');
  assert.equal(told.cue?.text, 'told');
  assert.equal(told.speaker.name, 'Elena Vasquez');

  const paren = quoteWith(quotes, 'The bridge');
  assert.deepEqual(paren.parts.map((p) => p.text), ['The bridge', 'will carry light traffic only until June']);
  assert.equal(paren.speaker.name, 'Elena Vasquez');

  const acc = quoteWith(quotes, 'Fares on the crossing');
  assert.equal(acc.cue?.text, 'according to');
  assert.equal(acc.speaker.type, 'organization');
  assert.equal(acc.speaker.name, 'Transport Ministry');

  const appos = quoteWith(quotes, 'the timetable was ambitious');
  assert.equal(appos.speaker.name, 'Tom Ridley');
  assert.equal(appos.source?.text, 'Tom Ridley, an analyst at Northgate Capital,');

  const inverted = quoteWith(quotes, 'The numbers do not add up');
  assert.equal(inverted.speaker.name, 'Joan Brandt');
  assert.equal(inverted.parts.length, 2);
  assert.ok(inverted.parts[1].text.includes('approach roads'));

  const ledger = quoteWith(quotes, 'the contractor had been warned');
  assert.equal(ledger.speaker.name, 'Tom Ridley');
  assert.equal(ledger.addressee?.text, 'the Ledger');
  assert.notEqual(ledger.speaker.name, 'Ledger');

  const statement = quoteWith(quotes, 'all inspections were complete');
  assert.equal(statement.speaker.type, 'organization');
});

test('multi-paragraph quote, colon lead-in, scare quotes, titles and an odd mark', () => {
  const text = fixture('multi-paragraph.txt');
  const quotes = run(text, [
    { id: 'e1', name: 'Joan Brandt', gender: 'female', aliases: ['Brandt'] },
    { id: 'e2', name: 'Ravi Solano', gender: 'male', aliases: ['Solano'] },
  ]);
  const multi = quoteWith(quotes, 'By then the pylons');
  assert.ok(multi.parts[0].text.startsWith('"The first warning'), 'the quote starts at the first paragraph');
  assert.equal(multi.kind, 'direct');
  assert.equal(multi.speaker.name, 'Joan Brandt');
  // No quote of its own for the scare-quoted word or the film title.
  assert.ok(!quotes.some((q) => q.text === '"efficiency"'));
  assert.ok(!quotes.some((q) => q.text.includes('Low Water') && q.kind === 'direct'));
  const scare = quoteWith(quotes, 'the cuts an');
  assert.equal(scare.kind, 'mixed');
  assert.equal(scare.speaker.type, 'group');
  // The unterminated mark is closed at its paragraph: the last quote is still found whole.
  const last = quoteWith(quotes, 'We were warned twice');
  assert.equal(last.speaker.name, 'Ravi Solano');
  assert.equal(last.parts.length, 2);
  assert.ok(!last.text.includes('Residents'));
});

test('pronoun with two candidates too close to call stays unresolved', () => {
  const text = 'Tom Ridley met Sam Okafor in Keldra on Monday.\n\n"The deal is dead," he said.';
  const quotes = run(text, [
    { id: 'e1', name: 'Tom Ridley', gender: 'male', aliases: ['Ridley'] },
    { id: 'e2', name: 'Sam Okafor', gender: 'male', aliases: ['Okafor'] },
  ]);
  const q = quoteWith(quotes, 'The deal is dead');
  // Ridley is the subject (first name in the sentence) and wins by the salience margin.
  assert.equal(q.speaker.name, 'Tom Ridley');
  const none = run('"The deal is dead," he said.');
  assert.equal(none[0].speaker.name, null);
  assert.equal(none[0].speaker.resolved, false);
  assert.equal(none[0].speaker.mention?.text, 'he');
});

test('quote marks: curly, straight, doubled apostrophes, guillemets, low-high; odd marks never throw', () => {
  const regions = (t: string) => findQuoteRegions(t, [{ start: 0, end: t.length }]).map((r) => t.slice(r.start, r.end));
  assert.deepEqual(regions('He said “yes, now” and left.'), ['“yes, now”']);
  assert.deepEqual(regions('He said "yes" and "no".'), ['"yes"', '"no"']);
  assert.deepEqual(regions("He said ``yes, now'' and left."), ["``yes, now''"]);
  assert.deepEqual(regions("He said ''yes, now'' and left."), ["''yes, now''"]);
  assert.deepEqual(regions('Il a dit « oui » hier.'), ['« oui »']);
  assert.deepEqual(regions('Er sagte „ja“ gestern.'), ['„ja“']);
  assert.deepEqual(regions('She is 6\'2" tall and said "fine".'), ['"fine"']);
  assert.deepEqual(regions("The residents’ view: ‘we were warned’ twice."), ['‘we were warned’']);
  assert.deepEqual(regions('“When he told me ‘the cables are fine,’ I believed him,” she said.'), ['“When he told me ‘the cables are fine,’ I believed him,”']);
  // An odd mark closes at its paragraph end and never swallows the next paragraph.
  const t = 'He said "it was fine.\n\nThen "we" left.';
  const r = findQuoteRegions(t, [{ start: 0, end: 21 }, { start: 23, end: t.length }]).map((x) => t.slice(x.start, x.end));
  assert.deepEqual(r, ['"it was fine.', '"we"']);
});

test('colon lead-in: the quote in the next paragraph belongs to the cue before the colon', () => {
  const text = fixture('multi-paragraph.txt');
  const quotes = run(text, [{ id: 'e2', name: 'Ravi Solano', gender: 'male', aliases: ['Solano'] }]);
  const q = quoteWith(quotes, 'Every week of delay');
  assert.equal(q.cue?.text, 'added');
  assert.equal(q.speaker.name, 'Ravi Solano');
  assert.equal(q.kind, 'direct');
  assert.equal(q.parts[0].text, '"Every week of delay costs us a planting season."');
});

test('with the real entities stage, the state-media article keeps every speaker', async () => {
  const { findEntities } = await import('../entities/index.ts');
  const text = fixture('state-media.txt');
  const { segments, tokens } = segment(text);
  const quotes = findQuotes({ text, segments, tokens, entities: findEntities(text, tokens), mode: MODE });
  const expected: [string, string | null][] = [
    ['the restrictions had turned into', 'Marco Anzelini'],
    ['Europe is paying twice', 'Marco Anzelini'],
    ['the bloc has already lost', 'Marco Anzelini'],
    ['regional partners were looking elsewhere', 'Nadia Haddad'],
    ['The Middle East remembers', 'Nadia Haddad'],
    ['trade in national currencies', 'Nadia Haddad'],
    ['always about markets', 'Marco Anzelini'],
  ];
  for (const [needle, speaker] of expected) assert.equal(quoteWith(quotes, needle).speaker.name, speaker, needle);
  assert.equal(quoteWith(quotes, 'never about human rights').speaker.type, 'group');
});

test('through the pipeline (clean → segment → entities → quotes) the layer is valid and attributed', async () => {
  const { analyzeText } = await import('../../pipeline.ts');
  const { entitiesStage } = await import('../entities/index.ts');
  const { quotesStage } = await import('./index.ts');
  const analysis = analyzeText(fixture('wire.txt'), {}, { stages: [entitiesStage, quotesStage] });
  assert.ok(!analysis.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(analysis.diagnostics));
  const quotes = analysis.quotes;
  const text = analysis.document.text;
  for (const q of quotes) assert.equal(text.slice(q.start, q.end), q.text);
  assert.equal(quoteWith(quotes, 'We will not raise fares').speaker.name, 'Elena Vasquez');
  assert.equal(quoteWith(quotes, 'the contractor had been warned').addressee?.text, 'the Ledger');
});

test('the project example (examples/expert-chain.txt): right speakers, no headline, participle or nested quotes', async () => {
  const { analyzeText } = await import('../../pipeline.ts');
  const { entitiesStage } = await import('../entities/index.ts');
  const { createQuotesStage } = await import('./index.ts');
  const raw = readFileSync(new URL('../../../examples/expert-chain.txt', import.meta.url), 'utf8');
  const analysis = analyzeText(raw, {}, { stages: [entitiesStage, createQuotesStage({ mode: MODE })] });
  const quotes = analysis.quotes;
  const expected: [string, string][] = [
    ['a blunt instrument dressed up as diplomacy', 'Luciano Anzelini'],
    ['Every previous package was sold', 'Luciano Anzelini'],
    ['Nobody in Brussels will ever pay', 'Luciano Anzelini'],
    ['the timing was no accident', 'Luciano Anzelini'],
    ['It is theatre', 'Luciano Anzelini'],
    ['preach free markets', 'Rania Haddad'],
    ['They lecture the whole world', 'Rania Haddad'],
    ['push buyers towards other suppliers', 'Rania Haddad'],
    ['the damage would outlast', 'Rania Haddad'],
    ['You cannot switch trust back on', 'Rania Haddad'],
    ['one step closer to open confrontation', 'Tomás Ibarra'],
    ['This is how wars begin', 'Tomás Ibarra'],
    ['he expected further escalation', 'Tomás Ibarra'],
  ];
  for (const [needle, speaker] of expected) assert.equal(quoteWith(quotes, needle).speaker.name, speaker, needle);
  const experts = quoteWith(quotes, 'will hurt ordinary people');
  assert.equal(experts.speaker.type, 'group');
  assert.equal(experts.source?.text, 'Latin American and Middle Eastern experts');
  // The headline reports a stance ("slam … as"), not speech; the participle modifies "round".
  assert.ok(!quotes.some((q) => q.parts.some((p) => p.text.includes('Economic Warfare'))), 'headline read as a quote');
  assert.ok(!quotes.some((q) => /announced/i.test(q.cue?.text ?? '')), 'participle "announced" read as a cue');
  assert.ok(!quotes.some((q) => !q.source && /\bbans\b/.test(q.cue?.text ?? '')), 'the outlet\'s "bans" read as a quote');
  // "privately" is no cue of its own.
  assert.ok(!quotes.some((q) => q.cue?.text === 'privately'));
  // No relation repeats its speaker inside another of the same speaker's quotes.
  for (const q of quotes) {
    const outer = quotes.find((o) => o !== q && q.cue && o.speaker.name === q.speaker.name && o.parts.some((p) => p.start <= q.cue!.start && q.cue!.end <= p.end));
    assert.equal(outer, undefined, `nested relation "${q.cue?.text}" inside "${outer?.text}"`);
  }
});

test('participles after a comma and stance verbs in headlines are not cues; speech verbs in headlines are', () => {
  const text =
    'Farmers Blast New Water Rules as Theft\n\nCouncil Says Water Rules Will Stay\n\nThe new water rules, approved in Velmora on Tuesday, limit wells to one per farm. Mayor Ines Korvath said the limit would be reviewed.\n';
  const quotes = run(text, [{ id: 'e1', name: 'Ines Korvath', aliases: ['Korvath'] }]);
  assert.ok(!quotes.some((q) => /Blast/.test(q.cue?.text ?? '')), 'stance verb in a headline read as a cue');
  assert.ok(!quotes.some((q) => /approved/.test(q.cue?.text ?? '')), 'participle read as a cue');
  assert.equal(quoteWith(quotes, 'the limit would be reviewed').speaker.name, 'Ines Korvath');
});

test('the outlet\'s own statements are not quotes: a participle that took its preposition, a sourceless unknown cue', () => {
  const text =
    'Farm Levy Row Deepens\n\nThe latest package of measures, unveiled in Velmora on Friday, bans the sale of grain silos and freezes the accounts of two rural lenders. Economist Hana Borel said the measures were "a tax on the harvest."\n';
  const quotes = run(text, [{ id: 'e1', name: 'Hana Borel', aliases: ['Borel'] }]);
  // "unveiled in" modifies "package"; "bans" is a verb of the outlet's sentence with nobody as its source.
  assert.ok(!quotes.some((q) => /unveiled/.test(q.cue?.text ?? '')), 'participle read as a cue');
  assert.ok(!quotes.some((q) => /\bbans\b/.test(q.cue?.text ?? '')), 'sourceless "bans" read as a cue');
  assert.equal(quotes.length, 1, quotes.map((q) => q.text).join(' | '));
  assert.equal(quoteWith(quotes, 'a tax on the harvest').speaker.name, 'Hana Borel');
});

test('an agency\'s "according to" around a speaker\'s own quotation gives the quotation its own cue and source', () => {
  const text = 'Tom Vale, the Keldran economy minister, met reporters on Tuesday.\n\n“We will cut the fuel tax by half,” Vale continued, according to Keldra Press.';
  const quotes = run(text, [
    { id: 'e1', name: 'Tom Vale', aliases: ['Vale'], descriptors: ['Keldran economy minister'] },
    { id: 'e2', name: 'Keldra Press', type: 'organization' },
  ]);
  const q = quoteWith(quotes, 'fuel tax');
  assert.equal(q.speaker.name, 'Tom Vale');
  assert.equal(q.cue?.text, 'continued');
  assert.equal(q.source?.text, 'Vale');
  assert.equal(q.text, '“We will cut the fuel tax by half,”');
  assert.equal(quotes.filter((x) => x.text.includes('fuel tax')).length, 1, 'one quote, not one per cue');
});
