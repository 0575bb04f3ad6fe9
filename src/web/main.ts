import { h, render, type VNode } from 'preact';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- element props differ per tag
type El = VNode<any>;
import { useEffect, useState } from 'preact/hooks';
import { AnalysePage, ArticlePage, CopiesPage, HomePage, OutletPage, OutletsPage, SearchPage, SpeakerPage, SpeakersPage, TrendsPage } from './pages.ts';
import './style.css';

/** Hash routes: #/article/12, #/search?q=…, #/speaker/<name>, #/outlet/<name>, #/trends, #/copies … */
function route(hash: string): El {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  switch (parts[0]) {
    case undefined:
      return h(HomePage, {});
    case 'analyse':
      return h(AnalysePage, {});
    case 'article':
      return h(ArticlePage, { id: parts[1] ?? '', key: parts[1] });
    case 'search':
      return h(SearchPage, { params });
    case 'speakers':
      return h(SpeakersPage, {});
    case 'speaker':
      return h(SpeakerPage, { name: parts.slice(1).join('/'), key: parts[1] });
    case 'outlets':
      return h(OutletsPage, {});
    case 'outlet':
      return h(OutletPage, { name: parts.slice(1).join('/'), key: parts[1] });
    case 'trends':
      return h(TrendsPage, { params });
    case 'copies':
      return h(CopiesPage, {});
    default:
      return h('p', { class: 'error', role: 'alert' }, 'No such page.');
  }
}

const NAV: [string, string][] = [
  ['#/', 'Analyse'],
  ['#/search', 'Search'],
  ['#/speakers', 'Speakers'],
  ['#/outlets', 'Outlets'],
  ['#/trends', 'Trends'],
  ['#/copies', 'Copies'],
];

function App(): El {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => {
      setHash(location.hash);
      document.getElementById('main')?.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const section = '#/' + (hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '');
  return h('div', { class: 'app' },
    h('a', { class: 'skip', href: '#main', onClick: (e: Event) => { e.preventDefault(); document.getElementById('main')?.focus(); } }, 'Skip to content'),
    h('nav', { class: 'top', 'aria-label': 'Main' },
      h('span', { class: 'brand' }, 'unspin'),
      NAV.map(([href, label]) => h('a', { key: href, href, 'aria-current': section === href || (href === '#/' && section === '#/') ? 'page' : undefined }, label)),
    ),
    h('main', { id: 'main', tabIndex: -1 }, route(hash)),
  );
}

render(h(App, {}), document.getElementById('app')!);
