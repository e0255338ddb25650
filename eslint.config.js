// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import path from 'node:path';

const SRC = path.join(import.meta.dirname, 'src');
const MODULES = path.join(SRC, 'modules');

/**
 * Modules talk through public services (STYLE.md §2): code outside src/modules/<name>/ may
 * import only src/modules/<name>/index.ts, and platform code imports no module at all.
 */
const moduleBoundaries = {
  meta: { type: 'problem', messages: {
    deep: 'Import module "{{module}}" only through its index.ts (STYLE.md §2), not {{file}}.',
    platform: 'src/platform must not import modules (platform is the lower layer).',
  } },
  create(context) {
    const from = context.filename;
    const check = (node) => {
      const spec = node.source && node.source.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(from), spec);
      if (!target.startsWith(MODULES + path.sep)) return;
      const rel = path.relative(MODULES, target).split(path.sep);
      const module = rel[0];
      const inside = from.startsWith(path.join(MODULES, module) + path.sep);
      if (from.startsWith(path.join(SRC, 'platform') + path.sep)) {
        context.report({ node, messageId: 'platform' });
        return;
      }
      if (!inside && !(rel.length === 2 && rel[1] === 'index.ts')) {
        context.report({ node, messageId: 'deep', data: { module, file: rel.slice(1).join('/') } });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: (node) => check({ source: node.source, ...node }) };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'bench/results/', 'coverage/', 'eslint.config.js', 'bin/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX, zhengwu: { rules: { 'module-boundaries': moduleBoundaries } } },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'import-x/no-cycle': ['error', { maxDepth: 10, ignoreExternal: true }],
      'zhengwu/module-boundaries': 'error',
    },
  },
  {
    files: ['**/*.test.ts', '**/*.itest.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
