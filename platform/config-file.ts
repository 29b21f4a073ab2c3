import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { ZodType } from 'zod';

/**
 * Reads a YAML configuration file and checks it against `schema`. Every problem is reported
 * as "FILE: field.path: what is wrong", so that the person who edits the file knows where to look.
 */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length === 1 ? problems[0] : '\n  ' + problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function readConfigFile<T>(file: string, schema: ZodType<T>): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigError(file, [`is not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      file,
      result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`),
    );
  }
  return result.data;
}
