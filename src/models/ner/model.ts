/**
 * The compact, read-only tagger model: pruned, quantised weights in an
 * open-addressing hash table (feature hash → row of NTAGS float weights).
 *
 * File format (gzip of): magic "UNER", u32 header length, JSON header
 * ({ version, featureVersion, tags, rows, scale, ... }), then `rows` u32
 * keys, `rows` u16 masks (bit t: tag t has a weight), then the int16
 * weights for the set bits, row by row (value × scale = weight).
 */
import { gzipSync } from 'node:zlib';
import { gunzipWhole } from '../../ml/gunzip.ts';
import { NTAGS, TAGS } from './tags.ts';
import { FEATURE_VERSION, Featurizer, MAX_FEATURES, PAD_L_INFO, PAD_R_INFO, left1Features, left2Features, right1Features, right2Features, selfFeatures, type WordInfo } from './features.ts';
import { best, type Scorer } from './perceptron.ts';

export interface ModelHeader {
  name: string;
  version: string;
  featureVersion: number;
  tags: string[];
  rows: number;
  scale: number;
  [k: string]: unknown;
}

export class NerModel implements Scorer {
  /**
   * Open-addressing table over the feature keys (4 bytes a slot, so the probes
   * of the many features that are not in the model stay in a small array);
   * rows[h] is the file row of slot h. A row's weights are sparse, as in the
   * file: bit t of masks[row] says tag t has one, the next of w from
   * rowStart[row] on (already × scale, as Float32).
   */
  private keys: Uint32Array;
  private rows: Int32Array;
  private masks: Uint16Array;
  private rowStart: Int32Array;
  private w: Float32Array;
  private mask: number;
  private fz = new Featurizer();
  private buf = new Uint32Array(MAX_FEATURES);
  private scores = new Float64Array(NTAGS);
  private tmp = new Float64Array(NTAGS);
  /** Tags the training data never had; never predicted. */
  private banned: number[];

  /**
   * From the file's arrays: row r has key keys[r]; bit t of masks[r] says tag t
   * has a weight, stored as the next value of `vals` (× header.scale).
   */
  constructor(readonly header: ModelHeader, keys: Uint32Array, masks: Uint16Array, vals: Int16Array) {
    let cap = 1;
    while (cap < keys.length * 1.6) cap <<= 1;
    this.keys = new Uint32Array(cap);
    this.rows = new Int32Array(cap);
    this.mask = cap - 1;
    this.masks = masks;
    this.fz.common = new Set((header.commonLower as string[] | undefined) ?? []);
    const seen = header.tagsSeen as string[] | undefined;
    this.banned = seen ? TAGS.flatMap((t, i) => (seen.includes(t) ? [] : [i])) : [];
    const scale = header.scale;
    const w = new Float32Array(vals.length);
    for (let v = 0; v < vals.length; v++) w[v] = vals[v] * scale;
    this.w = w;
    const rowStart = new Int32Array(keys.length);
    let v = 0;
    for (let r = 0; r < keys.length; r++) {
      rowStart[r] = v;
      let m = masks[r];
      while (m) {
        v++;
        m &= m - 1;
      }
    }
    this.rowStart = rowStart;
    const table = this.keys;
    const rows = this.rows;
    const mask = this.mask;
    for (let r = 0; r < keys.length; r++) {
      const key = keys[r];
      let h = key & mask;
      while (table[h] !== 0) h = (h + 1) & mask;
      table[h] = key;
      rows[h] = r;
    }
  }

  score(feats: Uint32Array, n: number, scores: Float64Array): void {
    const keys = this.keys;
    const mask = this.mask;
    const w = this.w;
    for (let j = 0; j < n; j++) {
      const f = feats[j];
      let h = f & mask;
      let k: number;
      while ((k = keys[h]) !== 0) {
        if (k === f) {
          const row = this.rows[h];
          const m = this.masks[row];
          let o = this.rowStart[row];
          if (m & 1) scores[0] += w[o++];
          if (m & 2) scores[1] += w[o++];
          if (m & 4) scores[2] += w[o++];
          if (m & 8) scores[3] += w[o++];
          if (m & 16) scores[4] += w[o++];
          if (m & 32) scores[5] += w[o++];
          if (m & 64) scores[6] += w[o++];
          if (m & 128) scores[7] += w[o++];
          if (m & 256) scores[8] += w[o++];
          break;
        }
        h = (h + 1) & mask;
      }
    }
  }

  /** Score vectors of a word's own features in the five positions (self, -1, +1, -2, +2), cached on the word. */
  private vectors(wi: WordInfo): Float32Array {
    if (wi.vecOwner === this && wi.vec) return wi.vec;
    const v = new Float32Array(5 * NTAGS);
    const buf = this.buf;
    const tmp = this.tmp;
    const groups = [selfFeatures, left1Features, right1Features, left2Features, right2Features];
    for (let g = 0; g < 5; g++) {
      tmp.fill(0);
      this.score(buf, groups[g](wi, buf, 0), tmp);
      for (let t = 0; t < NTAGS; t++) v[g * NTAGS + t] = tmp[t];
    }
    wi.vec = v;
    wi.vecOwner = this;
    return v;
  }

  /** BIO tags (as indices into TAGS) for one sentence of surface words. */
  tagIndices(words: readonly string[]): number[] {
    const n = words.length;
    if (n === 0) return [];
    const fz = this.fz;
    fz.load(words);
    const infos = fz.infos;
    const buf = this.buf;
    const scores = this.scores;
    const tags = new Array<number>(n);
    const padL = this.vectors(PAD_L_INFO);
    const padR = this.vectors(PAD_R_INFO);
    const T = NTAGS;
    let p1 = 9;
    let p2 = 9;
    const common = fz.common;
    for (let i = 0; i < n; i++) {
      const wi = infos[i];
      // Fast path: after O, a common lower-case word or a punctuation mark is O. (Checked on
      // eng.testa and wikigold held-out: the F1 does not move; it saves most of the probes.)
      if (p1 === 0 && !fz.capsSentence) {
        const c = wi.lowerStr.charCodeAt(0);
        if ((c >= 97 && c <= 122 && !wi.cap && common.has(wi.lowerStr)) || (!wi.letter && wi.lowerStr.length === 1 && c !== 36 && !(c >= 48 && c <= 57))) {
          tags[i] = 0;
          p2 = p1;
          p1 = 0;
          continue;
        }
      }
      const self = this.vectors(wi);
      const l1 = i > 0 ? this.vectors(infos[i - 1]) : padL;
      const r1 = i + 1 < n ? this.vectors(infos[i + 1]) : padR;
      const l2 = i > 1 ? this.vectors(infos[i - 2]) : padL;
      const r2 = i + 2 < n ? this.vectors(infos[i + 2]) : padR;
      for (let t = 0; t < T; t++) scores[t] = self[t] + l1[T + t] + r1[2 * T + t] + l2[3 * T + t] + r2[4 * T + t];
      let k = fz.contextFeatures(i, buf, 0);
      k = fz.dynamicFeatures(i, p1, p2, buf, k);
      this.score(buf, k, scores);
      for (const t of this.banned) scores[t] = -Infinity;
      const tag = best(scores, p1);
      tags[i] = tag;
      p2 = p1;
      p1 = tag;
    }
    return tags;
  }

  /** True when the training data writes `lower` (a lower-case word) mostly in lower case. */
  isCommonLower(lower: string): boolean {
    return this.fz.common.has(lower);
  }

  tag(words: readonly string[]): string[] {
    return this.tagIndices(words).map((t) => TAGS[t]);
  }

  /** Serialise, dropping weights below `minWeight` in magnitude and rows left empty. */
  static encode(header: { name: string; version: string; [k: string]: unknown }, keys: Uint32Array, weights: Float32Array, minWeight: number): Buffer {
    let max = 0;
    for (const v of weights) max = Math.max(max, Math.abs(v));
    const scale = max / 32767 || 1;
    const keep: number[] = [];
    const masks: number[] = [];
    const vals: number[] = [];
    for (let r = 0; r < keys.length; r++) {
      let m = 0;
      for (let t = 0; t < NTAGS; t++) {
        const v = weights[r * NTAGS + t];
        if (Math.abs(v) >= minWeight && Math.round(v / scale) !== 0) m |= 1 << t;
      }
      if (!m) continue;
      keep.push(keys[r]);
      masks.push(m);
      for (let t = 0; t < NTAGS; t++) if (m & (1 << t)) vals.push(Math.round(weights[r * NTAGS + t] / scale));
    }
    const full: ModelHeader = { ...header, featureVersion: FEATURE_VERSION, tags: [...TAGS], rows: keep.length, scale };
    const json = Buffer.from(JSON.stringify(full), 'utf8');
    const pre = Buffer.alloc(8);
    pre.write('UNER', 0, 'latin1');
    pre.writeUInt32LE(json.length, 4);
    const k = Buffer.from(new Uint32Array(keep).buffer);
    const ms = Buffer.from(new Uint16Array(masks).buffer);
    const vs = Buffer.from(new Int16Array(vals).buffer);
    return gzipSync(Buffer.concat([pre, json, k, ms, vs]), { level: 9 });
  }

  static decode(file: Buffer): NerModel {
    const buf = gunzipWhole(file);
    if (buf.toString('latin1', 0, 4) !== 'UNER') throw new Error('not an unspin NER model');
    const hl = buf.readUInt32LE(4);
    const header = JSON.parse(buf.toString('utf8', 8, 8 + hl)) as ModelHeader;
    if (header.featureVersion !== FEATURE_VERSION)
      throw new Error(`NER model was trained with features v${header.featureVersion}, code has v${FEATURE_VERSION}: retrain`);
    const rows = header.rows;
    let off = 8 + hl;
    const copy = (bytes: number) => {
      const b = new Uint8Array(bytes);
      b.set(buf.subarray(off, off + bytes));
      off += bytes;
      return b.buffer;
    };
    const keys = new Uint32Array(copy(rows * 4));
    const masks = new Uint16Array(copy(rows * 2));
    const nvals = (buf.length - off) / 2;
    const vals = new Int16Array(copy(nvals * 2));
    return new NerModel(header, keys, masks, vals);
  }
}
