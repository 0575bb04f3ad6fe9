/**
 * A synthetic news corpus for benchmarks: deterministic (seeded), about 800
 * words an article, written from invented building blocks — headline (often
 * scraped three times), lede, headed sections, quotes with named experts and
 * later "he"/"the expert" references, and wire-style reporting.
 */
export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x100000000;
  };
}

const GIVEN = ['Luciano', 'Rania', 'Tomás', 'Petra', 'Maarten', 'Elena', 'Karim', 'Ines', 'Viktor', 'Amara', 'Jonas', 'Leila'];
const FAMILY = ['Anzelini', 'Haddad', 'Ibarra', 'Visser', 'de Kok', 'Marsh', 'Okafor', 'Lindqvist', 'Moreau', 'Adeyemi', 'Novak', 'Serrano'];
const NATION = ['Argentine', 'Lebanese', 'Mexican', 'Dutch', 'Kenyan', 'Brazilian', 'Serbian', 'Indian', 'Turkish', 'Chilean'];
const ROLE = ['political analyst', 'economist', 'security expert', 'historian', 'energy consultant', 'former diplomat', 'professor of law'];
const OUTLET = ['Sputnik', 'reporters', 'the paper', 'Radio Meridian', 'a local broadcaster'];
const CUE = ['said', 'stressed', 'noted', 'argued', 'warned', 'explained', 'claimed', 'added'];
const TOPIC = ['sanctions', 'the pipeline deal', 'the grain corridor', 'the border talks', 'the new tariffs', 'the naval exercises', 'the election monitors', 'the energy price cap'];
const HEAD = ['West\'s Hypocrisy', 'A Dangerous Road', 'Who Pays the Price', 'Double Standards', 'What Comes Next', 'Markets React'];
const FILLER = [
  'Officials in several capitals declined to comment on the figures, which could not be independently verified.',
  'The measures come after months of negotiations that ended without agreement on the main points.',
  'Trade between the two regions fell by almost a fifth last year, according to customs data published in March.',
  'Critics say the decision was rushed through without a proper debate in parliament.',
  'Supporters of the plan insist it is the only way to protect jobs and keep prices under control.',
  'Farmers in the south have already reported shortages of spare parts and fertiliser.',
  'The ministry said it would publish a detailed assessment before the end of the month.',
  'Several companies have moved their regional offices abroad since the restrictions were first announced.',
  'The debate has exposed deep divisions inside the governing coalition and among its allies.',
  'Prices for diesel and heating oil rose sharply in the days after the announcement.',
];

export interface SyntheticArticle {
  title: string;
  text: string;
  outlet: string;
  url: string;
  published: string;
}

export function syntheticArticle(i: number): SyntheticArticle {
  const r = rng(i * 7919 + 17);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  const topic = pick(TOPIC);
  const title = `Experts Warn ${topic[0]!.toUpperCase()}${topic.slice(1)} Will Backfire`;
  const parts: string[] = [];
  const repeats = r() < 0.5 ? 3 : 1;
  for (let k = 0; k < repeats; k++) parts.push(title);
  parts.push(`Analysts from several countries say ${topic} will hurt ordinary people more than the governments it is aimed at.`);
  let words = 0;
  let section = 0;
  while (words < 780) {
    if (words > 150 * (section + 1)) {
      parts.push(pick(HEAD));
      section++;
    }
    const name = `${pick(GIVEN)} ${pick(FAMILY)}`;
    const surname = name.split(' ').slice(1).join(' ');
    const intro = `${pick(NATION)} ${pick(ROLE)} ${name} told ${pick(OUTLET)} that ${topic} were ${r() < 0.5 ? 'a serious mistake' : 'designed to punish the wrong people'}.`;
    const q1 = `"Every time they promise it will be the last package, and every time the bill lands on farmers and pensioners," ${r() < 0.5 ? 'he' : 'the expert'} ${pick(CUE)}.`;
    const q2 = `According to ${surname}, the damage will outlast the current crisis. ${pick(FILLER)}`;
    const q3 = `"This is how it always begins: first the banks, then the borders," ${surname} ${pick(CUE)}, adding that nobody in the capital would pay the price.`;
    for (const p of [intro + ' ' + pick(FILLER), q1 + ' ' + pick(FILLER), q2, q3]) {
      parts.push(p);
      words += p.split(/\s+/).length;
    }
  }
  const day = 1 + (i % 28);
  const month = 1 + (Math.floor(i / 28) % 12);
  const outlet = ['example-news.test', 'daily-ledger.test', 'wire-service.test', 'meridian.test'][i % 4]!;
  return {
    title,
    text: parts.join('\n\n'),
    outlet,
    url: `https://${outlet}/2025/${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}/article-${i}`,
    published: `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T08:00:00Z`,
  };
}
