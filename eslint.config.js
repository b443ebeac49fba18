// ESLint (flat config) with typescript-eslint's recommended rules; `npm run lint` runs it and Prettier's check, and
// `npm test` runs lint before the tests. Formatting is Prettier's job (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from './scripts/eslint-globals.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'snapshots/**', 'test/fixtures/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // defensive initialisers before try/loops are deliberate here
      'no-useless-assignment': 'off',
    },
  },
  {
    // Kubernetes API objects handled as untyped JSON (only the fields read are checked at run time), and test fixtures.
    files: ['src/kube/nodes-*.ts', 'test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // These modules exist to find, escape or parse control characters and raw protocol bytes.
    files: ['src/text/**', 'src/wire/**', 'src/classify/**', 'src/kube/json-fault.ts', 'test/**'],
    rules: { 'no-control-regex': 'off' },
  },
);
