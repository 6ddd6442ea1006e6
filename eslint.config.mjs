// Lint rules that hold the architecture: src/cdevents is the model and imports
// neither the backend nor the UI; the UI takes only types from the backend.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', 'coverage/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', window: 'readonly', document: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/dev-host/client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/cdevents/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/backend/**', '**/ui/**', '**/dev-host/**'],
              message: 'src/cdevents is the model: it imports neither backend nor ui.',
            },
            { group: ['node:*', '@electric-sql/*'], message: 'src/cdevents does no I/O.' },
          ],
          paths: ['fs', 'net', 'http', 'https', 'crypto', 'child_process', 'pg', 'nats'].map((name) => ({
            name,
            message: 'src/cdevents does no I/O and runs in the browser too.',
          })),
        },
      ],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/backend/**'],
              allowTypeImports: true,
              message: 'The UI takes only types from the backend (import type).',
            },
            {
              group: ['react/jsx-runtime', 'react-dom/client'],
              message: 'One bundle for React 16.14 and 19: classic JSX, no React 18+ entry points.',
            },
          ],
        },
      ],
    },
  },
);
