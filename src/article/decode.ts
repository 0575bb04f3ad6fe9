import iconv from 'iconv-lite';
import { IngestError } from './errors.ts';

/** Default cap on bytes read from a file, stdin or a URL (decoded bytes for compressed bodies). */
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

export interface DecodedText {
  text: string;
  /** The encoding that was used, as a lower-case label ('utf-8', 'windows-1252', 'utf-16le', …). */
  encoding: string;
  /** Where the encoding came from. */
  from: 'bom' | 'header' | 'meta' | 'valid-utf8' | 'fallback';
}

/** Magic numbers of common binary formats, checked on the first bytes. */
const MAGIC: { name: string; bytes: number[] }[] = [
  { name: 'PDF', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { name: 'ZIP', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'ZIP', bytes: [0x50, 0x4b, 0x05, 0x06] },
  { name: 'PNG', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { name: 'JPEG', bytes: [0xff, 0xd8, 0xff] },
  { name: 'GIF', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'gzip', bytes: [0x1f, 0x8b] },
  { name: 'bzip2', bytes: [0x42, 0x5a, 0x68] },
  { name: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: '7z', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'RAR', bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { name: 'ELF', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { name: 'Mach-O', bytes: [0xcf, 0xfa, 0xed, 0xfe] },
  { name: 'WebAssembly', bytes: [0x00, 0x61, 0x73, 0x6d] },
  { name: 'SQLite', bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x20, 0x33, 0x00] },
  { name: 'OLE2 (old Office)', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { name: 'RIFF (audio/video/image)', bytes: [0x52, 0x49, 0x46, 0x46] },
  { name: 'Ogg', bytes: [0x4f, 0x67, 0x67, 0x53, 0x00] },
  { name: 'FLAC', bytes: [0x66, 0x4c, 0x61, 0x43] },
  { name: 'MP3', bytes: [0x49, 0x44, 0x33] },
  { name: 'Windows executable', bytes: [0x4d, 0x5a, 0x90, 0x00] },
  { name: 'WOFF font', bytes: [0x77, 0x4f, 0x46, 0x46] },
  { name: 'WOFF2 font', bytes: [0x77, 0x4f, 0x46, 0x32] },
];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}

type Bom = { encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; length: number };

export function sniffBom(bytes: Uint8Array): Bom | null {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/**
 * The name of the binary format the bytes look like, or null for text.
 * Looks at magic numbers, then NUL bytes and the share of control bytes in the
 * first 8 KB. Call it only for bytes without a UTF-16 BOM (UTF-16 text is full of NULs).
 */
export function sniffBinary(bytes: Uint8Array): string | null {
  for (const m of MAGIC) if (startsWith(bytes, m.bytes)) return m.name;
  const n = Math.min(bytes.length, 8192);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return 'binary data (NUL bytes)';
    // Tab, LF, VT, FF, CR and ESC occur in text files; other C0 bytes do not.
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) controls++;
  }
  if (n > 0 && controls / n > 0.05) return 'binary data (control bytes)';
  return null;
}

/** WHATWG treats these labels as windows-1252; iconv-lite's latin1 would differ on 0x80–0x9F. */
const WIN1252_LABELS = new Set(['iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'l1', 'ascii', 'us-ascii', 'iso_8859-1', 'cp1252', 'windows-1252', 'x-cp1252', 'cp819', 'ibm819']);

/** Normalise a charset label to one iconv-lite knows, or null when unknown. */
export function normaliseCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (!l) return null;
  if (l === 'utf8' || l === 'utf-8' || l === 'unicode-1-1-utf-8') return 'utf-8';
  if (WIN1252_LABELS.has(l)) return 'windows-1252';
  if (l === 'utf-16' || l === 'unicode') return 'utf-16le';
  if (iconv.encodingExists(l)) return l;
  return null;
}

/** The charset parameter of a Content-Type header value, if any. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType);
  return m ? m[2] : null;
}

/**
 * The charset declared by `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">`
 * in the first 4 KB of an HTML document.
 */
export function charsetFromMeta(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const re = /<meta\b([^>]*)>/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(head))) {
    const attrs = m[1];
    const direct = /\bcharset\s*=\s*["']?\s*([^\s"'/>;]+)/i.exec(attrs);
    if (direct && !/http-equiv/i.test(attrs)) return direct[1];
    if (/http-equiv\s*=\s*["']?\s*content-type/i.test(attrs)) {
      const content = /\bcontent\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
      const value = content ? (content[2] ?? content[3] ?? content[4]) : null;
      const cs = charsetFromContentType(value ?? null);
      if (cs) return cs;
    }
  }
  return null;
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    utf8Fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function decodeWith(bytes: Uint8Array, encoding: string): string {
  if (encoding === 'utf-8') return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding, { stripBOM: false });
}

export interface DecodeOptions {
  /** The HTTP Content-Type header, when the bytes came from a URL. */
  contentType?: string | null;
  /** Look for `<meta charset>` (set for HTML). */
  html?: boolean;
  /** Name used in error messages ('notes.txt', a URL, 'stdin'). */
  name?: string;
}

/**
 * Bytes to text. Order: BOM (UTF-8, UTF-16 LE/BE), the HTTP charset, the HTML
 * meta charset, UTF-8 when the bytes are valid UTF-8, else windows-1252.
 * Throws IngestError 'binary' for binary data and 'empty' for nothing but whitespace.
 */
export function decodeBytes(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedText {
  const name = opts.name ?? 'input';
  if (bytes.length === 0) throw new IngestError('empty', `${name} is empty`);
  const bom = sniffBom(bytes);
  let result: DecodedText;
  if (bom) {
    const body = bytes.subarray(bom.length);
    if (bom.encoding === 'utf-8') {
      const kind = sniffBinary(body);
      if (kind) throw new IngestError('binary', `${name} looks like ${kind}, not text`);
    }
    result = { text: decodeWith(body, bom.encoding), encoding: bom.encoding, from: 'bom' };
  } else {
    const kind = sniffBinary(bytes);
    if (kind) throw new IngestError('binary', `${name} looks like ${kind}, not text`);
    let header = normaliseCharset(charsetFromContentType(opts.contentType));
    let meta = opts.html ? normaliseCharset(charsetFromMeta(bytes)) : null;
    // A source that claims UTF-8 but is not valid UTF-8 is almost always windows-1252.
    const valid = isValidUtf8(bytes);
    if (header === 'utf-8' && !valid) header = null;
    if (meta === 'utf-8' && !valid) meta = null;
    if (header) result = { text: decodeWith(bytes, header), encoding: header, from: 'header' };
    else if (meta) result = { text: decodeWith(bytes, meta), encoding: meta, from: 'meta' };
    else if (valid) result = { text: decodeWith(bytes, 'utf-8'), encoding: 'utf-8', from: 'valid-utf8' };
    else result = { text: decodeWith(bytes, 'windows-1252'), encoding: 'windows-1252', from: 'fallback' };
  }
  if (isBlank(result.text)) throw new IngestError('empty', `${name} contains no text (only whitespace)`);
  return result;
}

/** True when the text has nothing but whitespace, zero-width and control characters. */
export function isBlank(text: string): boolean {
  return !/[^\s\u200b-\u200d\u2060\ufeff\u0000-\u001f\u007f-\u009f]/.test(text);
}
