// ESLint 10 flat config: typescript-eslint's recommended rules over the hub's TypeScript and the
// plain JavaScript of bin/ and the web apps. Layout is Prettier's (.prettierrc; npm run format), not ESLint's.
// No type-aware rules: they need the whole program type-checked (tsc already does that in the build),
// which would take `npm run lint` well past a minute on a loaded machine.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// The globals plain JavaScript here uses (TypeScript files are checked for undefined names by tsc itself).
const node = Object.fromEntries(
  ['console', 'process', 'require', 'module', 'exports', '__dirname', '__filename', 'Buffer', 'URL', 'fetch', 'setTimeout', 'clearTimeout'].map((name) => [
    name,
    'readonly',
  ]),
);
const browser = Object.fromEntries(
  ['window', 'document', 'localStorage', 'location', 'fetch', 'URL', 'console', 'setTimeout', 'clearTimeout'].map((name) => [name, 'readonly']),
);

export default defineConfig(
  globalIgnores(['dist/', 'dist-*/', 'coverage/', '.hub-data/', '**/generated/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, globals: node },
    rules: {
      // A leading underscore names what is left out on purpose (`const { secret: _secret, ...rest } = …`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // require() in TypeScript is deliberate here: ES-module packages loaded synchronously and code loaded only when needed.
      '@typescript-eslint/no-require-imports': 'off',
      // The hub re-words a caught error for people (its message is kept in the new one), and prints messages, not chains.
      'preserve-caught-error': 'off',
    },
  },
  {
    // Tests, the benchmark and the console's screens read GraphQL answers as untyped JSON (typed
    // documents, as examples/warnings-monitor has them from graphql-codegen, are the console's next step).
    files: ['test/**', 'bench/**', 'web/console/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['web/**'],
    languageOptions: { globals: browser },
  },
);
