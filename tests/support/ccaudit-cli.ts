// Runs the real CLI from the TypeScript sources (tests do not depend on a prior `tsc`).
import { main } from '../../src/cli/main.js';

await main(process.argv);
