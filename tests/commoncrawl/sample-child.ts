/**
 * `ccaudit sample` as its own process, for the kill-and-resume test: the sample command
 * registered on a bare commander program (the lead's main.ts registers it the same way).
 */
import { Command } from 'commander';
import { register } from '../../src/cli/sample.js';

const program = new Command('ccaudit');
register(program);
await program.parseAsync(process.argv);
