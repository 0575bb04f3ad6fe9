import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromHtml, fromText, isIngestError, decodeBytes } from '../../src/article/index.ts';
import { analyzeText, analyze } from '../../src/pipeline.ts';
import { analysisProblems } from './helpers.ts';

/**
 * Property-based: whatever string reaches the pipeline, analyze returns (never
 * throws) and every span it returns is valid. Runs are kept small for npm test;
 * RELIABILITY_RUNS=2000 runs more. fast-check prints the seed and the
 * shrunk counter-example of any failure.
 */
const RUNS = Number(process.env.RELIABILITY_RUNS ?? 80);

// Pieces that stress the tokenizer, sentence splitter, quote finder and cleaner.
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('Brevik', 'said', 'the expert', 'he', 'Halvard Quist', 'Dr.', 'U.S.', 'e.g.', '3.5', '1,000', 'tolls', 'deal', 'shameful', 'A', 'I') },
  { weight: 4, arbitrary: fc.constantFrom(' ', ' ', '\n', '\n\n', '\r\n', '\t', '\u00a0', '\u2028', '\u200b', '\u200f', '\u202e', '\ufeff') },
  { weight: 4, arbitrary: fc.constantFrom('"', '“', '”', '«', '»', "'", '‘', '’', '„', '.', '!', '?', '…', ',', ';', ':', '—', '-', '(', ')', '[', ']') },
  { weight: 2, arbitrary: fc.constantFrom('😡', '👨‍👩‍👧', '🇳🇴', '𝐁', '𠜎', 'é', 'e\u0301', 'ﬁ', 'İ', 'ß', 'ǅ', 'قال', 'אמר', 'Путин', '中文', '\ud800', '\udfff', '\u0000', '\u0007', '\u001b') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);
const prosey = fc.array(piece, { maxLength: 120 }).map((xs) => xs.join(''));
const anyUnicode = fc.string({ unit: 'binary', maxLength: 600 });

function checkText(raw: string) {
  const a = analyzeText(raw);
  assert.deepEqual(analysisProblems(a), []);
}

test('property: analyze never throws and every span is valid, for arbitrary unicode strings', { timeout: 120_000 }, () => {
  fc.assert(fc.property(anyUnicode, checkText), { numRuns: RUNS });
});

test('property: analyze never throws and every span is valid, for prose-like strings of quotes, names and odd white space', { timeout: 120_000 }, () => {
  fc.assert(fc.property(prosey, checkText), { numRuns: RUNS });
});

test('property: analyze with a title that may or may not open the body keeps every span valid', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(prosey, prosey, fc.boolean(), (title, body, repeat) => {
      const a = analyzeText(repeat ? `${title}\n${title}\n\n${body}` : body, { title: title || null });
      assert.deepEqual(analysisProblems(a), []);
    }),
    { numRuns: RUNS },
  );
});

const tag = fc.constantFrom(
  '<p>', '</p>', '<div>', '</div>', '<b>', '</b>', '<i>', '<br>', '<br/>', '<h1>', '</h1>', '<h2 class="x">', '<blockquote>', '</blockquote>',
  '<script>', '</script>', '<style>', '</style>', '<!--', '-->', '<![CDATA[', ']]>', '<', '>', '</', '&amp;', '&nbsp;', '&#x1F621;', '&#0;', '&bogus;',
  '<a href="', '">', '<img src=x onerror=alert(1)>', '<meta charset="utf-16">', '<title>', '</title>', '<html lang="xx">', '<body>', '</body>', '<table><tr><td>', '<nav>', '</nav>',
  '<article>', '</article>', '<svg><foreignObject>', '<math>', '<template>', '<noscript>', '<iframe srcdoc="<p>x</p>">', '<!doctype html>',
);
const htmlish = fc.array(fc.oneof({ weight: 3, arbitrary: tag }, { weight: 4, arbitrary: piece }), { maxLength: 150 }).map((xs) => xs.join(''));

test('property: HTML-ish strings → fromHtml gives an Article or a clear IngestError; analyze never throws', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(htmlish, (html) => {
      let article;
      try {
        article = fromHtml(html);
      } catch (err) {
        assert.ok(isIngestError(err), `fromHtml threw a plain ${(err as Error)?.name}: ${(err as Error)?.message}`);
        return;
      }
      const a = analyze(article);
      assert.deepEqual(analysisProblems(a), []);
    }),
    { numRuns: RUNS },
  );
});

test('property: arbitrary bytes → decode then analyze, or a clear IngestError', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 800 }), (bytes) => {
      let article;
      try {
        const { text } = decodeBytes(Buffer.from(bytes));
        article = fromText(text);
      } catch (err) {
        assert.ok(isIngestError(err), `a plain ${(err as Error)?.name}: ${(err as Error)?.message}`);
        return;
      }
      assert.deepEqual(analysisProblems(analyze(article)), []);
    }),
    { numRuns: RUNS },
  );
});
