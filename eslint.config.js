// ESLint (flat config): typescript-eslint's recommended rules, and the layers of the code as
// import rules. Run by `npm run lint` and by `npm test`. The layers (docs/architecture.md):
//   core      pure verification logic: imports nothing of the project but itself
//   wire      the wire formats (messages, stored records, protocols) and their parsers: core (pure like it)
//   worker    the hashing worker: core, wire
//   ui-kit    widgets the pages and the embed widget share: core (no extension code)
//   extension the kernel every extension surface shares: core, wire, worker, ui-kit
//   background, ui, site, offscreen: the extension's surfaces: core, wire, worker, ui-kit, extension — never each other
//   embed     the widget on other people's pages: core, wire, worker, ui-kit — never the extension's kernel
//             (background/firefox and background/chromium, one browser's parts, never import each other)
//   cli       the command line: core
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettierOff from 'eslint-config-prettier';

const FOLDERS = [
  'core',
  'wire',
  'worker',
  'ui-kit',
  'extension',
  'background',
  'ui',
  'site',
  'embed',
  'offscreen',
  'cli',
];

/** What each folder under src/ may import besides itself. */
const ALLOWED = {
  core: [],
  wire: ['core'],
  worker: ['core', 'wire'],
  'ui-kit': ['core'],
  extension: ['core', 'wire', 'worker', 'ui-kit'],
  background: ['core', 'wire', 'worker', 'extension'],
  ui: ['core', 'wire', 'worker', 'ui-kit', 'extension'],
  site: ['core', 'wire', 'worker', 'ui-kit', 'extension'],
  embed: ['core', 'wire', 'worker', 'ui-kit'],
  offscreen: ['core', 'wire', 'worker', 'extension'],
  cli: ['core'],
};

/** Packages only some layers may use. */
const PACKAGES = {
  core: ['webextension-polyfill', 'preact', 'preact/*', 'node:*', 'fs', 'path', 'crypto'],
  wire: ['webextension-polyfill', 'preact', 'preact/*', 'node:*', 'fs', 'path', 'crypto'],
  worker: ['webextension-polyfill', 'preact', 'preact/*', 'node:*'],
  'ui-kit': ['webextension-polyfill', 'node:*'],
  embed: ['webextension-polyfill', 'node:*'],
  extension: ['node:*'],
  background: ['preact', 'preact/*', 'node:*'],
  ui: ['node:*'],
  site: ['node:*'],
  offscreen: ['preact', 'preact/*', 'node:*'],
  cli: ['webextension-polyfill', 'preact', 'preact/*'],
};

/**
 * Verification has one public entry, the core pipeline (src/core/verify/index.ts: verifyImage):
 * surfaces never compose decide, record and the reproducers themselves.
 */
const PIPELINE_PARTS = ['**/core/verify/decide.js', '**/core/verify/description.js', '**/core/repro/for-verdict.js'];

function layerPatterns(folder) {
  const forbidden = FOLDERS.filter((f) => f !== folder && !ALLOWED[folder].includes(f));
  return [
    ...(forbidden.length > 0
      ? [
          {
            group: forbidden.map((f) => `**/${f}/**`),
            message: `src/${folder} may import only ${[folder, ...ALLOWED[folder]].join(', ')} (eslint.config.js, docs/architecture.md).`,
          },
        ]
      : []),
    { group: PACKAGES[folder], message: `src/${folder} does not use this package (eslint.config.js).` },
    ...(folder === 'core'
      ? []
      : [
          {
            group: PIPELINE_PARTS,
            message:
              'Verify through the core pipeline, verifyImage from core/verify/index.js (docs/architecture.md "Verification").',
          },
        ]),
  ];
}

function layerRules(folder) {
  return {
    files: [`src/${folder}/**/*.{ts,tsx}`],
    rules: { 'no-restricted-imports': ['error', { patterns: layerPatterns(folder) }] },
  };
}

/** The background's browser rooms (src/background/firefox, src/background/chromium) never import each other. */
const BROWSER_ROOMS = ['firefox', 'chromium'];

function roomRules(room) {
  const other = BROWSER_ROOMS.filter((r) => r !== room);
  return {
    files: [`src/background/${room}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...layerPatterns('background'),
            {
              group: other.map((r) => `**/${r}/**`),
              message: `src/background/${room} never imports another browser's room (eslint.config.js).`,
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      '.cache/**',
      'node_modules/**',
      'artifacts/**',
      'test/fixtures/**',
      'test/e2e/fixtures/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // The compiler checks these (noUnusedLocals/Parameters); `_name` marks one kept on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // The extension's code: a failure there must reach the person or the log. (The core and the
    // CLI cancel streams best-effort with settled() or a local catch; a prefetch's failure
    // reaches the person through the verdict it leads to.)
    files: ['src/{background,extension,ui,ui-kit,site,embed,offscreen,worker,wire}/**/*.{ts,tsx}'],
    ignores: ['src/background/verification.ts'],
    rules: {
      // A swallowed rejection hides failures: report or handle it (see docs/architecture.md, "Errors").
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name='catch'] > ArrowFunctionExpression[params.length=0][body.type='Identifier'][body.name='undefined']",
          message:
            'Do not swallow a rejection with .catch(() => undefined): handle it, or report it (logError) and say why in a comment.',
        },
        {
          // The extension's preact has no innerHTML path (build/preact-no-inner-html-loader.cjs).
          selector:
            "JSXAttribute[name.name='dangerouslySetInnerHTML'], Property[key.name='dangerouslySetInnerHTML'], MemberExpression[property.name='innerHTML']",
          message: 'No HTML from strings: build elements (JSX) or set textContent.',
        },
      ],
    },
  },
  {
    // One logger with one prefix (src/extension/log.ts); the CLI writes to its own streams.
    files: ['src/{background,extension,ui,ui-kit,site,embed,offscreen,worker,wire,core}/**/*.{ts,tsx}'],
    ignores: ['src/extension/log.ts'],
    rules: { 'no-console': 'error' },
  },
  ...FOLDERS.map(layerRules),
  ...BROWSER_ROOMS.map(roomRules),
  {
    // Tests feed malformed input on purpose and match terminal escapes.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-control-regex': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs', 'scripts/**', 'build/**'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'require',
          '__dirname',
          'URL',
          'Buffer',
          'setTimeout',
          'clearTimeout',
          'structuredClone',
          'TextEncoder',
          'TextDecoder',
        ].map((name) => [name, 'readonly']),
      ),
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Layout is Prettier's job (`npx prettier --check .` in npm test): no style rule may fight it.
  prettierOff,
);
