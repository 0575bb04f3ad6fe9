import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// bin/unspin.js runs the esbuild bundle (scripts/build-cli.mjs) only while it is fresh, else the sources through tsx.
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/unspin.js');
const example = join(root, 'examples/expert-chain.txt');

function run(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the bundled CLI gives the same analysis as the TypeScript sources', () => {
  // Inside the repository, so that the bundle's npm imports resolve from node_modules.
  mkdirSync(join(root, 'dist'), { recursive: true });
  const dir = mkdtempSync(join(root, 'dist', 'cli-test-'));
  try {
    execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs'), dir], { cwd: root, stdio: 'pipe' });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { entry: string; inputs: Record<string, [number, number]> };
    assert.ok(Object.keys(manifest.inputs).includes('src/pipeline.ts'), 'the manifest lists the pipeline among its sources');
    // The bundle run straight (bin/unspin.js may refuse it when another edit lands meanwhile).
    const bundled = spawnSync(process.execPath, ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(new URL(`file://${dir}/${manifest.entry}`).href)}); process.exitCode = await main(process.argv.slice(1));`, 'analyze', example, '--json'], { cwd: root, encoding: 'utf8' });
    const sources = run({ UNSPIN_NO_BUNDLE: '1' }, 'analyze', example, '--json');
    assert.equal(bundled.status, 0, bundled.stderr);
    assert.equal(sources.code, 0, sources.stderr);
    assert.equal(bundled.stdout, sources.stdout);
    assert.ok(JSON.parse(bundled.stdout).entities.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bin/unspin.js uses a fresh bundle and ignores a stale one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unspin-stub-'));
  try {
    // A stub bundle that says it ran, with a manifest over one real source file.
    writeFileSync(join(dir, 'stub.mjs'), "export async function main() { process.stdout.write('from the bundle\\n'); return 0; }\n");
    const file = 'src/pipeline.ts';
    const { mtimeMs, size } = statSync(join(root, file));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ entry: 'stub.mjs', inputs: { [file]: [mtimeMs, size] } }));
    assert.equal(run({ UNSPIN_BUNDLE_DIR: dir }, '--version').stdout, 'from the bundle\n');
    assert.match(run({ UNSPIN_BUNDLE_DIR: dir, UNSPIN_NO_BUNDLE: '1' }, '--version').stdout, /^\d+\.\d+\.\d+\n$/);
    // The source changed since the build (another size): the sources run instead.
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ entry: 'stub.mjs', inputs: { [file]: [mtimeMs, size + 1] } }));
    assert.match(run({ UNSPIN_BUNDLE_DIR: dir }, '--version').stdout, /^\d+\.\d+\.\d+\n$/);
    // A source the bundle was built from is gone.
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ entry: 'stub.mjs', inputs: { 'src/no-such-file.ts': [0, 0] } }));
    assert.match(run({ UNSPIN_BUNDLE_DIR: dir }, '--version').stdout, /^\d+\.\d+\.\d+\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
