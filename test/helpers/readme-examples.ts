/**
 * The README's code examples as programs. Each is a ```ts block right after an HTML comment
 * `<!-- example: NAME -->`, a complete module (imports included) that an app could paste. A
 * line ending in `// prints: TEXT` says that the program's output holds a line containing TEXT.
 *
 * @module
 */

export interface Example {
  name: string;
  /** 1-based line of the block's first code line in README.md. */
  line: number;
  code: string;
  /** What its output must contain, one entry per `// prints:` comment. */
  prints: string[];
}

/** The marked ```ts blocks of a Markdown text, and the lines of any ```ts block left unmarked. */
export function readmeExamples(markdown: string): { examples: Example[]; unmarked: number[] } {
  const examples: Example[] = [];
  const unmarked: number[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? '')) continue;
    const marker = /^<!-- example: ([a-z0-9-]+) -->$/.exec((lines[i - 1] ?? '').trim());
    let end = i + 1;
    while (end < lines.length && lines[end]?.trim() !== '```') end++;
    if (!marker) unmarked.push(i + 1);
    else {
      const code = lines.slice(i + 1, end).join('\n');
      const prints = [...code.matchAll(/\/\/ prints: (.+)$/gm)].map((m) => (m[1] ?? '').trim());
      examples.push({ name: marker[1] ?? '', line: i + 2, code: `${code}\n`, prints });
    }
    i = end;
  }
  return { examples, unmarked };
}
