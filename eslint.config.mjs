// @ts-check
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier/flat';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The tiers of the README's "A short tour", lowest first, as import-x `no-restricted-paths` zones: each tier is a
 * folder, so a zone of paths says the rule as the architecture does, with nothing else to keep in step.
 * A tier may import its own folder and the tiers listed before it, never one after it: dependencies
 * point down.
 */
const tiers = [
  { name: 'libs', path: './libs' },
  { name: 'src/platform', path: './src/platform' },
  { name: 'src/control-plane', path: './src/control-plane' },
  { name: 'src/identity', path: './src/identity' },
  { name: 'src/crm', path: './src/crm' },
];

/** The composition root wires every tier together: it may import anything, and nothing imports it. */
const compositionRoot = ['./src/app.module.ts', './src/app.factory.ts', './src/main.ts', './src/cli.ts', './src/cli', './src/openapi'];

/** Code that runs tests, benches or builds: application code never imports it; specs may import test support and the schema. */
const tooling = ['./bench', './scripts', './packages'];
const testSupport = './test';

/** What each tier may not import besides the tiers above it and the composition root. */
const extraForbidden = {
  // libs know nothing of the application, not even its schema.
  libs: ['./src', './migrations'],
  'src/platform': ['./migrations'],
  // The tenant's domain reaches the control plane through its narrow services only, and never
  // sign-in internals: identity sits beside crm, not below it.
  'src/crm': ['./src/identity', './migrations'],
  'src/identity': ['./migrations'],
};

function tierZones({ specs }) {
  const zones = tiers.map((tier, index) => {
    const above = tiers.slice(index + 1).map((t) => t.path);
    const specsMay = specs ? [testSupport, './migrations'] : [];
    const from = [...above, ...compositionRoot, ...tooling, testSupport, ...(extraForbidden[tier.name] ?? [])].filter(
      (path) => !specsMay.includes(path),
    );
    const allowed = tiers
      .slice(0, index + 1)
      .filter((t) => !from.includes(t.path))
      .map((t) => t.name);
    return {
      target: tier.path,
      from: [...new Set(from)].filter((path) => path !== tier.path),
      message: `${tier.name} may import only ${allowed.join(', ')}: dependencies point down (README: A short tour).`,
    };
  });
  // Only the control plane touches its entities and its database (TypeORM's default DataSource).
  const storageMessage = 'Only the control plane touches its entities and its database: call one of its services instead.';
  for (const target of ['./src/crm', './src/identity']) {
    zones.push({ target, from: ['./src/control-plane/schema/**', './src/control-plane/database/**'], message: storageMessage });
  }
  return zones;
}

const specFiles = ['**/*.spec.ts', '**/*.service-spec.ts', '**/testing/**'];

export default defineConfig(
  {
    ignores: ['dist/**', 'coverage/**', 'node_modules/**', '.data/**', 'packages/client/schema.d.ts'],
  },
  eslint.configs.recommended,
  // Type-aware: floating and misused promises are found only with the types.
  tseslint.configs.recommendedTypeChecked,
  {
    plugins: { 'import-x': importX },
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.d.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: tierZones({ specs: false }) }],
      // An underscore names what destructuring leaves out on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // A variable a closure reads before its one assignment (a server's callback, say) stays a let.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // DTO mappers are static functions passed to map(): they never read `this`.
      '@typescript-eslint/unbound-method': ['error', { ignoreStatic: true }],
      // An async method that does not await still turns its throws into rejections, which callers handle uniformly.
      '@typescript-eslint/require-await': 'off',
      // Domain declaration files merge their permission names into TenantPermissionNames through an empty `extends`.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    files: specFiles,
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: tierZones({ specs: true }) }],
    },
  },
  {
    files: ['src/crm/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nestjs/typeorm',
              importNames: ['InjectDataSource', 'InjectRepository', 'InjectEntityManager', 'TypeOrmModule'],
              message:
                "Nest's TypeORM DataSource is the control plane's: tenant data comes from TenantConnectionProvider, " +
                'control-plane facts from its services.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and benches read JSON bodies and query rows whose shape the assertions check.
    files: ['test/**', 'bench/**', ...specFiles],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
