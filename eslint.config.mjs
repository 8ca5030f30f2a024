// Lint: typescript-eslint's recommended rules over all TypeScript sources, plus the layering rule.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// The rooms of production code and what each may import (besides itself). Every arrow points toward
// model/, which imports nothing of ours. test/ and bench/ may import anything; nothing imports them.
const ROOMS = {
  model: [],
  'teleport-client': ['model'],
  'mattermost-client': ['model'],
  'mattermost-bot': ['model', 'mattermost-client'],
  simulators: ['model', 'teleport-client'],
  relay: ['model', 'teleport-client', 'mattermost-client'],
  constructs: ['model', 'mattermost-bot'],
  policies: ['model'],
  drift: ['model', 'teleport-client', 'mattermost-client', 'mattermost-bot'],
  stacks: ['model', 'constructs'],
  sandbox: ['model', 'constructs', 'stacks', 'simulators', 'relay', 'mattermost-bot', 'mattermost-client', 'teleport-client'],
  cli: ['model', 'constructs', 'stacks', 'policies', 'drift', 'relay', 'mattermost-bot', 'mattermost-client', 'teleport-client', 'sandbox'],
  bin: ['cli'],
};
// Rooms that reach the relay daemon do so through its one entry file.
const RELAY_ENTRY = 'index.ts';

export function layeringZones(rooms = ROOMS) {
  const all = [...Object.keys(rooms), 'test', 'bench'];
  const zones = [];
  for (const [room, allowed] of Object.entries(rooms)) {
    const forbidden = all.filter((r) => r !== room && !allowed.includes(r));
    if (forbidden.length) {
      zones.push({
        target: `./${room}`,
        from: forbidden.map((r) => `./${r}`),
        message: `${room}/ may import only ${allowed.length ? allowed.map((r) => `${r}/`).join(', ') : 'nothing else of ours'} (see "Layout" in README.md)`,
      });
    }
    if (allowed.includes('relay')) {
      zones.push({ target: `./${room}`, from: './relay', except: [`./${RELAY_ENTRY}`], message: `${room}/ reaches the relay daemon only through relay/${RELAY_ENTRY}` });
    }
  }
  return zones;
}

export default tseslint.config(
  { ignores: ['test/layout/fixtures/**', 'node_modules/**', 'cdktf.out/**', 'dist/**', '.gen/**', 'bench-out/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: layeringZones() }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
);
