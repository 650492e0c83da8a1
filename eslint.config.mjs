// Lint rules for all TypeScript in the project; `npm test` fails on any error (scripts/test.ts).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.next/**',
      '.kafka/**',
      '.data/**',
      '.bench/**',
      'bench/out/**',
      'bench/peers/**',
      'test-artifacts/**',
      'next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['components/**/*.{ts,tsx}', 'app/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    // The browser takes only types from the contract: its zod schemas, once loaded, probe for `Function`,
    // which the page's Content-Security-Policy refuses (the end-to-end test counts CSP violations).
    files: ['components/**/*.{ts,tsx}', 'app/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/lib/contract', '@/lib/contract/*'],
              allowTypeImports: true,
              message: 'Import types only: values of the contract bring zod into the page (see lib/calendarUnits.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a destructured field left out, a callback's position).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  prettier,
);
