export type { Article } from './types.ts';
export { IngestError, isIngestError, type IngestErrorCode } from './errors.ts';
export { ingest, fromText, fromHtml, fromBytes, looksLikeHtml, type IngestOptions, type ArticleMeta } from './ingest.ts';
export { decodeBytes, sniffBinary, sniffBom, charsetFromMeta, charsetFromContentType, normaliseCharset, isBlank, DEFAULT_MAX_BYTES, type DecodedText, type DecodeOptions } from './decode.ts';
export { fetchUrl, parseHttpUrl, mediaTypeOf, ARTICLE_CONTENT_TYPES, FEED_CONTENT_TYPES, type FetchOptions, type FetchResult, type Resolver, type ResolvedAddress } from './fetch.ts';
export { classifyAddress, classifyIPv4, classifyIPv6, isBlockedAddress, parseIPv6, type AddressKind, type AddressClass } from './address.ts';
export { extractHtml, extractMeta, blocksToText, stripTags, normaliseDate, primaryLanguage, type HtmlMeta, type HtmlExtraction } from './html.ts';
export { detectLanguage, SUPPORTED_LANGUAGES, type LanguageGuess } from '../language/detect.ts';
export { parseFeed, loadFeed, fromFeed, fromFolder, fromJsonl, fromJsonlRecord, type Feed, type FeedItem, type IngestResult, type FeedIngestOptions, type JsonlRecord } from './feed.ts';
