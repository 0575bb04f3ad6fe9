import { prose } from './helpers.ts';

/**
 * The bad-input catalogue: byte strings the tests write to a temporary
 * folder and feed to `ingest` and `analyze`. Generated at run time, never
 * committed. `expect` is either 'analysis' (a correct Analysis whose text
 * holds `contains`) or the IngestError code the input must fail with.
 */
export interface BadInput {
  name: string;
  /** File name: the extension decides text vs HTML, as for a user's file. */
  file: string;
  bytes: () => Buffer;
  expect: 'analysis' | 'empty' | 'binary' | 'too-large';
  /** Slow (seconds to tens of seconds): only run by scripts/reliability/catalogue.ts, not by npm test. */
  heavy?: boolean;
  /** Strings the clean text must contain (checks the decode was right). */
  contains?: string[];
}

const MB = 1024 * 1024;

function utf16be(s: string): Buffer {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return le;
}

const ACCENTED = 'Zoë Ångström of Kraków said the façade was "déjà vu".';
const ASTRAL = 'The 🚢 convoy 🇳🇴 reached 𝐁𝐫𝐞𝐯𝐢𝐤 at dawn 😡👨‍👩‍👧. "𠜎𠜱 is a lie," said Oren Vasko 🎤, the pundit. He added 🙄 that 𝔱𝔥𝔢 deal failed.';
const RTL =
  'قال الخبير إن الاتفاق \u202Bكارثي\u202C على الموانئ. "هذا أسوأ اتفاق في تاريخنا" قال المحلل.\n\n' +
  'אמר המומחה כי \u200Fההסכם\u200F נכשל. Mixed: "the deal is \u2067שגוי\u2069," said Oren Vasko.';

function nested(depth: number): string {
  return `<!doctype html><html><body>${'<div>'.repeat(depth)}<p>${prose(6)}</p>${'</div>'.repeat(depth)}</body></html>`;
}

function malformed(): string {
  return [
    '<html><head><title>Brevik <b>tolls</title><meta charset="utf-8"><meta charset=>',
    '<body><p>First <i>para <b>with crossed</i> tags</b> and an unclosed <a href="x">link',
    `<p>${prose(4)}<p>Another &amp &notanentity; &#xFFFFFFF; &#0; para < 3 > 2 <<>>`,
    '<table><tr><td>cell<td>cell2<p>inside table</table></tr></td>',
    '<!-- unclosed comment <p>hidden?',
    '<script>document.write("<p>never runs")',
    '</html></body></html><p>after the end',
  ].join('\n');
}

export const CATALOGUE: BadInput[] = [
  { name: '0 bytes', file: 'empty.txt', bytes: () => Buffer.alloc(0), expect: 'empty' },
  { name: 'only white space and a BOM', file: 'blank.txt', bytes: () => Buffer.from('\uFEFF \n\t\r\n   \u00A0\n'), expect: 'empty' },
  { name: '0 bytes of HTML', file: 'empty.html', bytes: () => Buffer.alloc(0), expect: 'empty' },
  {
    name: 'binary (PNG header + random bytes)',
    file: 'image.txt',
    bytes: () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) & 255))]),
    expect: 'binary',
  },
  {
    name: 'text with NUL bytes',
    file: 'nul.txt',
    bytes: () => Buffer.from(`${prose(3)}\u0000\u0000 hidden \u0000${prose(3)}`),
    expect: 'binary',
  },
  {
    name: 'invalid UTF-8 (stray continuation and truncated sequences)',
    file: 'bad-utf8.txt',
    bytes: () => Buffer.concat([Buffer.from(prose(4)), Buffer.from([0xff, 0xfe, 0x80, 0xc3, 0x20, 0xe2, 0x82, 0x20]), Buffer.from(' Brevik harbour closed.')]),
    expect: 'analysis',
    contains: ['Brevik harbour closed.'],
  },
  {
    name: 'UTF-16 LE with BOM',
    file: 'utf16le.txt',
    bytes: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${ACCENTED}\n\n${prose(4)}`, 'utf16le')]),
    expect: 'analysis',
    contains: ['Zoë Ångström of Kraków', 'déjà vu'],
  },
  {
    name: 'UTF-16 BE with BOM',
    file: 'utf16be.txt',
    bytes: () => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(`${ACCENTED}\n\n${prose(4)}`)]),
    expect: 'analysis',
    contains: ['Zoë Ångström of Kraków', 'déjà vu'],
  },
  {
    name: 'UTF-16 LE HTML with BOM and a contradicting meta charset',
    file: 'utf16.html',
    bytes: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<html><head><meta charset="iso-8859-1"><title>Brevik</title></head><body><p>${ACCENTED}</p><p>${prose(4)}</p></body></html>`, 'utf16le')]),
    expect: 'analysis',
    contains: ['Zoë Ångström of Kraków'],
  },
  { name: 'astral characters (emoji, ZWJ sequences, flags, math letters, CJK ext. B)', file: 'astral.txt', bytes: () => Buffer.from(`${ASTRAL}\n\n${ASTRAL}\n\n${prose(3)}`), expect: 'analysis', contains: ['𠜎𠜱', '👨‍👩‍👧'] },
  { name: 'right-to-left text with bidi controls', file: 'rtl.txt', bytes: () => Buffer.from(RTL), expect: 'analysis', contains: ['قال الخبير', 'אמר המומחה'] },
  {
    name: 'one 100,000-character line',
    file: 'line.txt',
    bytes: () => {
      const p = prose(2000).replace(/\s+/g, ' ');
      return Buffer.from(p.slice(0, 100_000).padEnd(100_000, ' x'));
    },
    expect: 'analysis',
  },
  { name: 'HTML with 2,000 unclosed <p> and <b>', file: 'unclosed-small.html', bytes: () => Buffer.from(`<html><body>${Array.from({ length: 2_000 }, (_, i) => `<p><b>item ${i}`).join('\n')}</body></html>`), expect: 'analysis' },
  { name: 'one 100,000-character word (no spaces)', file: 'word.txt', bytes: () => Buffer.from('Brevik'.repeat(16_667)), expect: 'analysis' },
  { name: 'deeply nested HTML (5,000 levels)', file: 'deep.html', bytes: () => Buffer.from(nested(5_000)), expect: 'analysis', contains: ['canal tolls in Brevik'] },
  { name: 'very deeply nested HTML (20,000 levels)', file: 'deeper.html', bytes: () => Buffer.from(nested(20_000)), expect: 'analysis', contains: ['canal tolls in Brevik'] },
  { name: 'extremely deeply nested HTML (100,000 levels)', file: 'deepest.html', bytes: () => Buffer.from(nested(100_000)), expect: 'analysis', contains: ['canal tolls in Brevik'], heavy: true },
  { name: 'large but allowed text (2 MB of prose, 20 MB cap)', file: 'large.txt', bytes: () => Buffer.from(prose(23_000)), expect: 'analysis', heavy: true },
  { name: 'large but allowed HTML (2 MB, 20 MB cap)', file: 'large.html', bytes: () => Buffer.from(`<html><body>${Array.from({ length: 600 }, (_, i) => `<p>${prose(40, i + 1)}</p>`).join('')}</body></html>`), expect: 'analysis', heavy: true },
  { name: 'malformed HTML', file: 'broken.html', bytes: () => Buffer.from(malformed()), expect: 'analysis', contains: ['canal tolls in Brevik'] },
  {
    name: 'HTML with 20,000 unclosed <p> and <b>',
    file: 'unclosed.html',
    bytes: () => Buffer.from(`<html><body>${Array.from({ length: 20_000 }, (_, i) => `<p><b>item ${i}`).join('\n')}</body></html>`),
    expect: 'analysis',
    heavy: true,
  },
  { name: 'control characters and lone surrogates (as UTF-8 text)', file: 'controls.txt', bytes: () => Buffer.from(`${prose(3)}\u0007\u001b[31m red \u001b[0m \u200b\u200b\u2028\u2029 lone \ud800 half \udfff end.`), expect: 'analysis' },
  { name: '50 MB text (over the 20 MB cap)', file: 'huge.txt', bytes: () => Buffer.alloc(50 * MB, 'The canal tolls rose again. '), expect: 'too-large' },
];
