import type { Analysis } from '../document/types.ts';

/** ANSI styling that turns itself off when the output is not a terminal. */
export function styler(enabled: boolean) {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), cyan: wrap(36, 39), yellow: wrap(33, 39), magenta: wrap(35, 39), green: wrap(32, 39), red: wrap(31, 39) };
}

const clip = (s: string, n: number) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
};

/** An evidence sentence in quotation marks, unless it already opens with one (a quoted sentence). */
const cite = (s: string, n: number) => {
  const t = clip(s, n);
  return /^["“”„«»‘'‹]/.test(t) ? t : `“${t}”`;
};

/**
 * A readable report of an Analysis: title and metadata, sections, entities,
 * then each later layer when it is present.
 */
export function renderReport(a: Analysis, opts: { color: boolean; width?: number }): string {
  const c = styler(opts.color);
  const width = Math.max(60, Math.min(opts.width ?? 100, 140));
  const out: string[] = [];
  const d = a.document;
  const words = (d.text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
  out.push(c.bold(d.title ?? '(untitled)'));
  const meta = [d.outlet, d.byline, d.published, d.url, `language ${d.language}`, `${words} words`].filter(Boolean);
  out.push(c.dim(meta.join(' · ')));
  if (a.segments.lede && a.segments.lede.text !== d.title) out.push(c.dim(clip(a.segments.lede.text, width)));

  const headed = a.segments.sections.filter((s) => s.heading);
  if (headed.length) {
    out.push('', c.bold(`Sections (${a.segments.sections.length})`));
    for (const s of a.segments.sections) {
      out.push(`  ${s.heading ? c.cyan(s.heading.text) : c.dim('(opening)')} ${c.dim(`${s.paragraphs.length} paragraph${s.paragraphs.length === 1 ? '' : 's'}`)}`);
    }
  }

  if (a.entities.length) {
    out.push('', c.bold(`Entities (${a.entities.length})`));
    const order = ['person', 'organization', 'place', 'group', 'other'];
    const sorted = [...a.entities].sort((x, y) => order.indexOf(x.type) - order.indexOf(y.type) || y.mentions.length - x.mentions.length);
    for (const e of sorted) {
      const desc = e.descriptors.length ? ` — ${e.descriptors.join('; ')}` : '';
      out.push(`  ${c.dim(e.type.padEnd(12))} ${c.bold(e.name)}${desc} ${c.dim(`×${e.mentions.length}`)}`);
    }
  }

  if (a.quotes.length) {
    out.push('', c.bold(`Quotes (${a.quotes.length})`));
    for (const q of a.quotes) {
      const who = q.speaker.name ?? (q.speaker.mention ? `${q.speaker.mention.text} (unresolved)` : 'unattributed');
      const cue = q.cue ? c.dim(` ${q.cue.text}`) : '';
      // Beliefs and evidence are attributions too, but not things anyone said: name them.
      const act = q.act && q.act !== 'speech' ? ` · ${q.act}` : '';
      out.push(`  ${c.green(who)}${cue} ${c.dim(`[${q.kind}${act}]`)}`);
      out.push(`    ${clip(q.text, width - 4)}`);
    }
  }

  if (a.techniques.length) {
    out.push('', c.bold(`Persuasion techniques (${a.techniques.length} spans)`));
    for (const t of a.techniques) {
      const voice = t.voice === 'outlet' ? 'outlet' : t.voice === 'direct_quote' ? 'quoted' : 'reported';
      out.push(`  ${c.magenta(t.technique)} ${c.dim(`${t.confidence.toFixed(2)} ${voice}`)}  ${clip(t.text, width - t.technique.length - 20)}`);
    }
  }

  if (a.frames.length) {
    out.push('', c.bold('Frames'));
    for (const f of a.frames) out.push(`  ${c.yellow(f.frame)} ${c.dim(f.confidence.toFixed(2))}${f.evidence[0] ? c.dim(`  ${cite(f.evidence[0].text, width - 40)}`) : ''}`);
  }
  if (a.genre) {
    out.push('', `${c.bold('Genre')}  ${c.yellow(a.genre.label)} ${c.dim(a.genre.confidence.toFixed(2))}`);
  }

  type NarrativeRow = { narrative: string; confidence: number; source?: string; evidence?: { text: string }[]; subnarratives?: { subnarrative: string; confidence: number }[] };
  const narratives = Array.isArray(a.narratives) ? (a.narratives as NarrativeRow[]) : [];
  if (narratives.length) {
    out.push('', c.bold('Narratives'));
    for (const n of narratives) {
      const user = n.source === 'user' ? c.dim(' (user-defined)') : '';
      out.push(`  ${c.yellow(n.narrative)} ${c.dim(n.confidence.toFixed(2))}${user}`);
      for (const sub of n.subnarratives ?? []) out.push(`    ${sub.subnarrative.split(': ').pop()} ${c.dim(sub.confidence.toFixed(2))}`);
      if (n.evidence?.[0]) out.push(`    ${c.dim(cite(n.evidence[0].text, width - 8))}`);
    }
  }
  type RoleRow = { name: string; main: string; mainConfidence: number; fine: { role: string; confidence: number }[] };
  const roles = Array.isArray(a.roles) ? (a.roles as RoleRow[]) : [];
  if (roles.length) {
    out.push('', c.bold('Roles'));
    for (const r of roles) {
      out.push(`  ${c.bold(r.name)}  ${r.main} ${c.dim(r.mainConfidence.toFixed(2))}${r.fine.length ? c.dim(` · ${r.fine.map((f) => f.role).join(', ')}`) : ''}`);
    }
  }

  for (const [key, value] of Object.entries(a)) {
    if (['schema', 'document', 'segments', 'entities', 'quotes', 'techniques', 'paragraphTechniques', 'frames', 'genre', 'models', 'diagnostics', 'narratives', 'roles'].includes(key)) continue;
    if (Array.isArray(value) && value.length) out.push('', c.bold(`${key} (${value.length})`));
  }

  const problems = a.diagnostics.filter((x) => x.severity !== 'info' || x.code === 'language-unsupported');
  if (problems.length) {
    out.push('', c.bold('Diagnostics'));
    for (const p of problems) out.push(`  ${p.severity === 'error' ? c.red(p.code) : c.dim(p.code)} ${p.message}`);
  }
  const models = Object.entries(a.models);
  if (models.length) out.push('', c.dim(`models: ${models.map(([k, v]) => `${k}=${v}`).join(', ')}`));
  return out.join('\n') + '\n';
}
