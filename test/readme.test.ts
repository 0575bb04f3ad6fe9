// The README shows the output of its install-and-run command; this keeps that block honest: when a model
// or the report changes, the README must be updated with the new real output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli } from '../src/cli/testing.ts';

const root = new URL('../', import.meta.url);

test('the README shows the real output of `unspin analyze examples/expert-chain.txt`', async () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const command = 'node bin/unspin.js analyze examples/expert-chain.txt';
  assert.ok(readme.includes(command), 'the README gives the command');
  const after = readme.indexOf('prints (real output of that command');
  assert.ok(after > 0, 'the README introduces the output block');
  const start = readme.indexOf('```text\n', after) + '```text\n'.length;
  const shown = readme.slice(start, readme.indexOf('```', start));
  const { code, stdout } = await runCli(['analyze', new URL('examples/expert-chain.txt', root).pathname]);
  assert.equal(code, 0);
  assert.equal(shown, stdout, 'README.md shows stale output: paste the output of the command above into it');
});
