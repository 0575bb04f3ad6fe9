import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFeed, FeedError } from './feed.ts';

test('RSS items give link, title, date and full content', () => {
  const feed = parseFeed(`<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
    <title>Valley Post</title><link>https://valley.example/</link>
    <item><title>Bridge &amp; road</title><link>/2024/05/01/bridge</link><pubDate>Wed, 01 May 2024 08:00:00 GMT</pubDate>
      <content:encoded><![CDATA[<p>The bridge opened.</p>]]></content:encoded></item>
    <item><title>Second</title><guid isPermaLink="true">https://valley.example/second</guid></item>
  </channel></rss>`, 'https://valley.example/feed.xml');
  assert.equal(feed.title, 'Valley Post');
  assert.deepEqual(feed.items.map((i) => [i.title, i.link]), [
    ['Bridge & road', 'https://valley.example/2024/05/01/bridge'],
    ['Second', 'https://valley.example/second'],
  ]);
  assert.equal(feed.items[0].published, 'Wed, 01 May 2024 08:00:00 GMT');
  assert.equal(feed.items[0].content, '<p>The bridge opened.</p>');
});

test('Atom entries use the alternate link', () => {
  const feed = parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><title>Hill News</title>
    <link rel="self" href="https://hill.example/atom"/><link rel="alternate" href="https://hill.example/"/>
    <entry><title>One</title><link rel="alternate" href="https://hill.example/one"/><updated>2024-05-02T10:00:00Z</updated><summary>Short.</summary></entry>
  </feed>`);
  assert.equal(feed.link, 'https://hill.example/');
  assert.deepEqual(feed.items.map((i) => [i.link, i.published, i.summary]), [['https://hill.example/one', '2024-05-02T10:00:00Z', 'Short.']]);
});

test('a page that is not a feed is refused', () => {
  assert.throws(() => parseFeed('<html><body>hello</body></html>'), FeedError);
});
