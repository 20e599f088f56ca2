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

/**
 * The engine's import directions. The master side and the replica side never import each other:
 * where one server's action reaches another (a FIN, a reset, a timeout) it goes through net.ts.
 * The low layers import none of the replication modules. Later entries win for their files.
 */
const REPLICA_SIDE = ['./replica', './replicaSync', './cachedMaster'];
const MASTER_SIDE = ['./master', './feed'];
const UPPER = ['./sim', './server', './commands', './cron', './rdb', './wait'];
const engineLayers = [
  { files: ['src/engine/**/*.ts'], banned: [], message: '' },
  {
    files: ['src/engine/{master,feed}.ts'],
    banned: [...REPLICA_SIDE, './sim', './server', './commands', './cron'],
    message: 'The master side does not import the replica side: go through net.ts.',
  },
  {
    files: ['src/engine/{replica,replicaSync,cachedMaster}.ts'],
    banned: [...MASTER_SIDE, './sim', './server', './commands', './cron'],
    message: 'The replica side does not import the master side: go through net.ts.',
  },
  {
    files: [
      'src/engine/{world,queue,net,backlog,psync,dialect,events,types,log,rng,resp,reply,config,info}.ts',
      'src/engine/keyspace/**/*.ts',
    ],
    banned: [...REPLICA_SIDE, ...MASTER_SIDE, ...UPPER],
    message: 'A low layer of the engine does not import the replication modules above it.',
  },
];

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
    files: ['scripts/**/*.ts', 'e2e/**/*.ts', '*.config.ts', '*.config.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/engine/**/*.ts', 'src/lab/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: pure,
  },
  ...engineLayers.map(({ files, banned, message }) => ({
    files,
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...pure['@typescript-eslint/no-restricted-imports'][1].patterns,
            { group: ['**/lab/**', '**/lab'], message: 'The engine does not know the lab script.' },
            ...(banned.length ? [{ group: banned, message }] : []),
          ],
        },
      ],
    },
  })),
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
