import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ingest, fromText, fromHtml, IngestError, type IngestErrorCode } from './index.ts';
import { decodeBytes, charsetFromMeta } from './decode.ts';

const fx = (name: string) => fileURLToPath(new URL(`../../test/fixtures/ingest/${name}`, import.meta.url));

async function rejectsWith(p: Promise<unknown>, code: IngestErrorCode): Promise<IngestError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof IngestError, `expected IngestError, got ${e}`);
    assert.equal(e.code, code, e.message);
    assert.ok(!e.message.includes('\n'), 'message must be one line');
    return e;
  }
  assert.fail(`expected IngestError ${code}`);
}

test('a text file becomes an Article with its body and detected language', async () => {
  const a = await ingest(fx('wire-copy.txt'));
  assert.equal(a.source, 'text');
  assert.ok(a.raw.startsWith('KELSMOUTH, March 14 (Meridian Wire)'));
  assert.equal(a.language, 'en');
  assert.equal(a.title, null);
});

test('a French text file is detected as French', async () => {
  const a = await ingest(fx('french.txt'));
  assert.equal(a.language, 'fr');
});

test('HTML file: title, byline, date, site name, language; no navigation, ads, comments or script text', async () => {
  const a = await ingest(fx('page-with-chrome.html'));
  assert.equal(a.source, 'html');
  assert.equal(a.title, 'Harbour town votes to rebuild its lighthouse');
  assert.equal(a.byline, 'Mirela Task');
  assert.equal(a.published, '2026-03-14T08:30:00.000Z');
  assert.equal(a.outlet, 'The Coastal Ledger');
  assert.equal(a.language, 'en');
  for (const junk of ['NAV-ITEM', 'COOKIE-BANNER', 'ADVERTISEMENT-BLOCK', 'SHARE-TWITTER', 'SIDEBAR-ITEM', 'COMMENT-ONE', 'COMMENT-TWO', 'FOOTER-TEXT', 'INJECTED BY SCRIPT', 'SCRIPT-TRACKER', 'END-SCRIPT', 'STYLE-TEXT']) {
    assert.ok(!a.raw.includes(junk), `body contains ${junk}`);
  }
  const paragraphs = a.raw.split('\n\n');
  assert.ok(paragraphs[0].startsWith('The council of Port Vellan voted on Thursday'));
  // Headings stay as their own short paragraphs.
  assert.ok(paragraphs.includes('A costly landmark'));
  assert.ok(paragraphs.includes('What happens next'));
  assert.ok(paragraphs.some((p) => p.startsWith('Opponents argued')));
  assert.ok(a.raw.includes('"We are paying for a postcard," said Tomas Grell'));
});

test('windows-1252 HTML with a meta http-equiv charset decodes umlauts and quotes; German detected', async () => {
  const a = await ingest(fx('german-windows-1252.html'));
  assert.equal(a.language, 'de');
  assert.equal(a.outlet, 'Nordkurier Beispiel');
  assert.equal(a.published, '2026-02-03');
  assert.ok(a.raw.includes('Bürgermeisterin Jutta Kaspers'));
  assert.ok(a.raw.includes('„Wir haben schon bei der Umgehungsstraße erlebt'));
  assert.ok(!a.raw.includes('Endlich tut sich was'));
  assert.ok(!a.raw.includes('Startseite'));
});

test('windows-1252 text without any declaration falls back from invalid UTF-8', async () => {
  const a = await ingest(fx('windows-1252.txt'));
  assert.ok(a.raw.startsWith('Le café de la gare rouvre après deux ans'));
  assert.ok(a.raw.includes('80 000 €'));
  assert.ok(a.raw.includes('« C’est un lieu'));
});

test('UTF-16 LE and BE with a BOM decode, astral characters included', async () => {
  for (const name of ['utf16le-bom.txt', 'utf16be-bom.txt']) {
    const a = await ingest(fx(name));
    assert.ok(a.raw.startsWith('Städtische Bücherei verlängert Öffnungszeiten'), name);
    assert.ok(a.raw.includes('Maren Voß. 😀'), name);
    assert.equal(a.language, 'de', name);
  }
});

test('binary, empty and missing files give typed one-line errors', async () => {
  const bin = await rejectsWith(ingest(fx('binary.bin')), 'binary');
  assert.match(bin.message, /PNG/);
  await rejectsWith(ingest(fx('nul-bytes.txt')), 'binary');
  await rejectsWith(ingest(fx('empty.txt')), 'empty');
  await rejectsWith(ingest(fx('whitespace-only.txt')), 'empty');
  const nf = await rejectsWith(ingest(fx('no-such-file.txt')), 'not-found');
  assert.match(nf.message, /no-such-file\.txt/);
  await rejectsWith(ingest(fx('')), 'read-error');
  // Something that looks like a web address without a scheme gets a hint.
  const web = await rejectsWith(ingest('www.example-news.test/story'), 'not-found');
  assert.match(web.message, /https:\/\/www\.example-news\.test\/story/);
  const plain = await rejectsWith(ingest('missing-notes.txt'), 'not-found');
  assert.doesNotMatch(plain.message, /https:/);
});

test('size cap applies to files and stdin', async () => {
  await rejectsWith(ingest(fx('wire-copy.txt'), { maxBytes: 100 }), 'too-large');
  await rejectsWith(ingest('-', { stdin: Readable.from([Buffer.alloc(60, 0x61), Buffer.alloc(60, 0x61)]), maxBytes: 100 }), 'too-large');
});

test('stdin: text and HTML are told apart by content', async () => {
  const t = await ingest('-', { stdin: Readable.from([Buffer.from('Plain words about a harbour and the ships that came back to it on Monday.')]) });
  assert.equal(t.source, 'stdin');
  assert.ok(t.raw.startsWith('Plain words'));
  const h = await ingest('-', { stdin: Readable.from(['<!doctype html><html lang="it"><head><title>Titolo</title></head><body><p>Il sindaco ha detto che il ponte sarà pronto entro la fine di maggio, e che i lavori non si fermeranno.</p></body></html>']) });
  assert.equal(h.source, 'stdin');
  assert.equal(h.language, 'it');
  assert.equal(h.title, 'Titolo');
  assert.ok(h.raw.startsWith('Il sindaco'));
  await rejectsWith(ingest('-', { stdin: Readable.from([]) }), 'empty');
});

test('non-http schemes are refused as bad URLs', async () => {
  await rejectsWith(ingest('ftp://example.org/a.txt'), 'bad-url');
  await rejectsWith(ingest('file:///etc/passwd'), 'bad-url');
});

test('fromText and fromHtml work in memory', () => {
  const a = fromText('\uFEFFDer Bürgermeister sagte, dass die Brücke im Sommer fertig sein wird.', { title: 'Brücke', outlet: 'Testblatt' });
  assert.equal(a.raw.charCodeAt(0), 'D'.charCodeAt(0));
  assert.equal(a.title, 'Brücke');
  assert.equal(a.outlet, 'Testblatt');
  assert.equal(a.language, 'de');
  assert.throws(() => fromText(' \n\t '), (e: unknown) => e instanceof IngestError && e.code === 'empty');
  const h = fromHtml('<p>Short page with <b>bold</b> text<br>and a second line.</p>', { url: 'https://www.example.org/a' });
  assert.equal(h.raw, 'Short page with bold text\nand a second line.');
  const br = fromHtml('<div>First paragraph of a page without p tags.<br><br>Second paragraph.<br>\n<br>Third one.</div>');
  assert.equal(br.raw, 'First paragraph of a page without p tags.\n\nSecond paragraph.\n\nThird one.');
  assert.equal(h.outlet, 'example.org');
  assert.throws(() => fromHtml('<html><body><script>var x = 1;</script></body></html>'), (e: unknown) => e instanceof IngestError && e.code === 'empty');
});

test('metadata from JSON-LD and <time> when there are no meta tags', () => {
  const html = `<html lang="pt-BR"><head><script type="application/ld+json">
    {"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"ignored"},
     {"@type":"NewsArticle","headline":"Ponte nova abre em maio","datePublished":"2026-04-02T07:00:00-03:00",
      "author":[{"@type":"Person","name":"Rita Falcão"}],"publisher":{"@type":"Organization","name":"Jornal do Porto Exemplo"}}]}
    </script></head><body><article><p>A nova ponte sobre o rio será aberta ao trânsito em maio, disse a prefeitura na quarta-feira.</p></article></body></html>`;
  const a = fromHtml(html);
  assert.equal(a.title, 'Ponte nova abre em maio');
  assert.equal(a.published, '2026-04-02T10:00:00.000Z');
  assert.equal(a.byline, 'Rita Falcão');
  assert.equal(a.outlet, 'Jornal do Porto Exemplo');
  assert.equal(a.language, 'pt');
  const t = fromHtml('<html><body><article><time datetime="2025-12-24">Christmas Eve</time><p>The market stayed open late on the night before the holiday, traders in the old square said.</p></article></body></html>', { url: 'https://www.harbour-times.test/x' });
  assert.equal(t.published, '2025-12-24');
  assert.equal(t.outlet, 'harbour-times.test');
  assert.ok(!t.raw.includes('Christmas Eve'));
});

test('malformed HTML does not crash', () => {
  const inputs = [
    '<<<>>><div><p>broken </div></span></p><table><tr><td>cell text here',
    '<html><body><p>unclosed <b><i>tags everywhere<p>next paragraph</body>',
    '<!doctype html><html><head><title>x</title><script>while(true){}</script></head><body><article><h2>Heading</h2><p>Body text of the page.</p></article>',
    '<p>' + '<div>'.repeat(500) + 'deep text' + '</div>'.repeat(10),
    '<p>' + '<div>'.repeat(20000) + 'very deep text &amp; more' + '</div>'.repeat(10),
  ];
  for (const html of inputs) {
    const a = fromHtml(html);
    assert.ok(a.raw.length > 0);
    assert.ok(!a.raw.includes('while(true)'));
  }
});

test('charset sources: BOM beats header beats meta; invalid UTF-8 claims fall back', () => {
  const latin = Buffer.from('caf\xe9 cr\xe8me', 'latin1');
  assert.equal(decodeBytes(latin, { contentType: 'text/plain; charset=iso-8859-1' }).text, 'café crème');
  assert.equal(decodeBytes(latin, { contentType: 'text/plain; charset=utf-8' }).text, 'café crème');
  const koi8 = Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]); // "Привет" in KOI8-R
  assert.equal(decodeBytes(koi8, { contentType: 'text/html; charset=koi8-r' }).text, 'Привет');
  const withMeta = Buffer.concat([Buffer.from('<html><head><meta charset="koi8-r"></head><body>'), koi8, Buffer.from('</body></html>')]);
  assert.ok(decodeBytes(withMeta, { html: true }).text.includes('Привет'));
  assert.equal(charsetFromMeta(Buffer.from('<meta http-equiv="content-type" content="text/html; charset=ISO-8859-2">')), 'ISO-8859-2');
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('é', 'utf8')]);
  assert.equal(decodeBytes(bom, { contentType: 'text/plain; charset=windows-1252' }).text, 'é');
});
