import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segment } from '../../segment/index.ts';
import type { Entity } from '../../document/types.ts';
import { entitiesStage, findEntities, entityAt, personMentionsBefore, personsWithRole } from './index.ts';

// All names, places and organisations below are invented (or generic) for these tests.
const run = (text: string): Entity[] => findEntities(text, segment(text).tokens);
const person = (es: Entity[], name: string) => {
  const e = es.find((x) => x.type === 'person' && x.name === name);
  assert.ok(e, `no person "${name}" in ${JSON.stringify(es.map((x) => `${x.type}:${x.name}`))}`);
  return e;
};

test('premodifier chain: the role phrase before a name is a descriptor, not part of the name', () => {
  const text = 'Argentine political analyst Luciano Anzelini said the deal was dead.';
  const es = run(text);
  const e = person(es, 'Luciano Anzelini');
  assert.deepEqual(e.descriptors, ['Argentine political analyst']);
  assert.equal(e.descriptorSpans![0].text, text.slice(e.descriptorSpans![0].start, e.descriptorSpans![0].end));
  assert.ok(!es.some((x) => x.type === 'organization' && /Argentine|analyst/.test(x.name)));
});

test('apposition, copula and reverse apposition give descriptors', () => {
  const es = run(
    'Tomasz Wielgus, a professor at the University of Lanverro, called the vote a farce. ' +
      "The ministry's chief economist, Marta Quiroga, disagreed. Ilse Brandvik is a pollster.",
  );
  assert.deepEqual(person(es, 'Tomasz Wielgus').descriptors, ['professor at the University of Lanverro']);
  assert.deepEqual(person(es, 'Marta Quiroga').descriptors, ["ministry's chief economist"]);
  assert.deepEqual(person(es, 'Ilse Brandvik').descriptors, ['pollster']);
});

test('a surname after the full name is the same person, with kind "surname"', () => {
  const text = 'Veteran pundit Oskar Lindqvist spoke in Tallinn on Monday. Lindqvist said the sanctions had failed. Mr Lindqvist left early.';
  const es = run(text);
  const e = person(es, 'Oskar Lindqvist');
  assert.deepEqual(e.mentions.map((m) => [m.text, m.kind]), [
    ['Oskar Lindqvist', 'name'],
    ['Lindqvist', 'surname'],
    ['Lindqvist', 'surname'],
  ]);
  for (const m of e.mentions) assert.equal(text.slice(m.start, m.end), m.text);
  assert.equal(es.filter((x) => x.type === 'person').length, 1);
  assert.equal(e.gender, 'male');
});

test('two people sharing a surname stay apart; titles pick the right one', () => {
  const text = 'John Perrin and Mary Perrin run a bakery in Toulouse. Mr Perrin said he was tired. Ms Perrin said the bakery would stay open.';
  const es = run(text);
  const john = person(es, 'John Perrin');
  const mary = person(es, 'Mary Perrin');
  assert.notEqual(john.id, mary.id);
  const mr = text.indexOf('Mr Perrin') + 3;
  const ms = text.indexOf('Ms Perrin') + 3;
  assert.ok(john.mentions.some((m) => m.start === mr));
  assert.ok(mary.mentions.some((m) => m.start === ms));
  assert.equal(john.gender, 'male');
  assert.equal(mary.gender, 'female');
});

test('nationality and role words are never organisations; places and organisations are found', () => {
  const es = run(
    'Russian analyst Dmitri Volkov told RIA Novosti that NATO had ignored warnings. ' +
      'The Analyst said Russian and Ukrainian officials met in Istanbul with the United Nations.',
  );
  assert.ok(!es.some((e) => /^(Russian|Ukrainian|Analyst|analyst)$/i.test(e.name)), JSON.stringify(es.map((e) => e.name)));
  assert.deepEqual(person(es, 'Dmitri Volkov').descriptors, ['Russian analyst']);
  const orgs = es.filter((e) => e.type === 'organization').map((e) => e.name);
  assert.ok(orgs.includes('NATO'), orgs.join(', '));
  assert.ok(orgs.includes('United Nations'), orgs.join(', '));
  assert.ok(orgs.includes('RIA Novosti'), orgs.join(', '));
  assert.ok(es.some((e) => e.type === 'place' && e.name === 'Istanbul'));
});

test('an acronym joins its long form; gender stays unknown without evidence', () => {
  const es = run('The North Atlantic Treaty Organization met on Friday. NATO said little. Dr Kirr Vodanu spoke.');
  const nato = es.filter((e) => e.type === 'organization');
  assert.equal(nato.length, 1);
  assert.equal(nato[0].mentions.length, 2);
  const kv = es.find((e) => e.type === 'person');
  assert.ok(kv);
  assert.equal(kv.gender, 'unknown');
});

test('gender from a pronoun in the same sentence when nothing else tells', () => {
  const es = run('Kirr Vodanu said on Tuesday that she would appeal.');
  assert.equal(person(es, 'Kirr Vodanu').gender, 'female');
});

test('the stage assigns the entities layer and names its model', () => {
  const text = 'Analyst Jonas Pireaux said Belgium would wait.';
  const { segments, tokens } = segment(text);
  const out = entitiesStage.run({ text, language: 'en', segments, tokens, analysis: {} as never });
  const es = out.layers.entities as Entity[];
  assert.ok(es.some((e) => e.name === 'Jonas Pireaux'));
  assert.match(out.model ?? '', /^ner-en@/);
  assert.deepEqual(entitiesStage.requires, ['segments']);
  assert.deepEqual(entitiesStage.assigns, ['entities']);
});

test('helpers: mention lookup, mentions before an offset, persons by role', () => {
  const text = 'Political analyst Rhea Castellan met economist Piet Oomen. The analyst said the plan would fail.';
  const es = run(text);
  const at = entityAt(es, { start: text.indexOf('Piet'), end: text.indexOf('Piet') + 4 });
  assert.equal(at?.entity.name, 'Piet Oomen');
  const before = personMentionsBefore(es, text.indexOf('The analyst'));
  assert.deepEqual(before.map((r) => r.entity.name), ['Piet Oomen', 'Rhea Castellan']);
  const analysts = personsWithRole(es, 'analyst', text.indexOf('The analyst'));
  assert.deepEqual(analysts.map((e) => e.name), ['Rhea Castellan']);
});

test('a Title Case headline yields no entities from capitalised common words; names the body repeats stay', () => {
  const text = 'Pundits Slam New Tariff Rules as Santos Warns of Chaos\n\nTrade analyst Mirela Santos said on Friday that the new tariff rules would cause chaos at the border.';
  const { segments, tokens } = segment(text);
  const es = findEntities(text, tokens, segments);
  assert.deepEqual(
    es.map((e) => `${e.type}:${e.name}`),
    ['person:Mirela Santos'],
  );
  assert.equal(es[0].mentions.length, 2);
  assert.deepEqual(es[0].descriptors, ['Trade analyst']);
});

test('multi-word titles and abbreviated titles are descriptors; a name with an organisation head word is an organisation', () => {
  const es = run('Secretary of State Jana Olsson met the Halvorsen Foundation in Oslo. Sen. Mark Holloway said he opposed the deal.');
  assert.deepEqual(person(es, 'Jana Olsson').descriptors, ['Secretary of State']);
  assert.deepEqual(person(es, 'Mark Holloway').descriptors, ['Sen.']);
  assert.ok(es.some((e) => e.type === 'organization' && e.name === 'Halvorsen Foundation'), JSON.stringify(es.map((e) => `${e.type}:${e.name}`)));
});

test('a multi-word surname alone joins the full name; an apposition may name another person', () => {
  const es = run(
    'Chief executive Maarten van Dijkhuis said the company had lost money. Van Dijkhuis added that talks would resume. ' +
      'Orla Brennock, a spokeswoman for Piet Van Dijkhuis, declined to comment.',
  );
  const maarten = person(es, 'Maarten van Dijkhuis');
  assert.deepEqual(maarten.mentions.map((m) => [m.text, m.kind]), [
    ['Maarten van Dijkhuis', 'name'],
    ['Van Dijkhuis', 'surname'],
  ]);
  assert.notEqual(person(es, 'Piet Van Dijkhuis').id, maarten.id);
  const orla = person(es, 'Orla Brennock');
  assert.deepEqual(orla.descriptors, ['spokeswoman for Piet Van Dijkhuis']);
  assert.equal(orla.gender, 'female');
});

test('hyphenated adjectives are not entities, though they stay in a descriptor', () => {
  const es = run('Berlin-based political scientist Jana Hollmann said pro-Russian groups and Kremlin-backed outlets disagreed.');
  assert.deepEqual(person(es, 'Jana Hollmann').descriptors, ['Berlin-based political scientist']);
  assert.ok(!es.some((e) => /-(based|backed)$|^pro-/.test(e.name)), JSON.stringify(es.map((e) => e.name)));
});

test('German and Italian text use their own committed models', () => {
  const de = 'Die Ministerin Anke Vollmer sagte am Montag in Hamburg, die Regierung werde die Vorschläge prüfen.';
  const seg = segment(de);
  const out = entitiesStage.run({ text: de, language: 'de', segments: seg.segments, tokens: seg.tokens, analysis: {} as never });
  assert.match(out.model ?? '', /^ner-de@/);
  const es = out.layers.entities as Entity[];
  assert.ok(es.some((e) => e.type === 'person' && e.name === 'Anke Vollmer'), JSON.stringify(es.map((e) => `${e.type}:${e.name}`)));
  assert.ok(es.some((e) => e.type === 'place' && e.name === 'Hamburg'));
  const it = 'Il ministro Marco Bellandi ha detto a Milano che il governo valuterà le proposte. Bellandi ha criticato la Fiat.';
  const its = findEntities(it, segment(it).tokens, undefined, 'it');
  const bellandi = its.find((e) => e.name === 'Marco Bellandi');
  assert.ok(bellandi && bellandi.mentions.length === 2, JSON.stringify(its.map((e) => `${e.type}:${e.name}`)));
  assert.ok(its.some((e) => e.type === 'place' && e.name === 'Milano'));
});

test('a language without a model falls back to English with a diagnostic', () => {
  const text = 'Analyst Jonas Pireaux said Belgium would wait.';
  const seg = segment(text);
  const out = entitiesStage.run({ text, language: 'nl', segments: seg.segments, tokens: seg.tokens, analysis: {} as never });
  assert.match(out.model ?? '', /^ner-en@/);
  assert.equal(out.diagnostics?.[0]?.code, 'model-language');
});

test('a given name alone joins the full name with kind "other"', () => {
  const text = 'Economist Idris Valcourt spoke first. Idris later said the plan would fail. Valcourt left.';
  const e = person(run(text), 'Idris Valcourt');
  assert.deepEqual(e.mentions.map((m) => [m.text, m.kind]), [
    ['Idris Valcourt', 'name'],
    ['Idris', 'other'],
    ['Valcourt', 'surname'],
  ]);
});

test('a short form of an organisation ("the Gazette") joins the full name, in either order', () => {
  const es = run('The Gazette first reported the deal. A spokesman told the Marlow Gazette on Friday that talks had ended.');
  const orgs = es.filter((e) => e.type === 'organization');
  assert.equal(orgs.length, 1, JSON.stringify(orgs.map((e) => e.name)));
  assert.equal(orgs[0].name, 'Marlow Gazette');
  assert.equal(orgs[0].mentions.length, 2);
});

test('appositions: an age is skipped, a clause is not a descriptor', () => {
  const es = run('Leah Corvin, 41, a teacher at Brookfield School, disagreed. Jim Kessel, informing the correspondent, left.');
  assert.deepEqual(person(es, 'Leah Corvin').descriptors, ['teacher at Brookfield School']);
  assert.deepEqual(person(es, 'Jim Kessel').descriptors, []);
});

test('an initial with its dot stays inside the name; a middle initial or "Jr." does not make another person', () => {
  const es = run('Harold T. Wexcombe Jr. was mentioned first. Later, Harold Wexcombe was praised. Wexcombe left.');
  const people = es.filter((e) => e.type === 'person');
  assert.equal(people.length, 1, JSON.stringify(people.map((e) => e.name)));
  assert.equal(people[0].mentions[0].text, 'Harold T. Wexcombe');
  assert.equal(people[0].mentions.length, 3);
});

test('a Title Case first line with a full stop the metadata title lacks is still read as a headline; a capitalised verb before a given name cuts two names apart', () => {
  const title = 'Sarah Wendt Calls Tom Harlan ‘A Liar’ Over Dam Report';
  const text = `${title}.\n\nState senator Sarah Wendt said on Monday that Tom Harlan had lied about the dam.`;
  const { segments, tokens } = segment(text, { title });
  const es = findEntities(text, tokens, segments);
  assert.ok(!es.some((e) => /Calls/.test(e.name)), JSON.stringify(es.map((e) => e.name)));
  const wendt = person(es, 'Sarah Wendt');
  const harlan = person(es, 'Tom Harlan');
  assert.equal(wendt.mentions.length, 2);
  assert.equal(harlan.mentions.length, 2);
  assert.equal(wendt.gender, 'female');
});

test('a phrase after "Name," that runs on into its own verb is a new clause, not an apposition', () => {
  const es = run('Mayor Tom Harlan visited Jorge Almeida on Monday. At a briefing with Almeida, the mayor also said the dam was safe.');
  assert.deepEqual(person(es, 'Jorge Almeida').descriptors, []);
  assert.deepEqual(person(es, 'Tom Harlan').descriptors, ['Mayor']);
});

test('a surname with a particle met before the full name joins the person the full name introduces', () => {
  const text = 'De Vries says the dam is safe\n\nMayor Pieter de Vries said on Monday that the dam was safe. De Vries added that the pumps were new.';
  const { segments, tokens } = segment(text);
  const es = findEntities(text, tokens, segments);
  const p = person(es, 'Pieter de Vries');
  assert.equal(p.mentions.length, 3);
  assert.equal(es.filter((e) => e.type === 'person').length, 1, JSON.stringify(es.map((e) => `${e.type}:${e.name}`)));
});

test('a surname the text has used four times on its own is that person; a later full name with it is someone else', () => {
  const text =
    'President Harlan spoke in Keldra on Monday. Harlan praised the dam. Harlan then met the unions, and Harlan left at noon. ' +
    'Later, Mira Harlan opened a school in the north.';
  const es = run(text);
  const mira = person(es, 'Mira Harlan');
  assert.equal(mira.mentions.length, 1);
  assert.ok(es.some((e) => e.type === 'person' && e.name === 'Harlan' && e.mentions.length === 4), JSON.stringify(es.map((e) => `${e.name}:${e.mentions.length}`)));
});

test('a title or employer run into a full name the text gives elsewhere is cut off: the span is that person', () => {
  const envoy = run('John Harlan arrived in Keldra on Monday. U.S. Special Envoy John Harlan said the talks would go on.');
  assert.equal(person(envoy, 'John Harlan').mentions.length, 2);
  assert.ok(!envoy.some((e) => e.type === 'organization' && /Harlan/.test(e.name)));
  const colleague = run('Matt Wendt hosted the debate. Later, NBC News colleague Matt Wendt asked about taxes.');
  assert.equal(person(colleague, 'Matt Wendt').mentions.length, 2);
});
