/**
 * The questions `tesla-mcp setup` asks, behind a small interface so the steps do not depend on
 * the prompt library: {@link clackPrompter} uses `@clack/prompts` (bundled; runs on Node 20.12+).
 * A cancelled prompt (Ctrl-C, Esc) throws {@link SetupCancelled}.
 *
 * @module
 */
import { cliCommand } from '../util/cli-command.js';

export interface Choice<T extends string> {
  value: T;
  label: string;
  hint?: string;
}

export interface Prompter {
  text(o: {
    message: string;
    initial?: string | undefined;
    placeholder?: string;
    validate?: (value: string) => string | undefined;
  }): Promise<string>;
  password(o: {
    message: string;
    validate?: (value: string) => string | undefined;
  }): Promise<string>;
  select<T extends string>(o: {
    message: string;
    options: Choice<T>[];
    initial?: T | undefined;
  }): Promise<T>;
  confirm(o: { message: string; initial?: boolean }): Promise<boolean>;
}

export class SetupCancelled extends Error {
  override readonly name = 'SetupCancelled';
  constructor() {
    super(`setup stopped; run \`${cliCommand('setup')}\` again to continue where you left off`);
  }
}

/** The `@clack/prompts` implementation on the process's terminal. */
export async function clackPrompter(): Promise<Prompter> {
  const p = await import('@clack/prompts');
  const done = <T>(v: T | symbol): Exclude<T, symbol> => {
    if (p.isCancel(v) || typeof v === 'symbol') throw new SetupCancelled();
    return v as Exclude<T, symbol>;
  };
  const check = (validate?: (value: string) => string | undefined) => (value: string | undefined) =>
    validate?.(value ?? '');
  return {
    async text(o) {
      const v = await p.text({
        message: o.message,
        ...(o.initial ? { initialValue: o.initial } : {}),
        ...(o.placeholder ? { placeholder: o.placeholder } : {}),
        validate: check(o.validate),
      });
      return done(v).trim();
    },
    async password(o) {
      return done(await p.password({ message: o.message, validate: check(o.validate) }));
    },
    async select<T extends string>(o: {
      message: string;
      options: Choice<T>[];
      initial?: T | undefined;
    }): Promise<T> {
      const options = o.options.map((c) => ({
        value: c.value,
        label: c.label,
        ...(c.hint ? { hint: c.hint } : {}),
      }));
      const v = await p.select({
        message: o.message,
        options: options as Parameters<typeof p.select<T>>[0]['options'],
        ...(o.initial ? { initialValue: o.initial } : {}),
      });
      return done(v) as T;
    },
    async confirm(o) {
      return done(await p.confirm({ message: o.message, initialValue: o.initial ?? true }));
    },
  };
}
