// ESLint flat config: JavaScript and typescript-eslint's recommended rules, plus the
// project's layering rules (docs/ARCHITECTURE.md): kernels and references never import each
// other; both import the shared rules in src/problem.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-lib/', 'dist-pack/', 'bench-results/', 'tests/.artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='innerHTML']",
          message: 'Never write innerHTML: build DOM nodes or use Lit templates.',
        },
        { selector: "CallExpression[callee.name='eval']", message: 'No eval.' },
      ],
    },
  },
  {
    // Tests drive the page through window globals inside page.evaluate.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/kernels/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/reference/**', '**/reference'], message: 'Kernels never import references: shared rules live in src/problem.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/reference/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/kernels/**', '**/kernels', '**/gpu/**', '**/gpu'],
              message: 'References are plain CPU code: shared rules live in src/problem.',
            },
          ],
        },
      ],
    },
  },
);
