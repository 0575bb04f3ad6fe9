#!/usr/bin/env node
// Runs the CLI from the esbuild bundle in dist/cli when it is there and every
// source file it was built from is unchanged (scripts/build-cli.mjs, run by
// `npm ci` through `prepare`); otherwise through tsx's loader, straight from
// the TypeScript sources. UNSPIN_NO_BUNDLE=1 forces the tsx path;
// UNSPIN_BUNDLE_DIR names another bundle folder (tests).
import { readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

function freshBundle() {
  if (process.env.UNSPIN_NO_BUNDLE) return null;
  const root = new URL('../', import.meta.url);
  const dir = process.env.UNSPIN_BUNDLE_DIR ? pathToFileURL(`${process.env.UNSPIN_BUNDLE_DIR}/`) : new URL('dist/cli/', root);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8'));
  } catch {
    return null;
  }
  for (const [file, [mtimeMs, size]] of Object.entries(manifest.inputs)) {
    const st = statSync(new URL(file, root), { throwIfNoEntry: false });
    if (!st || st.mtimeMs !== mtimeMs || st.size !== size) return null;
  }
  return new URL(manifest.entry, dir).href;
}

const bundle = freshBundle();
if (!bundle) {
  const { register } = await import('tsx/esm/api');
  register();
}
// `unspin … | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const { main } = await import(bundle ?? '../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
