/** Writing a rendered report to stdout or a file. */
import { writeFile } from 'node:fs/promises';

export { renderReport } from '../report/render.js';

export async function writeReport(text: string, out: string | undefined, what: string): Promise<void> {
  if (!out) {
    process.stdout.write(text);
    return;
  }
  try {
    await writeFile(out, text);
  } catch (err) {
    throw new Error(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  process.stderr.write(`${what}: wrote ${out}\n`);
}
