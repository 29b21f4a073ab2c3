import { readFileSync } from 'node:fs';
import { repoPath } from '../../subgraphs/shared/repo-path';

/**
 * The fenced code blocks of README.md that the README-examples test runs, read at test time so
 * that the README and the code cannot drift apart. A block's info string is its language and
 * then words: `norun` (not run: a placeholder, another deployment), `background` (a server or a
 * stream that keeps running while the blocks after it run).
 */
export interface ReadmeBlock {
  /** 1-based line of the opening fence, for messages. */
  line: number;
  /** The heading the block sits under. */
  section: string;
  kind: 'graphql' | 'shell';
  background: boolean;
  code: string;
}

const FENCE = /^```(\S*)(.*)$/;
const SHELLS = new Set(['sh', 'bash', 'shell']);

/**
 * Every GraphQL block, every shell block that calls a GraphQL endpoint with curl or registers
 * trusted documents with the hub (later blocks depend on them), and every background block, in
 * README order.
 */
export function runnableReadmeBlocks(file = repoPath('README.md')): ReadmeBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: ReadmeBlock[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6} (.*)/.exec(lines[i]);
    if (heading) section = heading[1];
    const fence = FENCE.exec(lines[i]);
    if (!fence) continue;
    const [, language, rest] = fence;
    const words = rest.trim().split(/\s+/).filter(Boolean);
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
    const code = body.join('\n');
    if (words.includes('norun')) continue;
    const background = words.includes('background');
    if (language === 'graphql') blocks.push({ line: start + 1, section, kind: 'graphql', background: false, code });
    else if (SHELLS.has(language) && (background || (/\bcurl\b/.test(code) && /\/graphql\b/.test(code)) || /\byrd-hub(\.js)? documents add\b/.test(code))) {
      blocks.push({ line: start + 1, section, kind: 'shell', background, code });
    }
  }
  return blocks;
}

/** The demo officer a GraphQL block acts as: the login in its `# as …` comment, else Jiaxing's city petition officer. */
export function actingLogin(code: string): string {
  return /#\s*as\b[^\n]*?\b(demo-[\w-]+)/.exec(code)?.[1] ?? 'demo-330400';
}

/** The GraphQL answers in a command's output: JSON objects with `data` or `errors`, also SSE `data:` lines and answers printed without a newline. */
export function graphqlAnswers(output: string): Array<{ data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> }> {
  const answers = [];
  for (let start = output.indexOf('{'); start !== -1; start = output.indexOf('{', start + 1)) {
    const end = endOfObject(output, start);
    if (end === -1) continue;
    try {
      const value = JSON.parse(output.slice(start, end + 1));
      if (value && typeof value === 'object' && ('data' in value || 'errors' in value)) {
        answers.push(value);
        start = end;
      }
    } catch {
      // not JSON from here: look on from the next brace
    }
  }
  return answers;
}

/** Index of the brace closing the object opened at `start`, skipping strings; -1 if it is not closed. */
function endOfObject(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}
