import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Quote } from '../../document/types.ts';
import { segment } from '../../segment/index.ts';
import { entities, quoteWith, type Spec } from './fixtures.ts';
import { extract, findQuotes } from './index.ts';
import { resolveSpeakers } from './speakers.ts';
import type { Draft } from './extract.ts';

// Speaker resolution rules added in session 5 (issue #3), each on invented text.

function run(text: string, specs: Spec[]): Quote[] {
  const { segments, tokens } = segment(text);
  return findQuotes({ text, segments, tokens, entities: entities(text, specs) });
}

test('a name inside a fronted phrase is not the subject a later "she" goes back to', () => {
  const text = 'In the weeks since Harvest Day, Mara Quell has toured four river towns.\n\n"We are ready for the vote," she said.';
  // The entities layer may mistype a holiday as a person of unknown gender; it must still not win.
  const q = quoteWith(run(text, [{ id: 'e1', name: 'Harvest Day' }, { id: 'e2', name: 'Mara Quell', gender: 'female', aliases: ['Quell'] }]), 'ready for the vote');
  assert.equal(q.speaker.name, 'Mara Quell');
  assert.equal(q.speaker.mention?.text, 'she');
});

test('a possessor and a name modifying a noun are not subjects: "he" goes to the envoy', () => {
  const text = 'On Saturday, Odo Varga’s climate envoy, Lin Marsh, signed the pact in Keldra.\n\nOther Varga farm rules were already in place.\n\n"This is a turning point," he said.';
  const q = quoteWith(run(text, [{ id: 'e1', name: 'Odo Varga', gender: 'male', aliases: ['Varga'] }, { id: 'e2', name: 'Lin Marsh', gender: 'male', aliases: ['Marsh'] }]), 'turning point');
  assert.equal(q.speaker.name, 'Lin Marsh');
});

test('a name followed by an irregular past-tense verb stays the subject', () => {
  const text = 'Mara Quell met Ines Dorr in Keldra on Monday.\n\n"We agreed on nothing," she said.';
  const q = quoteWith(run(text, [{ id: 'e1', name: 'Mara Quell', gender: 'female', aliases: ['Quell'] }, { id: 'e2', name: 'Ines Dorr', gender: 'female', aliases: ['Dorr'] }]), 'agreed on nothing');
  assert.equal(q.speaker.name, 'Mara Quell');
});

test('a description followed by the name it describes resolves to that name', () => {
  const text = 'The city’s housing chief, Dara Pell, said the plan would fail.';
  const q = quoteWith(run(text, [{ id: 'e1', name: 'Dara Pell', gender: 'female' }]), 'the plan would fail');
  assert.equal(q.speaker.name, 'Dara Pell');
  assert.equal(q.speaker.resolved, true);
});

test('the owner of a report is its source', () => {
  const text = 'Water use rose by a third, according to Harbourline’s annual report.';
  const q = quoteWith(run(text, [{ id: 'e1', name: 'Harbourline', type: 'organization' }]), 'Water use rose');
  assert.equal(q.speaker.name, 'Harbourline');
  assert.equal(q.speaker.type, 'organization');
});

/** resolveSpeakers on one hand-made draft whose source is `source` and content `content`. */
function resolveDraft(text: string, specs: Spec[], source: string, content: string): ReturnType<typeof resolveSpeakers>[number] {
  const { segments, tokens } = segment(text);
  const ex = extract({ text, paragraphs: segments.paragraphs, sentences: segments.sentences, tokens });
  const s = text.indexOf(source);
  const c = text.indexOf(content);
  const unit = ex.units.findIndex((u) => u.start <= s && s < u.end);
  const draft: Draft = { unit, cue: null, cueText: 'told', source: { start: s, end: s + source.length }, parts: [{ start: c, end: c + content.length }], addressee: null, sameSourceAs: null, contentAfter: true };
  return resolveSpeakers({ text, units: ex.units, drafts: [draft], entities: entities(text, specs), regions: ex.regions })[0];
}

test('a role phrase in apposition to a name: the name speaks, not the organisation of the role', () => {
  const text = 'Nell Ambrose, the deputy director of the Corvale Water Council, told reporters that the reservoirs were low.';
  const sp = resolveDraft(text, [{ id: 'e1', name: 'Nell Ambrose', gender: 'female' }, { id: 'e2', name: 'Corvale Water Council', type: 'organization' }], 'the deputy director of the Corvale Water Council', 'the reservoirs were low');
  assert.equal(sp.name, 'Nell Ambrose');
  // Without a name beside it, the organisation stays the speaker ("a spokesman for the Council").
  const alone = 'The deputy director of the Corvale Water Council told reporters that the reservoirs were low.';
  const sp2 = resolveDraft(alone, [{ id: 'e2', name: 'Corvale Water Council', type: 'organization' }], 'The deputy director of the Corvale Water Council', 'the reservoirs were low');
  assert.equal(sp2.name, 'Corvale Water Council');
});

test('a pronoun inside another speaker’s quotation is left unresolved', () => {
  const text = 'Tom Vale chaired the meeting on Friday.\n\n“He told us the bridge will open in May, but nobody believes it,” Ana Reyes said.';
  const sp = resolveDraft(text, [{ id: 'e1', name: 'Tom Vale', gender: 'male' }, { id: 'e2', name: 'Ana Reyes', gender: 'female' }], 'He', 'the bridge will open in May');
  assert.equal(sp.name, null);
  assert.equal(sp.resolved, false);
  assert.equal(sp.mention?.text, 'He');
});

test('coordinated names speak together: a group, not the first of them', () => {
  const text = 'Odo Varga and Sam Okafor said the pact would hold through the winter.';
  const q = quoteWith(run(text, [{ id: 'e1', name: 'Odo Varga', gender: 'male' }, { id: 'e2', name: 'Sam Okafor', gender: 'male' }]), 'the pact would hold');
  assert.equal(q.speaker.type, 'group');
  assert.equal(q.speaker.entity, null);
  assert.equal(q.speaker.resolved, false);
});

test('a name after a subject pronoun is not the subject: "She says Dorr …" keeps "she" on the speaker', () => {
  const text = 'Mara Quell spoke at a rally in Keldra on Monday.\n\nShe says Kim Dorr has never paid the river tax.\n\nShe adds, "What kind of mayor hides the figures?"';
  // Dorr's gender is unknown, so "she" could be either woman; the subject is what decides.
  const q = quoteWith(run(text, [{ id: 'e1', name: 'Mara Quell', gender: 'female', aliases: ['Quell'] }, { id: 'e2', name: 'Kim Dorr', aliases: ['Dorr'] }]), 'hides the figures');
  assert.equal(q.speaker.name, 'Mara Quell');
});

test('a description between commas right after a name (party tag allowed) is that name', () => {
  const text = 'Roy Vance (D), Ward’s opponent in the race, called for the videos to be released.';
  const sp = resolveDraft(text, [{ id: 'e1', name: 'Roy Vance', gender: 'male' }, { id: 'e2', name: 'Ward', gender: 'male' }], 'Ward’s opponent in the race,', 'the videos to be released');
  assert.equal(sp.name, 'Roy Vance');
});

test('"the agency" finds an organisation whose written-out name has that noun', () => {
  const text = 'The International Grain Agency (IGA) cut its forecast on Monday.\n\nThe harvest will be smaller than feared, the agency said.';
  const q = quoteWith(run(text, [{ id: 'e1', name: 'IGA', type: 'organization', aliases: ['International Grain Agency'] }]), 'smaller than feared');
  assert.equal(q.speaker.name, 'IGA');
  assert.equal(q.speaker.resolved, true);
});

test('a name that modifies a noun of the source phrase is not the speaker', () => {
  const specs: Spec[] = [{ id: 'e1', name: 'Odo Varga', gender: 'male', aliases: ['Varga'] }, { id: 'e2', name: 'Ines Dorr', gender: 'female' }, { id: 'e3', name: 'Mara Quell', gender: 'female', aliases: ['Quell'] }];
  const official = quoteWith(run('Odo Varga toured the port on Monday.\n\nA senior Varga administration official said the talks had stalled.', specs), 'the talks had stalled');
  assert.equal(official.speaker.entity, null);
  assert.equal(official.speaker.resolved, false);
  const spokeswoman = quoteWith(run('Mara Quell toured the port on Monday.\n\nQuell spokeswoman Ines Dorr said the figures were wrong.', specs), 'the figures were wrong');
  assert.equal(spokeswoman.speaker.name, 'Ines Dorr');
});

test('a spokesperson for a named person is not that person; a title with "of" still names its holder', () => {
  const specs: Spec[] = [{ id: 'e1', name: 'Mara Quell', gender: 'female', aliases: ['Quell'] }, { id: 'e2', name: 'Ines Dorr', gender: 'female', aliases: ['Dorr'] }];
  const spokes = quoteWith(run('Mara Quell skipped the summit.\n\nA spokesperson for Quell confirmed the photograph was fake.', specs), 'the photograph was fake');
  assert.equal(spokes.speaker.entity, null);
  assert.equal(spokes.speaker.resolved, false);
  const title = quoteWith(run('Secretary of State Ines Dorr said the border would stay open.', specs), 'the border would stay open');
  assert.equal(title.speaker.name, 'Ines Dorr');
});

test('an indefinite description introduces someone new; a number after a name does not make it a modifier', () => {
  const specs: Spec[] = [{ id: 'e1', name: 'Ines Dorr', gender: 'female', aliases: ['Dorr'] }, { id: 'e2', name: 'Mara Quell', gender: 'female', aliases: ['Quell'] }, { id: 'e3', name: 'Odo Varga', gender: 'male', aliases: ['Varga'] }];
  const text = 'Ines Dorr, a spokeswoman for the harbour board, said the cranes were idle.\n\nA spokeswoman for Mara Quell said the visit was cancelled.';
  const q = quoteWith(run(text, specs), 'the visit was cancelled');
  assert.equal(q.speaker.entity, null, 'not the earlier spokeswoman');
  const years = 'Odo Varga three years ago admitted that the dam had leaked.';
  const before = 'Sam Okafor met the council on Monday.\n\n' + years + '\n\n"We fixed it," he said.';
  const r = quoteWith(run(before, [...specs, { id: 'e4', name: 'Sam Okafor', gender: 'male', aliases: ['Okafor'] }]), 'We fixed it');
  assert.equal(r.speaker.name, 'Odo Varga');
});

// Session 6 (issue #3, round 6): each rule on invented text; each assertion fails without its rule.

/** resolveSpeakers on hand-made drafts: [source, content, cue] in text order (cue defaults to none). */
function resolveDrafts(text: string, specs: Spec[], items: [string, string, string?][]): ReturnType<typeof resolveSpeakers> {
  const { segments, tokens } = segment(text);
  const ex = extract({ text, paragraphs: segments.paragraphs, sentences: segments.sentences, tokens });
  const drafts: Draft[] = items.map(([source, content, cue]) => {
    const s = text.indexOf(source);
    const c = text.indexOf(content);
    const k = cue ? text.indexOf(cue) : -1;
    const unit = ex.units.findIndex((u) => u.start <= s && s < u.end);
    return { unit, cue: k >= 0 ? { start: k, end: k + cue!.length } : null, cueText: cue ?? 'told', source: { start: s, end: s + source.length }, parts: [{ start: c, end: c + content.length }], addressee: null, sameSourceAs: null, contentAfter: false };
  });
  return resolveSpeakers({ text, units: ex.units, drafts, entities: entities(text, specs), regions: ex.regions });
}

test('"the leader", "the head" stand for a President, a Prime Minister or an editor-in-chief; a director never for a President', () => {
  const varga: Spec = { id: 'e1', name: 'Odo Varga', gender: 'male', descriptors: ['Keldra’s President'], aliases: ['Varga'] };
  const leader = quoteWith(run('Keldra’s President Odo Varga flew to Northgate on Monday.\n\n“Our doors are open,” the Keldran leader said.', [varga]), 'Our doors are open');
  assert.equal(leader.speaker.name, 'Odo Varga');
  const pm = quoteWith(run('Prime Minister Lin Marsh met the unions on Friday.\n\n“The strike must end,” the leader said.', [{ id: 'e1', name: 'Lin Marsh', gender: 'female', descriptors: ['Prime Minister'] }]), 'strike must end');
  assert.equal(pm.speaker.name, 'Lin Marsh');
  const editor = quoteWith(
    run('Ines Dorr, the editor-in-chief of the Keldra Ledger, was fired on Monday.\n\n“We printed the truth,” the head of the paper said.', [{ id: 'e1', name: 'Ines Dorr', gender: 'female', descriptors: ['editor-in-chief of the Keldra Ledger'] }]),
    'printed the truth',
  );
  assert.equal(editor.speaker.name, 'Ines Dorr');
  const director = quoteWith(run('President Odo Varga opened the dam on Monday.\n\n“It will leak within a year,” the director said.', [{ ...varga, descriptors: ['President'] }]), 'leak within a year');
  assert.equal(director.speaker.entity, null, 'two specific titles do not stand for each other');
});

test('"…,” Vale continued, according to Keldra Press": the person with his own speech verb speaks, not the agency', () => {
  const text = 'Tom Vale, the Keldran economy minister, met reporters on Tuesday.\n\n“We will cut the fuel tax by half,” Vale continued, according to Keldra Press.';
  const specs: Spec[] = [{ id: 'e1', name: 'Tom Vale', gender: 'male', aliases: ['Vale'] }, { id: 'e2', name: 'Keldra Press', type: 'organization' }];
  const [sp] = resolveDrafts(text, specs, [['Keldra Press', '“We will cut the fuel tax by half,” Vale continued', 'according to']]);
  assert.equal(sp.name, 'Tom Vale');
  // Through the stage: no quotation of this sentence is left with the agency as its speaker.
  const quotes = run(text, specs).filter((q) => q.parts.some((p) => p.text.includes('fuel tax')));
  assert.ok(quotes.length > 0);
  for (const q of quotes) assert.equal(q.speaker.name, 'Tom Vale');
});

test('a state premodifier agrees with the place named beside the person; an age matches "Name, 40,"', () => {
  const specs: Spec[] = [
    { id: 'e1', name: 'Ann Roe', gender: 'female', descriptors: ['Senator'] },
    { id: 'e2', name: 'Tim Bell', gender: 'male', descriptors: ['Senator'] },
    { id: 'e3', name: 'Ohio', type: 'place' },
    { id: 'e4', name: 'Utah', type: 'place' },
  ];
  const text = 'Senator Ann Roe of Ohio and Senator Tim Bell of Utah voted against the bill on Friday.\n\n“This bill is a gift to the banks,” the Ohio senator said.\n\n“It will not pass,” the Utah senator said.';
  const quotes = run(text, specs);
  assert.equal(quoteWith(quotes, 'gift to the banks').speaker.name, 'Ann Roe');
  assert.equal(quoteWith(quotes, 'will not pass').speaker.name, 'Tim Bell');
  const age = 'Tom Vale, 40, was arrested on Monday. The police also questioned Sam Okafor, 52.\n\n“I did nothing wrong,” the 40-year-old said.';
  const q = quoteWith(run(age, [{ id: 'e1', name: 'Tom Vale', gender: 'male' }, { id: 'e2', name: 'Sam Okafor', gender: 'male' }]), 'did nothing wrong');
  assert.equal(q.speaker.name, 'Tom Vale');
});

test('document anaphora: "The study found" goes back to the author of "The Harbourline report shows"', () => {
  const text = 'The Harbourline report shows that water use rose by a third.\n\nThe study found that most of it was lost to leaks.';
  const [, study] = resolveDrafts(text, [{ id: 'e1', name: 'Harbourline', type: 'organization' }], [['The Harbourline report', 'that water use rose by a third'], ['The study', 'that most of it was lost']]);
  assert.equal(study.name, 'Harbourline');
  assert.equal(study.mention?.text, 'The study');
  // The court a filing was lodged in did not write it.
  const filed = 'The filing in the Keldra Court shows that the fence was cut.\n\nThe document found that the guards were asleep.';
  const [, doc] = resolveDrafts(filed, [{ id: 'e1', name: 'Keldra Court', type: 'organization' }], [['The filing in the Keldra Court', 'that the fence was cut'], ['The document', 'that the guards were asleep']]);
  assert.equal(doc.entity, null);
});

test('a name followed by a noun of the same source phrase modifies it; a description before ", Title Name," is that name', () => {
  // The entities layer may type a field ("Keldra" of "Keldra developers") as a person.
  const [group] = resolveDrafts('Scientists and Keldra developers praised the new model at the summit.', [{ id: 'e1', name: 'Keldra' }], [['Scientists and Keldra developers', 'the new model']]);
  assert.equal(group.entity, null);
  const text = 'Ward’s rival in the race, former Governor Roy Vance, said the count was rigged.';
  const [rival] = resolveDrafts(text, [{ id: 'e1', name: 'Roy Vance', gender: 'male' }, { id: 'e2', name: 'Ward', gender: 'male' }], [['Ward’s rival in the race, former Governor Roy Vance,', 'the count was rigged']]);
  assert.equal(rival.name, 'Roy Vance');
  // Not a name that a participle phrase brings in (the layer may type a journal as a person).
  const study = 'Their study, published in Keldra Review, claims the dam is safe.';
  const [journal] = resolveDrafts(study, [{ id: 'e1', name: 'Keldra Review' }], [['Their study, published in Keldra Review,', 'the dam is safe']]);
  assert.equal(journal.entity, null);
});

test('a name inside another speaker’s quotation earns no salience as a speaker for a later "she"', () => {
  const text =
    'Ada Holt says she will win Keldra.\n\n“The Holt campaign is in panic,” said Lena Moss, a union organiser.\n\nThe campaign took the river towns for granted, the union says.\n\n“They thought Sam Okafor and Ada Holt would do it,” she said.';
  const specs: Spec[] = [{ id: 'e1', name: 'Ada Holt', gender: 'female', aliases: ['Holt'] }, { id: 'e2', name: 'Lena Moss', gender: 'female' }, { id: 'e3', name: 'Sam Okafor', gender: 'male' }];
  const q = quoteWith(run(text, specs), 'would do it');
  assert.equal(q.speaker.name, 'Lena Moss');
});

test('a name after a possessive determiner is inside a noun phrase, not a subject a later "she" goes back to', () => {
  // The entities layer may type a platform as a person of unknown gender.
  const text = 'Rimma Vale lost her flat in the shelling.\n\nHer Clipster clips show her in a basement.\n\nShe said the jokes no longer felt funny.';
  const specs: Spec[] = [{ id: 'e1', name: 'Rimma Vale', gender: 'female' }, { id: 'e2', name: 'Clipster' }];
  const [sp] = resolveDrafts(text, specs, [['She', 'the jokes no longer felt funny']]);
  assert.equal(sp.name, 'Rimma Vale');
});

test('"the Keldran ambassador to the UN" is the ambassador the text introduced, not the UN; "Name isn’t" is a subject, not a noun modifier', () => {
  const text = 'Ivo Marek, Keldra’s ambassador to the UN, spoke on Monday.\n\n“We will veto it,” the Keldran ambassador to the UN said.';
  const specs: Spec[] = [{ id: 'e1', name: 'Ivo Marek', gender: 'male', descriptors: ['Keldra’s ambassador to the UN'] }, { id: 'e2', name: 'UN', type: 'organization' }];
  const [sp] = resolveDrafts(text, specs, [['the Keldran ambassador to the UN', '“We will veto it,”']]);
  assert.equal(sp.name, 'Ivo Marek');
  const contraction = 'Attorney General Ivo Marek isn’t saying whether the inquiry is open.';
  const [ag] = resolveDrafts(contraction, [{ id: 'e1', name: 'Ivo Marek', gender: 'male' }], [['Attorney General Ivo Marek', 'whether the inquiry is open']]);
  assert.equal(ag.name, 'Ivo Marek');
});

test('"advisers to Quell" are not Quell: a plural role noun before "to"/"for" serves the name after it', () => {
  const text = 'Mara Quell toured the port on Monday.\n\nBut advisers to Mara Quell say the visit changed nothing.';
  const [sp] = resolveDrafts(text, [{ id: 'e1', name: 'Mara Quell', gender: 'female' }], [['advisers to Mara Quell', 'the visit changed nothing']]);
  assert.equal(sp.entity, null);
});
