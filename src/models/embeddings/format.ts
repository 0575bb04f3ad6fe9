/**
 * The compiled word-vector file (data/vectors.bin), little-endian:
 *
 *   "UWV1"                magic
 *   u32 size              number of words
 *   u32 dim               dimensions of each vector
 *   u32 nLevels           number of clusterings
 *   u32 × nLevels         clusters at each level (e.g. 64, 256, 1024)
 *   u32 wordBytes         length of the word list
 *   wordBytes             UTF-8 words, one per line, most frequent first
 *   (padding to 4 bytes)
 *   f32 × size            per-word scale: component = int8 × scale
 *   i8 × size·dim         unit-length vectors, quantised per word
 *   u16 × size·nLevels    cluster of each word at each level (word-major)
 *
 * Written by compile.ts, read by index.ts; both share these helpers.
 */
export const MAGIC = 'UWV1';

export interface VectorTable {
  words: string[];
  dim: number;
  levels: number[];
  scales: Float32Array;
  vectors: Int8Array;
  clusters: Uint16Array;
}

const pad4 = (n: number): number => (n + 3) & ~3;

export function encode(t: VectorTable): Buffer {
  const words = Buffer.from(t.words.join('\n'), 'utf8');
  const n = t.words.length;
  const head = 4 + 4 * 3 + 4 * t.levels.length + 4;
  const wordsEnd = pad4(head + words.length);
  const total = wordsEnd + 4 * n + n * t.dim + pad4(2 * n * t.levels.length);
  const out = Buffer.alloc(pad4(total));
  out.write(MAGIC, 0, 'latin1');
  let o = 4;
  out.writeUInt32LE(n, o); o += 4;
  out.writeUInt32LE(t.dim, o); o += 4;
  out.writeUInt32LE(t.levels.length, o); o += 4;
  for (const k of t.levels) { out.writeUInt32LE(k, o); o += 4; }
  out.writeUInt32LE(words.length, o); o += 4;
  words.copy(out, o);
  o = wordsEnd;
  Buffer.from(t.scales.buffer, t.scales.byteOffset, t.scales.byteLength).copy(out, o); o += 4 * n;
  Buffer.from(t.vectors.buffer, t.vectors.byteOffset, t.vectors.byteLength).copy(out, o); o += n * t.dim;
  o = pad4(o);
  Buffer.from(t.clusters.buffer, t.clusters.byteOffset, t.clusters.byteLength).copy(out, o);
  return out;
}

export function decode(buf: Buffer): VectorTable {
  if (buf.length < 20 || buf.toString('latin1', 0, 4) !== MAGIC) throw new Error('not a compiled word-vector file (bad magic)');
  let o = 4;
  const n = buf.readUInt32LE(o); o += 4;
  const dim = buf.readUInt32LE(o); o += 4;
  const nLevels = buf.readUInt32LE(o); o += 4;
  const levels: number[] = [];
  for (let i = 0; i < nLevels; i++) { levels.push(buf.readUInt32LE(o)); o += 4; }
  const wordBytes = buf.readUInt32LE(o); o += 4;
  const words = buf.toString('utf8', o, o + wordBytes).split('\n');
  if (words.length !== n) throw new Error(`word-vector file holds ${words.length} words, header says ${n}`);
  o = pad4(o + wordBytes);
  // Copy into aligned typed arrays (the Buffer may share a pool at any offset).
  const scales = new Float32Array(n);
  new Uint8Array(scales.buffer).set(buf.subarray(o, o + 4 * n)); o += 4 * n;
  const vectors = new Int8Array(n * dim);
  new Uint8Array(vectors.buffer).set(buf.subarray(o, o + n * dim)); o += n * dim;
  o = pad4(o);
  const clusters = new Uint16Array(n * nLevels);
  new Uint8Array(clusters.buffer).set(buf.subarray(o, o + 2 * n * nLevels));
  if (o + 2 * n * nLevels > buf.length) throw new Error('word-vector file is truncated');
  return { words, dim, levels, scales, vectors, clusters };
}
