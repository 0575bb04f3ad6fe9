/** Reading and writing JSON model files with a small header. */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ModelHeader {
  name: string;
  version: string;
  trained: string;
  [k: string]: unknown;
}

export function saveModel(path: string, header: ModelHeader, body: unknown): number {
  mkdirSync(dirname(path), { recursive: true });
  const text = JSON.stringify({ header, body });
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}

export function loadModel<T>(path: string): { header: ModelHeader; body: T } {
  return JSON.parse(readFileSync(path, 'utf8'));
}
