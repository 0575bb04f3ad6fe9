import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findBadSpan } from '../../src/document/runner.ts';
import type { Analysis } from '../../src/document/types.ts';

/**
 * Shared checks for the reliability suite. An Analysis is "correct" for these
 * tests when every span lies in its text (findBadSpan), no span boundary cuts
 * a surrogate pair in two (a user would see half an emoji), and no stage
 * failed or produced a span the runner had to drop.
 */
export function analysisProblems(a: Analysis): string[] {
  const text = a.document.text;
  const problems: string[] = [];
  const bad = findBadSpan(a, text);
  if (bad) problems.push(bad);
  const cuts = (i: number) => i > 0 && i < text.length && isHigh(text.charCodeAt(i - 1)) && isLow(text.charCodeAt(i));
  let splits = 0;
  walkSpans(a, (s) => {
    if (cuts(s.start) || cuts(s.end)) splits++;
  });
  if (splits) problems.push(`${splits} span(s) start or end inside a surrogate pair`);
  for (const d of a.diagnostics) {
    if (d.code === 'stage-failed' || d.code === 'span-invalid') problems.push(`${d.code}: ${d.message}`);
  }
  return problems;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Every object with numeric start and end, at any depth. */
export function walkSpans(value: unknown, fn: (s: { start: number; end: number }) => void, seen = new Set<object>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const v of value) walkSpans(v, fn, seen);
    return;
  }
  const o = value as Record<string, unknown>;
  if (typeof o.start === 'number' && typeof o.end === 'number') fn(o as { start: number; end: number });
  for (const k of Object.keys(o)) if (k !== 'text') walkSpans(o[k], fn, seen);
}

export interface LocalServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (port chosen by the OS) for network faults. */
export async function localServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalServer> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Invented prose (no corpus text): `n` sentences, some quoted, varied words. */
export function prose(n: number, seed = 1): string {
  const names = ['Halvard Quist', 'Mirela Stanek', 'Oren Vasko', 'Tuula Berg'];
  const roles = ['a port economist', 'the pundit', 'a retired admiral', 'the expert'];
  const out: string[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const who = names[s % names.length];
    const role = roles[(s >> 8) % roles.length];
    if (i % 3 === 0) out.push(`"The canal tolls in Brevik will ruin the fishing towns," said ${who}, ${role}.`);
    else if (i % 3 === 1) out.push(`He added that council number ${i} had ignored every warning about the reckless plan.`);
    else out.push(`Officials in Brevik denied the claim on day ${i}, calling it a shameful distortion.`);
    if (i % 5 === 4) out.push('\n\n');
  }
  return out.join(' ');
}
