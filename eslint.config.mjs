// ESLint flat config (`npm run lint` = `eslint .`).
//
// What is linted: support/, steps/, test/, bench/, services/*/src and services/common, cucumber.js
// (plus these root config files). Everything else (lab/, fixtures/, manifests/, generated output)
// is ignored below. Formatting is Prettier's job (`npm run format:check`, printWidth 160 is the
// line limit); eslint-config-prettier switches off every stylistic rule that would fight it.
// Import layering (which folder may import which) is dependency-cruiser's job: .dependency-cruiser.cjs.
//
// typescript-eslint's *non-type-checked* recommended set keeps this fast (no TypeScript program is built).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(
    [
      '**/node_modules/',
      'reports/',
      '.kubeproof/',
      'services/*/dist/',
      'lab/',
      // k6 scripts (run by k6's own JS runtime, not Node) and fixture data
      'fixtures/',
      'manifests/',
      'features/',
    ],
    'kubeproof: not linted',
  ),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    name: 'kubeproof: all sources',
    languageOptions: {
      ecmaVersion: 2023,
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }], // `x == null` (null or undefined) is the one allowed loose comparison
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },

  {
    // Plain CommonJS: cucumber.js profiles, the cucumber formatter, the component-test emitter and fixtures.
    name: 'kubeproof: CommonJS JavaScript',
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  // Last: turn off every rule that conflicts with Prettier.
  prettier,
);
