import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOrder, runStages } from './runner.ts';
import type { Stage } from './stage.ts';
import type { DocumentInfo } from './types.ts';
import { segment } from '../segment/index.ts';

const text = 'A short headline\n\nThe mayor said the bridge would reopen.';
const doc: DocumentInfo = { id: 'd1', title: null, url: null, outlet: null, byline: null, published: null, language: 'en', text };
const seg = segment(text);

const finder: Stage = {
  name: 'finder',
  requires: ['segments'],
  assigns: ['entities'],
  run: ({ text }) => {
    const start = text.indexOf('mayor');
    return { layers: { entities: [{ id: 'e1', type: 'person', name: 'mayor', descriptors: [], mentions: [{ start, end: start + 5, text: 'mayor', kind: 'description' }] }] }, model: 'finder@1' };
  },
};

test('layers from stages land in the analysis with their model version', () => {
  const a = runStages([finder], doc, seg.segments, seg.tokens);
  assert.equal(a.entities.length, 1);
  assert.equal(a.models.finder, 'finder@1');
  assert.deepEqual(a.diagnostics, []);
});

test('a stage that requires a missing layer is an ordering error', () => {
  const needsQuotes: Stage = { ...finder, name: 'x', requires: ['quotes'] };
  assert.throws(() => checkOrder([needsQuotes]), /requires 'quotes'/);
  assert.doesNotThrow(() => checkOrder([finder, { ...finder, name: 'y', requires: ['entities'] }]));
});

test('items with a wrong span are dropped with a diagnostic, the rest kept', () => {
  const liar: Stage = {
    name: 'liar',
    requires: ['segments'],
    assigns: ['quotes'],
    run: () => ({
      layers: {
        quotes: [
          { id: 'q1', start: 0, end: 5, text: 'A sho', kind: 'direct', parts: [], cue: null, speaker: { name: null, entity: null, mention: null, type: 'unknown', resolved: false } },
          { id: 'q2', start: 0, end: 5, text: 'wrong', kind: 'direct', parts: [], cue: null, speaker: { name: null, entity: null, mention: null, type: 'unknown', resolved: false } },
          { id: 'q3', start: 10, end: 9999, text: 'x', kind: 'direct', parts: [], cue: null, speaker: { name: null, entity: null, mention: null, type: 'unknown', resolved: false } },
        ],
      },
    }),
  };
  const a = runStages([liar], doc, seg.segments, seg.tokens);
  assert.deepEqual(a.quotes.map((q) => q.id), ['q1']);
  assert.equal(a.diagnostics.filter((d) => d.code === 'span-invalid').length, 2);
});

test('a failing stage becomes a diagnostic, not a crash', () => {
  const boom: Stage = { name: 'boom', requires: ['segments'], assigns: ['frames'], run: () => { throw new Error('weights missing'); } };
  const a = runStages([boom, finder], doc, seg.segments, seg.tokens);
  assert.deepEqual(a.frames, []);
  assert.equal(a.entities.length, 1, 'later stages still run');
  assert.equal(a.diagnostics[0]!.code, 'stage-failed');
  assert.match(a.diagnostics[0]!.message, /weights missing/);
});

test('a stage without a model for the language is skipped and says so', () => {
  const enOnly: Stage = { ...finder, languages: ['en'] };
  const a = runStages([enOnly], { ...doc, language: 'pl' }, seg.segments, seg.tokens);
  assert.deepEqual(a.entities, []);
  assert.equal(a.diagnostics[0]!.code, 'language-unsupported');
});
