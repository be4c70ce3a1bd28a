/**
 * One line from the terminal (stdin), for `login --no-browser`'s pasted redirect URL. The prompt
 * goes to stderr so stdout stays clean for scripts.
 *
 * @module
 */
import { createInterface } from 'node:readline';

export function readLine(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
    let answered = false;
    process.stderr.write(prompt);
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) reject(new Error('no input: stdin closed before the address was pasted'));
    });
  });
}
