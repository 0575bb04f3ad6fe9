#!/usr/bin/env node
/**
 * Bundles the CLI (src/cli/main.ts and everything it imports, lazily loaded
 * commands as separate chunks) into dist/cli/ with esbuild, so that
 * bin/unspin.js can start without transpiling TypeScript through tsx (a cold
 * `unspin analyze` spent a few hundred milliseconds there).
 *
 * - npm packages stay external (loaded from node_modules as usual);
 * - `import.meta.url` in each source file is rewritten to that file's own
 *   location, so data files and models next to the sources are found;
 * - dist/cli/manifest.json records every bundled source file with its size
 *   and modification time: bin/unspin.js uses the bundle only while all of
 *   them are unchanged, and falls back to tsx otherwise (a stale bundle never
 *   runs).
 *
 * Run by `npm run build:cli` (and by `prepare`, so `npm ci` builds it).
 * `node scripts/build-cli.mjs DIR` writes the bundle to DIR instead (tests).
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist', 'cli');
const toPosix = (p) => p.split(sep).join('/');

/** Each source file sees `import.meta.url` as its own URL, computed from the chunk's. */
const metaUrl = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(?:ts|tsx|mts|js|mjs)$/ }, (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const rel = toPosix(relative(outdir, args.path));
      const contents = source.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
      const loader = args.path.endsWith('.tsx') ? 'tsx' : /\.m?ts$/.test(args.path) ? 'ts' : 'js';
      return { contents, loader };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  chunkNames: '[name]-[hash]',
  metafile: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [metaUrl],
});

const inputs = {};
for (const file of Object.keys(result.metafile.inputs).sort()) {
  if (file.includes('node_modules/')) continue;
  const st = statSync(join(root, file));
  inputs[toPosix(file)] = [st.mtimeMs, st.size];
}
writeFileSync(join(outdir, 'manifest.json'), JSON.stringify({ entry: 'main.mjs', inputs }) + '\n');
console.log(`${toPosix(relative(root, outdir)) || '.'}: bundled ${Object.keys(inputs).length} source files`);
