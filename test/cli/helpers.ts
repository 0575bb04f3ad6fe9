export { runCli } from '../../src/cli/testing.ts';
