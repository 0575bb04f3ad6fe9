import { h, Fragment, type VNode } from 'preact';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- element props differ per tag
type El = VNode<any>;
import { useMemo, useRef, useState } from 'preact/hooks';
import { cutSegments, highlights, type Highlight, type Layer } from './spans.ts';
import { techniqueColor, pretty, pct } from './colors.ts';
import type { Analysis } from './types.ts';

/**
 * The article view: the clean text cut into segments at every span edge,
 * each segment styled by the set of spans over it. Article text only ever
 * becomes text nodes (Preact children), never markup.
 */

const LAYERS: { key: Layer; name: string }[] = [
  { key: 'techniques', name: 'Techniques' },
  { key: 'quotes', name: 'Quotes' },
  { key: 'entities', name: 'Entities' },
  { key: 'narratives', name: 'Narratives' },
  { key: 'roles', name: 'Roles' },
  { key: 'other', name: 'Other layers' },
];

const VOICE: Record<string, string> = { outlet: "outlet's own voice", direct_quote: 'in a direct quote', reported_speech: 'in reported speech' };

function describe(x: Highlight): string {
  if (x.layer === 'techniques') return `${pretty(x.label)} · ${pct(x.confidence)} · ${VOICE[x.voice ?? ''] ?? x.voice ?? ''}`;
  if (x.layer === 'quotes') {
    const as = x.mention && x.mention !== x.speaker ? ` (as “${x.mention}”)` : '';
    return `${x.kind ?? ''} quote · speaker: ${x.speaker ?? 'unresolved'}${as}`;
  }
  if (x.layer === 'entities') return `${x.label}: ${x.speaker}${x.kind && x.kind !== 'name' ? ` (${x.kind})` : ''}`;
  if (x.layer === 'narratives') return `narrative: ${x.label} · ${pct(x.confidence)}${x.kind ? ` · ${x.kind}` : ''}`;
  if (x.layer === 'roles') return `role of ${x.speaker}: ${x.label}${x.kind ? ` (${x.kind})` : ''} · ${pct(x.confidence)}`;
  return `${x.source}: ${x.label}${x.confidence !== undefined ? ` · ${pct(x.confidence)}` : ''}`;
}

export function ArticleView({ analysis }: { analysis: Analysis }): El {
  const text = analysis.document.text;
  const all = useMemo(() => highlights(analysis), [analysis]);
  const present = useMemo(() => new Set(all.map((x) => x.layer)), [all]);
  const [on, setOn] = useState<Record<Layer, boolean>>({ techniques: true, quotes: true, entities: true, narratives: true, roles: true, other: true });
  const techniques = useMemo(() => [...new Set(all.filter((x) => x.layer === 'techniques').map((x) => x.label))].sort(), [all]);
  const [hiddenTech, setHiddenTech] = useState<Set<string>>(new Set());
  const [active, setActive] = useState<number | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const tipRef = useRef<{ top: number; left: number } | null>(null);

  const shown = useMemo(() => all.filter((x) => on[x.layer] && !(x.layer === 'techniques' && hiddenTech.has(x.label))), [all, on, hiddenTech]);
  // Title and section headings are cut in too (after the highlights), only to style them.
  const structure = useMemo(
    () => (analysis.segments?.paragraphs ?? []).filter((p) => p.role === 'title' || p.role === 'heading' || p.role === 'subtitle').map((p) => ({ start: p.start, end: p.end, role: p.role })),
    [analysis],
  );
  const segments = useMemo(() => cutSegments(text.length, [...shown, ...structure]), [text, shown, structure]);
  const quoteStarts = useMemo(() => new Map(shown.filter((x) => x.layer === 'quotes').map((x) => [x.start, x])), [shown]);

  const jump = (x: Highlight) => {
    const i = shown.indexOf(x);
    const seg = segments.findIndex((s) => s.spans.includes(i));
    const el = textRef.current?.querySelector<HTMLElement>(`[data-seg="${seg}"]`);
    if (!el) return;
    el.scrollIntoView({ block: 'center', behavior: 'smooth' });
    el.focus({ preventScroll: true });
    setFlash(x.id);
    window.setTimeout(() => setFlash((f) => (f === x.id ? null : f)), 1600);
  };

  const show = (seg: number, el: HTMLElement) => {
    const box = el.getBoundingClientRect();
    const host = textRef.current!.getBoundingClientRect();
    tipRef.current = { top: box.bottom - host.top + 4, left: Math.max(0, box.left - host.left) };
    setActive(seg);
  };

  const children: (El | string)[] = [];
  segments.forEach((s, k) => {
    const chip = quoteStarts.get(s.start);
    if (chip && s.spans.includes(shown.indexOf(chip)) && s.start === chip.start) {
      children.push(
        h('span', { class: 'chip', key: `chip${k}`, 'aria-hidden': 'true' }, chip.speaker ?? 'unresolved speaker'),
      );
    }
    const str = text.slice(s.start, s.end);
    const roles = s.spans.filter((i) => i >= shown.length).map((i) => `para-${structure[i - shown.length].role}`);
    const mine = s.spans.filter((i) => i < shown.length);
    if (!mine.length) {
      children.push(roles.length ? h('span', { key: k, class: roles.join(' ') }, str) : str);
      return;
    }
    const over = mine.map((i) => shown[i]);
    const techs = over.filter((x) => x.layer === 'techniques');
    const classes = ['seg', ...roles];
    if (techs.length) classes.push('tech');
    if (techs.length > 1) classes.push('overlap');
    if (over.some((x) => x.layer === 'quotes')) classes.push('quote');
    const ent = over.find((x) => x.layer === 'entities');
    if (ent) classes.push('ent', `ent-${ent.label}`);
    if (over.some((x) => x.layer === 'narratives')) classes.push('narr');
    const role = over.find((x) => x.layer === 'roles');
    if (role) classes.push('role', `role-${role.label}`);
    if (over.some((x) => x.layer === 'other')) classes.push('other');
    if (over.some((x) => x.id === flash)) classes.push('flash');
    const style: Record<string, string> = {};
    if (techs.length === 1) style.backgroundColor = techniqueColor(techs[0].label);
    else if (techs.length > 1) {
      const step = 100 / techs.length;
      style.backgroundImage = `linear-gradient(to bottom, ${techs.map((x, j) => `${techniqueColor(x.label)} ${j * step}% ${(j + 1) * step}%`).join(', ')})`;
    }
    children.push(
      h(
        'span',
        {
          key: k,
          class: classes.join(' '),
          style,
          tabIndex: 0,
          'data-seg': String(k),
          'data-labels': over.map((x) => x.label).join(' '),
          'aria-describedby': active === k ? 'span-tip' : undefined,
          onMouseEnter: (ev: MouseEvent) => show(k, ev.currentTarget as HTMLElement),
          onMouseLeave: () => setActive((a) => (a === k ? null : a)),
          onFocus: (ev: FocusEvent) => show(k, ev.currentTarget as HTMLElement),
          onBlur: () => setActive((a) => (a === k ? null : a)),
          onKeyDown: (ev: KeyboardEvent) => {
            if (ev.key === 'Escape') setActive(null);
          },
        },
        str,
      ),
    );
  });

  const tip = active !== null && segments[active] && tipRef.current
    ? h(
        'div',
        { id: 'span-tip', role: 'tooltip', class: 'tip', style: { top: `${tipRef.current.top}px`, left: `${tipRef.current.left}px` } },
        segments[active].spans.filter((i) => i < shown.length).map((i) => h('div', { key: i, class: `tip-row tip-${shown[i].layer}` }, describe(shown[i]))),
      )
    : null;

  const byLayer = (layer: Layer) => all.filter((x) => x.layer === layer);
  const d = analysis.document;
  return h('div', { class: 'article' },
    h('header', { class: 'article-head' },
      h('h1', null, d.title ?? '(untitled)'),
      h('p', { class: 'meta' },
        [d.outlet && h('a', { href: `#/outlet/${encodeURIComponent(d.outlet)}` }, d.outlet), d.published?.slice(0, 10), d.language, safeLink(d.url)]
          .filter(Boolean)
          .flatMap((x, i) => (i ? [' · ', x] : [x])),
      ),
      h('p', { class: 'labels' },
        analysis.genre && h('span', { class: 'badge genre' }, `genre: ${analysis.genre.label} ${pct(analysis.genre.confidence)}`),
        analysis.frames.map((f) => h('span', { class: 'badge frame', key: f.frame }, `${pretty(f.frame)} ${pct(f.confidence)}`)),
        (Array.isArray(analysis.narratives) ? (analysis.narratives as { narrative: string; confidence: number }[]) : []).map((n) =>
          h('span', { class: 'badge narrative', key: `n${n.narrative}` }, `${n.narrative} ${pct(n.confidence)}`),
        ),
      ),
    ),
    h('div', { class: 'controls', role: 'group', 'aria-label': 'Layers' },
      LAYERS.filter((l) => present.has(l.key)).map((l) =>
        h('label', { key: l.key, class: `toggle toggle-${l.key}` },
          h('input', { type: 'checkbox', checked: on[l.key], 'data-layer': l.key, onChange: () => setOn({ ...on, [l.key]: !on[l.key] }) }),
          ` ${l.name} (${byLayer(l.key).length})`,
        ),
      ),
    ),
    techniques.length > 0 && on.techniques &&
      h('ul', { class: 'legend', 'aria-label': 'Technique legend' },
        techniques.map((t) =>
          h('li', { key: t },
            h('label', null,
              h('input', { type: 'checkbox', checked: !hiddenTech.has(t), onChange: () => { const n = new Set(hiddenTech); n.has(t) ? n.delete(t) : n.add(t); setHiddenTech(n); } }),
              h('span', { class: 'swatch', style: { backgroundColor: techniqueColor(t) } }),
              ` ${pretty(t)}`,
            ),
          ),
        ),
      ),
    h('a', { class: 'skip-findings', href: '#findings', onClick: (e: Event) => { e.preventDefault(); document.getElementById('findings')?.focus(); } }, 'Skip to the list of findings'),
    h('div', { class: 'article-body' },
      h('div', { class: 'text-wrap' }, h('div', { class: 'text', ref: textRef, lang: d.language !== 'und' ? d.language : undefined }, children, tip)),
      h('aside', { class: 'findings', id: 'findings', tabIndex: -1, 'aria-label': 'Findings' },
        findingsList('Techniques', byLayer('techniques'), (x) => [h('span', { class: 'swatch', style: { backgroundColor: techniqueColor(x.label) } }), ` ${pretty(x.label)} ${pct(x.confidence)}: `, h('q', null, clip(x.text))], jump),
        findingsList('Quotes', byLayer('quotes'), (x) => [h('b', null, x.speaker ?? 'unresolved'), ': ', h('q', null, clip(x.text))], jump, (x) => x.speaker && x.person ? h('a', { href: `#/speaker/${encodeURIComponent(x.speaker)}`, class: 'dossier-link' }, 'dossier') : null),
        findingsList('Entities', dedupeEntities(byLayer('entities')), (x) => [h('b', null, x.speaker), ` (${x.label})`], jump),
        findingsList('Narratives', dedupeBy(byLayer('narratives'), (x) => x.label), (x) => [`${x.label} ${pct(x.confidence)}`, x.kind ? h('span', { class: 'meta' }, ` · ${x.kind}`) : null], jump),
        findingsList('Roles', dedupeBy(byLayer('roles'), (x) => `${x.speaker}\u0000${x.label}`), (x) => [h('b', null, x.speaker), `: ${x.label}${x.kind ? ` (${x.kind})` : ''} ${pct(x.confidence)}`], jump),
        findingsList('Other layers', byLayer('other'), (x) => [`${x.source}: ${x.label} `, h('q', null, clip(x.text))], jump),
        analysis.diagnostics.length > 0 &&
          h('details', { class: 'diagnostics' }, h('summary', null, `Diagnostics (${analysis.diagnostics.length})`),
            h('ul', null, analysis.diagnostics.map((g, i) => h('li', { key: i }, `${g.severity} ${g.code}: ${g.message}`))),
          ),
      ),
    ),
  );
}

function dedupeBy(list: Highlight[], key: (x: Highlight) => string): Highlight[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const k = key(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function dedupeEntities(list: Highlight[]): Highlight[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const key = x.id.split('.')[0];
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const clip = (s: string) => (s.length > 90 ? `${s.slice(0, 88)}…` : s);

function findingsList(title: string, items: Highlight[], body: (x: Highlight) => (El | string | null)[], jump: (x: Highlight) => void, extra?: (x: Highlight) => El | null): El | null {
  if (!items.length) return null;
  return h('section', { class: 'finding-group' },
    h('h2', null, `${title} (${items.length})`),
    h('ul', null, items.map((x) => h('li', { key: x.id }, h('button', { type: 'button', class: 'finding', 'data-finding': x.id, onClick: () => jump(x) }, ...body(x)), extra ? extra(x) : null))),
  );
}

/** Only http(s) links from article metadata become anchors. */
export function safeLink(url: string | null | undefined): El | null {
  if (!url || !/^https?:\/\//i.test(url)) return null;
  return h('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank' }, 'source');
}

export { Fragment };
