/** Typed arrays ↔ base64 (little-endian), for compact JSON model files. */
export function encodeArray(a: Float32Array | Int32Array | Int8Array | Uint16Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function decodeBytes(s: string): Buffer {
  return Buffer.from(s, 'base64');
}

export function decodeFloat32(s: string): Float32Array {
  const b = decodeBytes(s);
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export function decodeInt32(s: string): Int32Array {
  const b = decodeBytes(s);
  const out = new Int32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export function decodeInt8(s: string): Int8Array {
  const b = decodeBytes(s);
  const out = new Int8Array(b.byteLength);
  new Uint8Array(out.buffer).set(b);
  return out;
}
