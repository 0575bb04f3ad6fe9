import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Analysis } from '../document/types.ts';

/**
 * The Analysis as stored: the clean text lives once (in the articles table,
 * where full-text search indexes it), and every span's `text` that equals
 * `document.text.slice(start, end)` is replaced by the marker 0. Expanding
 * restores the exact Analysis. This roughly halves what a stored article costs,
 * since paragraphs, sentences and sections would each repeat the whole text.
 */

const MARK = 0;

function strip(value: unknown, text: string): unknown {
  if (Array.isArray(value)) return value.map((v) => strip(v, text));
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    const span = typeof o.start === 'number' && typeof o.end === 'number' && typeof o.text === 'string';
    for (const [k, v] of Object.entries(o)) {
      if (span && k === 'text' && text.slice(o.start as number, o.end as number) === v) out[k] = MARK;
      else out[k] = strip(v, text);
    }
    return out;
  }
  return value;
}

function restore(value: unknown, text: string): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restore(value[i], text);
    return value;
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (k === 'text' && v === MARK && typeof o.start === 'number' && typeof o.end === 'number') o[k] = text.slice(o.start, o.end);
      else if (v && typeof v === 'object') o[k] = restore(v, text);
    }
    return o;
  }
  return value;
}

/** JSON of the Analysis without the document text and without span texts that the offsets give back. */
export function compactAnalysis(a: Analysis): string {
  const text = a.document.text;
  const { document, ...rest } = a;
  const { text: _omit, ...doc } = document;
  return JSON.stringify({ ...(strip(rest, text) as object), document: doc });
}

/** The exact Analysis back from compactAnalysis's JSON and the text. */
export function expandAnalysis(json: string, text: string): Analysis {
  const o = JSON.parse(json) as Record<string, unknown> & { document: Record<string, unknown> };
  const { document, ...rest } = o;
  restore(rest, text);
  // Keep the contract's key order: schema, document, then the layers.
  const { schema, ...layers } = rest;
  return { schema, document: { ...document, text }, ...layers } as unknown as Analysis;
}

/**
 * What the articles table holds: compactAnalysis's JSON, deflated. Analysis
 * JSON is repetitive (keys, offsets), so this is about 7 times smaller again,
 * for well under a millisecond per article; every layer stays queryable
 * through its own table.
 */
export function packAnalysis(a: Analysis): Buffer {
  return deflateRawSync(compactAnalysis(a), { level: 6 });
}

export function unpackAnalysis(packed: Uint8Array, text: string): Analysis {
  return expandAnalysis(inflateRawSync(packed).toString('utf8'), text);
}
