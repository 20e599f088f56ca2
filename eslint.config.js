import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const pure = {
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: ['react', 'react-*', 'zustand', 'zustand/*', 'framer-motion', 'node:*'],
          message: 'The engine and the lab script stay UI-free and platform-free.',
        },
        {
          group: ['**/store/**', '**/ui/**', '**/store', '**/ui'],
          message: 'Data flows engine → lab → store → ui, never back.',
        },
      ],
    },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Use the seeded Rng in the simulation state.' },
    { object: 'Date', property: 'now', message: 'Use the simulated clock.' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date']", message: 'Use the simulated clock.' },
  ],
  'no-restricted-globals': [
    'error',
    'window',
    'document',
    'performance',
    'setTimeout',
    'setInterval',
    'process',
  ],
};

export default defineConfig(
  globalIgnores(['dist', 'playwright-report', 'test-results', 'node_modules']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['scripts/**/*.ts', 'e2e/**/*.ts', '*.config.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/engine/**/*.ts', 'src/lab/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: pure,
  },
  {
    files: ['src/engine/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...pure['@typescript-eslint/no-restricted-imports'][1].patterns,
            { group: ['**/lab/**', '**/lab'], message: 'The engine does not know the lab script.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/engine/**', '**/engine', '**/lab/**'],
              message: 'Read engine state through src/store selectors.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
