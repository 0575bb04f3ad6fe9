import { readFileSync } from 'node:fs';

/** Abbreviations that end in a period without ending a sentence (data: abbreviations.txt). */
export const ABBREVIATIONS: ReadonlySet<string> = new Set(
  readFileSync(new URL('./abbreviations.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l && !l.startsWith('#')),
);
