// Test fixture shared by the narratives tests (not a test file itself).
import type { NarrDoc } from './train.ts';

// Invented documents: two about costly wind power, two about a war's shelling, two about town life.
export const inventedDocs: NarrDoc[] = [
  { id: 'a', lang: 'EN', text: 'Wind turbines are ruinously expensive and push up electricity bills.', narratives: ['CC: Controversy about green technologies'], subnarratives: ['CC: Controversy about green technologies: Renewable energy is costly'] },
  { id: 'b', lang: 'EN', text: 'Solar subsidies cost families billions; renewable power is unaffordable.', narratives: ['CC: Controversy about green technologies'], subnarratives: ['CC: Controversy about green technologies: Renewable energy is costly'] },
  { id: 'c', lang: 'EN', text: 'The army of Velm shelled the border towns and blamed the West for the war.', narratives: ['URW: Blaming the war on others rather than the invader'], subnarratives: ['URW: Blaming the war on others rather than the invader: The West are the aggressors'] },
  { id: 'd', lang: 'EN', text: 'Officials in Velm say Western weapons prolong the war and provoked the shelling.', narratives: ['URW: Blaming the war on others rather than the invader'], subnarratives: ['URW: Blaming the war on others rather than the invader: The West are the aggressors'] },
  { id: 'e', lang: 'EN', text: 'The town fair opened with a parade and the band played until dusk.', narratives: ['Other'], subnarratives: ['Other'] },
  { id: 'f', lang: 'EN', text: 'A new bakery near the station sells bread and cakes every morning.', narratives: ['Other'], subnarratives: ['Other'] },
];
