import { h, type VNode } from 'preact';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- element props differ per tag
type El = VNode<any>;
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post, enc, ApiError } from './api.ts';
import { ArticleView, safeLink } from './article.ts';
import { pretty, techniqueColor } from './colors.ts';
import type { Analysis, StoredArticle, SearchHit, SpeakerRank, Dossier, TrendRow, CopyGroup, OutletSummary, OutletProfile } from './types.ts';

/** Loads once per key; renders a spinner, an error, or the page. */
function useLoad<T>(key: string, load: () => Promise<T>): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ key: string; data: T | null; error: string | null }>({ key: '', data: null, error: null });
  useEffect(() => {
    let live = true;
    setState({ key, data: null, error: null });
    load().then(
      (data) => live && setState({ key, data, error: null }),
      (err: unknown) => live && setState({ key, data: null, error: err instanceof ApiError ? `${err.message} (${err.code})` : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state.key === key ? state : { data: null, error: null };
}

function Loading({ error }: { error: string | null }): El {
  return error ? h('p', { class: 'error', role: 'alert' }, error) : h('p', { class: 'loading', 'aria-live': 'polite' }, 'Loading…');
}

const day = (s: string | null | undefined) => (s ? s.slice(0, 10) : '—');
const articleLink = (a: { id: number; title: string | null }) => h('a', { href: `#/article/${a.id}` }, a.title ?? `article ${a.id}`);

/** A search snippet with [matched] words marked, as text nodes. */
function Snippet({ text }: { text: string }): El {
  const parts = text.split(/(\[[^\]]*\])/);
  return h('p', { class: 'snippet' }, parts.map((p, i) => (p.startsWith('[') && p.endsWith(']') ? h('mark', { key: i }, p.slice(1, -1)) : p)));
}

export function AnalysePage(): El {
  const [input, setInput] = useState('');
  const [save, setSave] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Analysis | null>(null);
  const token = useRef<string>(sessionStorage.getItem('unspin-token') ?? '');
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const value = input.trim();
    if (!value) return setError('Paste an article or a URL first.');
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = { save };
    if (/^https?:\/\/\S+$/i.test(value)) body.url = value;
    else if (/^\s*<(!doctype|html|head|body|article|div|p)\b/i.test(value)) body.html = value;
    else body.text = value;
    try {
      const res = await post<{ id: number | null; analysis: Analysis }>('analyze', body, token.current || undefined);
      if (res.id !== null) location.hash = `#/article/${res.id}`;
      else setResult(res.analysis);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'unauthorized') {
        const t = window.prompt('This server needs its access token (UNSPIN_TOKEN):') ?? '';
        token.current = t;
        sessionStorage.setItem('unspin-token', t);
      }
      setError(err instanceof ApiError ? `${err.message} (${err.code})` : String(err));
    } finally {
      setBusy(false);
    }
  };
  return h('div', { class: 'page analyse' },
    h('h1', null, 'Analyse an article'),
    h('form', { onSubmit: submit, class: 'analyse-form' },
      h('label', { for: 'analyse-input' }, 'Paste the article text, its HTML, or a URL'),
      h('textarea', { id: 'analyse-input', rows: 10, value: input, onInput: (e: Event) => setInput((e.target as HTMLTextAreaElement).value) }),
      h('div', { class: 'row' },
        h('label', null, h('input', { type: 'checkbox', checked: save, onChange: () => setSave(!save) }), ' save to the corpus'),
        h('button', { type: 'submit', disabled: busy }, busy ? 'Analysing…' : 'Analyse'),
      ),
    ),
    error && h('p', { class: 'error', role: 'alert' }, error),
    result && h(ArticleView, { analysis: result }),
  );
}

export function ArticlePage({ id }: { id: string }): El {
  const { data, error } = useLoad(`article/${id}`, () => get<{ article: StoredArticle; analysis: Analysis }>(`articles/${enc(id)}`));
  if (!data) return h(Loading, { error });
  return h(ArticleView, { analysis: data.analysis });
}

const FILTERS = ['q', 'outlet', 'from', 'to', 'technique', 'frame', 'narrative', 'speaker', 'role', 'entity', 'language'] as const;
const FILTER_LABELS: Partial<Record<(typeof FILTERS)[number], string>> = { q: 'words', role: 'role (e.g. Antagonist)', entity: 'cast entity' };

export function SearchPage({ params }: { params: URLSearchParams }): El {
  const key = params.toString();
  const { data, error } = useLoad(`search?${key}`, () => get<{ hits: SearchHit[] }>('search', Object.fromEntries(params)));
  const submit = (ev: Event) => {
    ev.preventDefault();
    const form = new FormData(ev.target as HTMLFormElement);
    const qs = new URLSearchParams();
    for (const f of FILTERS) {
      const v = String(form.get(f) ?? '').trim();
      if (v) qs.set(f, v);
    }
    location.hash = `#/search?${qs}`;
  };
  return h('div', { class: 'page search' },
    h('h1', null, 'Search'),
    h('form', { class: 'filters', onSubmit: submit, key },
      FILTERS.map((f) =>
        h('label', { key: f }, FILTER_LABELS[f] ?? f, h('input', { name: f, type: f === 'from' || f === 'to' ? 'date' : 'text', defaultValue: params.get(f) ?? '' })),
      ),
      h('button', { type: 'submit' }, 'Search'),
    ),
    !data ? h(Loading, { error }) :
      data.hits.length === 0 ? h('p', null, 'No articles match.') :
      h('ol', { class: 'hits' }, data.hits.map((hit) =>
        h('li', { key: hit.id },
          articleLink(hit),
          h('span', { class: 'meta' }, ` ${hit.outlet ?? ''} · ${day(hit.published)}`),
          hit.snippet && h(Snippet, { text: hit.snippet }),
        ),
      )),
  );
}

export function SpeakersPage(): El {
  const { data, error } = useLoad('speakers', () => get<{ speakers: SpeakerRank[] }>('speakers', { limit: 200 }));
  if (!data) return h(Loading, { error });
  return h('div', { class: 'page speakers' },
    h('h1', null, 'Speakers'),
    h('table', null,
      h('thead', null, h('tr', null, ['Speaker', 'Quotes', 'Articles', 'Outlets', 'First seen', 'Last seen'].map((c) => h('th', { key: c, scope: 'col' }, c)))),
      h('tbody', null, data.speakers.map((s) =>
        h('tr', { key: s.name },
          h('td', null, h('a', { href: `#/speaker/${enc(s.name)}` }, s.name), s.variants.length > 0 && h('span', { class: 'meta' }, ` also ${s.variants.join(', ')}`)),
          h('td', null, s.quotes), h('td', null, s.articles), h('td', null, s.outlets), h('td', null, day(s.firstSeen)), h('td', null, day(s.lastSeen)),
        ),
      )),
    ),
  );
}

export function SpeakerPage({ name }: { name: string }): El {
  const { data, error } = useLoad(`speaker/${name}`, () => get<{ dossier: Dossier }>(`speakers/${enc(name)}`));
  if (!data) return h(Loading, { error });
  const d = data.dossier;
  return h('div', { class: 'page dossier' },
    h('h1', null, d.name),
    h('p', { class: 'meta' }, `${d.quotes} quotes in ${d.articles} articles from ${d.outlets} outlets · first seen ${day(d.firstSeen)} · last seen ${day(d.lastSeen)}`),
    d.variants.length > 0 && h('p', null, `Also written as: ${d.variants.join(', ')}`),
    h('h2', null, 'How each outlet describes them'),
    d.descriptorsByOutlet.length === 0 ? h('p', null, 'No descriptors found.') :
      h('dl', { class: 'descriptors' }, d.descriptorsByOutlet.flatMap((o) => [
        h('dt', { key: `o${o.outlet}` }, h('a', { href: `#/outlet/${enc(o.outlet)}` }, o.outlet)),
        h('dd', { key: `d${o.outlet}` }, o.descriptors.map((x) => `${x.text} (${x.count})`).join(', ')),
      ])),
    h('h2', null, 'Narratives their quotes carry'),
    d.narratives.length === 0 ? h('p', null, 'No narratives recorded in the articles quoting them.') :
      h('table', { class: 'narratives' },
        h('thead', null, h('tr', null, ['Narrative', 'Articles', 'Quotes voicing it'].map((c) => h('th', { key: c, scope: 'col' }, c)))),
        h('tbody', null, d.narratives.map((n) =>
          h('tr', { key: n.narrative },
            h('td', null, h('a', { href: `#/search?${new URLSearchParams({ speaker: d.name, narrative: n.narrative })}` }, n.narrative)),
            h('td', null, n.articles), h('td', null, n.quotes),
          ),
        )),
      ),
    h('h2', null, 'How articles cast them'),
    d.roles.length === 0 ? h('p', null, 'No entity roles recorded for them.') :
      h('ul', { class: 'inline roles' }, d.roles.map((r) =>
        h('li', { key: `${r.main}|${r.fine}` },
          h('a', { href: `#/search?${new URLSearchParams({ role: r.main, entity: d.name })}` }, r.fine ? `${r.main} (${r.fine})` : r.main),
          ` · ${r.articles} article${r.articles === 1 ? '' : 's'}, ${r.outlets} outlet${r.outlets === 1 ? '' : 's'}`,
        ),
      )),
    h('h2', null, 'Quoted beside'),
    d.coQuoted.length === 0 ? h('p', null, 'Nobody else.') :
      h('ul', { class: 'inline' }, d.coQuoted.slice(0, 30).map((c) => h('li', { key: c.name }, h('a', { href: `#/speaker/${enc(c.name)}` }, c.name), ` (${c.articles})`))),
    h('h2', null, `Quotes (${d.quotesList.length})`),
    h('ol', { class: 'quotes' }, d.quotesList.map((q, i) =>
      h('li', { key: i },
        h('blockquote', null, q.text),
        h('p', { class: 'meta' }, articleLink({ id: q.articleId, title: q.title }), ` · ${q.outlet ?? ''} · ${day(q.published)} · ${q.kind}${q.act && q.act !== 'speech' ? ` · ${q.act}` : ''}`, q.nameAsWritten ? ` · as "${q.nameAsWritten}"` : ''),
      ),
    )),
  );
}

export function OutletsPage(): El {
  const { data, error } = useLoad('outlets', () => get<{ outlets: OutletSummary[] }>('outlets'));
  if (!data) return h(Loading, { error });
  return h('div', { class: 'page outlets' },
    h('h1', null, 'Outlets'),
    h('table', null,
      h('thead', null, h('tr', null, ['Outlet', 'Articles', 'First', 'Last'].map((c) => h('th', { key: c, scope: 'col' }, c)))),
      h('tbody', null, data.outlets.map((o) =>
        h('tr', { key: o.outlet }, h('td', null, h('a', { href: `#/outlet/${enc(o.outlet)}` }, o.outlet)), h('td', null, o.articles), h('td', null, day(o.firstSeen)), h('td', null, day(o.lastSeen))),
      )),
    ),
  );
}

function Bars({ rows }: { rows: { label: string; value: number; color?: string }[] }): El {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return h('ul', { class: 'bars' }, rows.map((r) =>
    h('li', { key: r.label },
      h('span', { class: 'bar-label' }, r.label),
      h('span', { class: 'bar', style: { width: `${(100 * r.value) / max}%`, backgroundColor: r.color ?? '#a0c4ff' } }),
      h('span', { class: 'bar-value' }, String(r.value)),
    ),
  ));
}

export function OutletPage({ name }: { name: string }): El {
  const { data, error } = useLoad(`outlet/${name}`, () => get<{ outlet: OutletProfile }>(`outlets/${enc(name)}`));
  if (!data) return h(Loading, { error });
  const o = data.outlet;
  return h('div', { class: 'page outlet' },
    h('h1', null, o.outlet),
    h('p', { class: 'meta' }, `${o.articles} articles · ${day(o.firstSeen)} to ${day(o.lastSeen)}`),
    h('p', null, h('a', { href: `#/search?outlet=${enc(o.outlet)}` }, 'Search this outlet')),
    h('h2', null, 'Techniques (spans)'),
    h(Bars, { rows: o.techniques.map((t) => ({ label: pretty(t.technique), value: t.spans, color: techniqueColor(t.technique) })) }),
    h('h2', null, 'Frames (articles)'),
    h(Bars, { rows: o.frames.map((f) => ({ label: pretty(f.frame), value: f.articles })) }),
    o.genres.length > 0 && h('p', null, `Genre: ${o.genres.map((g) => `${g.genre} ${g.articles}`).join(', ')}`),
    h('h2', null, 'Narratives (articles)'),
    o.narratives.length === 0 ? h('p', null, 'No narratives recorded for this outlet.') :
      h('ul', { class: 'bars narratives' }, o.narratives.map((n) =>
        h('li', { key: n.narrative },
          h('a', { class: 'bar-label', href: `#/search?${new URLSearchParams({ outlet: o.outlet, narrative: n.narrative })}` }, n.narrative),
          h('span', { class: 'bar', style: { width: `${(100 * n.articles) / Math.max(1, ...o.narratives.map((x) => x.articles))}%`, backgroundColor: '#ffd6a5' } }),
          h('span', { class: 'bar-value' }, String(n.articles)),
        ),
      )),
    h('h2', null, 'Who is cast as what'),
    o.roles.length === 0 ? h('p', null, 'No entity roles recorded for this outlet.') :
      h('table', { class: 'roles' },
        h('thead', null, h('tr', null, ['Entity', 'Role', 'Articles'].map((c) => h('th', { key: c, scope: 'col' }, c)))),
        h('tbody', null, o.roles.map((r) =>
          h('tr', { key: `${r.name}|${r.main}` },
            h('td', null, h('a', { href: `#/search?${new URLSearchParams({ outlet: o.outlet, role: r.main, entity: r.name })}` }, r.name)),
            h('td', null, r.main), h('td', null, r.articles),
          ),
        )),
      ),
    h('h2', null, 'Speakers'),
    o.speakers.length === 0 ? h('p', null, 'No named speakers.') :
      h('ul', { class: 'inline' }, o.speakers.map((s) => h('li', { key: s.name }, h('a', { href: `#/speaker/${enc(s.name)}` }, s.name), ` (${s.quotes})`))),
    h('h2', null, 'Copies'),
    o.copies.length === 0 ? h('p', null, 'No near-duplicates of its articles.') :
      h('ul', null, o.copies.map((c) => h('li', { key: `${c.a}-${c.b}` },
        h('a', { href: `#/article/${c.a}` }, `#${c.a}`), ` (${c.outletA ?? '?'}) ≈ `, h('a', { href: `#/article/${c.b}` }, `#${c.b}`), ` (${c.outletB ?? '?'}) · ${Math.round(c.similarity * 100)}%`,
      ))),
  );
}

export function TrendsPage({ params }: { params: URLSearchParams }): El {
  const by = params.get('by') ?? 'technique';
  const period = params.get('period') ?? 'month';
  const { data, error } = useLoad(`trends/${by}/${period}`, () => get<{ rows: TrendRow[] }>('trends', { by, period, limit: 8 }));
  const chartRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!data || !chartRef.current) return;
    let dispose = () => {};
    let live = true;
    void import('./chart.ts').then(({ drawTrends }) => {
      if (live && chartRef.current) dispose = drawTrends(chartRef.current, data.rows, period);
    });
    return () => {
      live = false;
      dispose();
    };
  }, [data, period]);
  const go = (next: Record<string, string>) => (location.hash = `#/trends?${new URLSearchParams({ by, period, ...next })}`);
  return h('div', { class: 'page trends' },
    h('h1', null, 'Trends'),
    h('div', { class: 'row' },
      h('label', null, 'by ', h('select', { value: by, onChange: (e: Event) => go({ by: (e.target as HTMLSelectElement).value }) }, ['technique', 'frame', 'narrative', 'role', 'outlet', 'speaker'].map((b) => h('option', { key: b, value: b }, b)))),
      h('label', null, ' per ', h('select', { value: period, onChange: (e: Event) => go({ period: (e.target as HTMLSelectElement).value }) }, ['day', 'week', 'month'].map((p) => h('option', { key: p, value: p }, p)))),
    ),
    !data ? h(Loading, { error }) :
      data.rows.length === 0 ? h('p', null, 'Nothing dated in the corpus yet.') :
      h('div', null,
        h('div', { class: 'chart', ref: chartRef, role: 'img', 'aria-label': `${by} counts per ${period}` }),
        h('details', null, h('summary', null, 'Table'),
          h('table', null, h('tbody', null, data.rows.map((r, i) => h('tr', { key: i }, h('td', null, r.period), h('td', null, r.key), h('td', null, r.count)))))),
      ),
  );
}

export function CopiesPage(): El {
  const { data, error } = useLoad('copies', () => get<{ groups: CopyGroup[]; total: number }>('copies'));
  if (!data) return h(Loading, { error });
  return h('div', { class: 'page copies' },
    h('h1', null, `Copies (${data.total} groups)`),
    data.groups.length === 0 ? h('p', null, 'No near-duplicate articles found.') :
      data.groups.map((g, i) =>
        h('section', { key: i, class: 'copy-group' },
          h('h2', null, 'Earliest: ', articleLink(g.original), ` · ${g.original.outlet ?? ''} · ${day(g.original.published)}`),
          h('ol', null, g.members.slice(1).map((m) =>
            h('li', { key: m.article.id }, articleLink(m.article), ` · ${m.article.outlet ?? ''} · ${day(m.article.published)}`,
              m.copiedFrom !== null ? h('span', { class: 'meta' }, ` copied from #${m.copiedFrom}${m.similarity !== null ? ` (${Math.round(m.similarity * 100)}%)` : ''}`) : null,
              ' ', safeLink(m.article.url)),
          )),
        ),
      ),
  );
}

export function HomePage(): El {
  const { data, error } = useLoad('home', () => get<{ hits: SearchHit[] }>('search', { limit: 20 }));
  return h('div', { class: 'page home' },
    h(AnalysePage, {}),
    h('h2', null, 'Latest articles'),
    !data ? h(Loading, { error }) :
      data.hits.length === 0 ? h('p', null, 'The corpus is empty: analyse an article above, or run unspin ingest.') :
      h('ul', { class: 'hits' }, data.hits.map((a) => h('li', { key: a.id }, articleLink(a), h('span', { class: 'meta' }, ` ${a.outlet ?? ''} · ${day(a.published)}`)))),
  );
}
