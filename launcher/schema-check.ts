import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

/**
 * `yrd-hub check`: what a change of the code does to the published API (schema/api.graphql) as
 * apps see it — breaking, dangerous and safe changes, by @graphql-inspector/core's rules —
 * against the committed schema (`HEAD`) or any git ref.
 */

export interface SchemaCheck {
  base: string;
  breaking: Change[];
  dangerous: Change[];
  safe: Change[];
}

/** The API schema as `ref` has it; the file on disk when this is no git checkout. */
export function apiSchemaAt(ref: string, file: string): string {
  const root = path.dirname(path.dirname(file));
  try {
    return execFileSync('git', ['show', `${ref}:${path.relative(root, file).split(path.sep).join('/')}`], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const reason = String((error as { stderr?: unknown }).stderr ?? '').trim();
    if (/not a git repository/.test(reason)) return readFileSync(file, 'utf8');
    throw new Error(`cannot read ${path.basename(file)} at ${ref}: ${reason.split('\n')[0] || (error as Error).message}`);
  }
}

export async function checkApiSchema(baseSdl: string, base: string, currentSdl: string): Promise<SchemaCheck> {
  const changes = await diff(buildSchema(baseSdl), buildSchema(currentSdl));
  const of = (level: CriticalityLevel) => changes.filter((change) => change.criticality.level === level);
  return { base, breaking: of(CriticalityLevel.Breaking), dangerous: of(CriticalityLevel.Dangerous), safe: of(CriticalityLevel.NonBreaking) };
}

export function describeCheck(check: SchemaCheck): string {
  const lines = [`API schema against ${check.base}: ${check.breaking.length} breaking, ${check.dangerous.length} dangerous, ${check.safe.length} safe`];
  for (const [label, changes] of [
    ['BREAKING', check.breaking],
    ['DANGEROUS', check.dangerous],
    ['safe', check.safe],
  ] as const) {
    for (const change of changes) lines.push(`  ${label.padEnd(9)} ${change.message}${change.criticality.reason ? ` — ${change.criticality.reason}` : ''}`);
  }
  return lines.join('\n');
}
