import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'infra/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // the pure domain imports no framework and does no I/O (docs/architecture.md)
    files: ['libs/case-domain/**/*.ts', 'libs/business-time/**/*.ts'],
    // loaders read config files: the one I/O a pure library may keep, in its own file
    ignores: ['**/*.spec.ts', '**/*.loader.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', 'pg', '@electric-sql/*', 'kafkajs', 'fs', 'node:fs', '@app/event-store'] }],
    },
  },
);
