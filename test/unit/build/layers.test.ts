/**
 * The layers as ESLint enforces them (eslint.config.js): each import below is one the code
 * must never gain. The lint run in `npm test` keeps the real code within them.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const probe = 1;\n`, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import layers', () => {
  it('core imports no surface, no kernel and no browser, UI or Node package', async () => {
    for (const spec of [
      '../extension/storage.js',
      '../background/badge.js',
      '../ui-kit/format.js',
      '../cli/run.js',
      'webextension-polyfill',
      'preact',
      'node:fs',
    ]) {
      expect(await importErrors('src/core/probe.ts', `import * as x from '${spec}'; void x;`), spec).toHaveLength(1);
    }
    expect(await importErrors('src/core/verify/probe.ts', `import * as x from '../verdict.js'; void x;`)).toEqual([]);
  });

  it('surfaces import core, the UI kit and the kernel, never each other', async () => {
    expect(
      await importErrors('src/ui/probe.ts', `import * as x from '../background/controller.js'; void x;`),
    ).toHaveLength(1);
    expect(
      await importErrors('src/site/probe.ts', `import * as x from '../ui/pages/PopupPage.js'; void x;`),
    ).toHaveLength(1);
    expect(
      await importErrors('src/embed/probe.ts', `import * as x from '../site/page-bridge.js'; void x;`),
    ).toHaveLength(1);
    expect(
      await importErrors('src/background/probe.ts', `import * as x from '../ui-kit/VerdictView.js'; void x;`),
    ).toHaveLength(1);
    // The offscreen document and the background share only the wire's protocol.
    expect(
      await importErrors(
        'src/offscreen/probe.ts',
        `import * as x from '../background/chromium/offscreen-hash.js'; void x;`,
      ),
    ).toHaveLength(1);
    expect(
      await importErrors('src/background/probe.ts', `import * as x from '../offscreen/hash-host.js'; void x;`),
    ).toHaveLength(1);
    expect(
      await importErrors(
        'src/offscreen/probe.ts',
        `import * as a from '../wire/offscreen-protocol.js'; import * as b from '../worker/client.js'; void [a, b];`,
      ),
    ).toEqual([]);
    expect(
      await importErrors(
        'src/ui/probe.ts',
        `import * as a from '../wire/download.js'; import * as b from '../ui-kit/format.js'; import * as c from '../core/verdict.js'; void [a, b, c];`,
      ),
    ).toEqual([]);
  });

  it("one browser's background room never imports the other's", async () => {
    expect(
      await importErrors('src/background/firefox/probe.ts', `import * as x from '../chromium/keep-alive.js'; void x;`),
    ).toHaveLength(1);
    expect(
      await importErrors(
        'src/background/chromium/probe.ts',
        `import * as x from '../firefox/stream-start.js'; void x;`,
      ),
    ).toHaveLength(1);
    // Both still obey the background's layer, and may use its shared parts.
    expect(
      await importErrors('src/background/firefox/probe.ts', `import * as x from '../../ui/popup.js'; void x;`),
    ).toHaveLength(1);
    expect(
      await importErrors(
        'src/background/chromium/probe.ts',
        `import * as a from '../context.js'; import * as b from '../../wire/offscreen-protocol.js'; void [a, b];`,
      ),
    ).toEqual([]);
  });

  it('the UI kit and the kernel stay below the surfaces; the kit imports no extension code', async () => {
    expect(
      await importErrors('src/ui-kit/probe.ts', `import * as x from '../extension/browser-api.js'; void x;`),
    ).toHaveLength(1);
    expect(
      await importErrors('src/extension/probe.ts', `import * as x from '../background/controller.js'; void x;`),
    ).toHaveLength(1);
    expect(
      await importErrors('src/cli/probe.ts', `import * as x from '../extension/download-match.js'; void x;`),
    ).toHaveLength(1);
    expect(await importErrors('src/cli/probe.ts', `import * as x from '../wire/download.js'; void x;`)).toHaveLength(1);
  });

  it('the wire formats import only the core, and no browser, UI or Node package', async () => {
    for (const spec of [
      '../extension/storage.js',
      '../worker/client.js',
      '../ui-kit/format.js',
      '../background/badge.js',
      '../site/bridge.js',
      'webextension-polyfill',
      'preact',
      'node:fs',
    ]) {
      expect(await importErrors('src/wire/probe.ts', `import * as x from '${spec}'; void x;`), spec).toHaveLength(1);
    }
    expect(
      await importErrors(
        'src/wire/probe.ts',
        `import * as a from '../core/verdict.js'; import * as b from './download.js'; void [a, b];`,
      ),
    ).toEqual([]);
  });

  it('the widget on other pages imports the core, the UI kit, the wire and the worker, never the extension', async () => {
    for (const spec of [
      '../extension/verify-deps.js',
      '../extension/browser-api.js',
      '../background/badge.js',
      '../site/page-bridge.js',
      '../ui/popup.js',
      'webextension-polyfill',
    ]) {
      expect(await importErrors('src/embed/probe.ts', `import * as x from '${spec}'; void x;`), spec).toHaveLength(1);
    }
    expect(
      await importErrors(
        'src/embed/probe.ts',
        `import * as a from '../core/verdict.js'; import * as b from '../ui-kit/format.js'; import * as c from '../wire/page-protocol.js'; import * as d from '../worker/client.js'; void [a, b, c, d];`,
      ),
    ).toEqual([]);
    // The worker it uses imports no extension code either.
    expect(
      await importErrors('src/worker/probe.ts', `import * as x from '../extension/browser-api.js'; void x;`),
    ).toHaveLength(1);
  });

  it('surfaces verify through the core pipeline, never by composing its parts', async () => {
    for (const [file, spec] of [
      ['src/background/probe.ts', '../core/verify/decide.js'],
      ['src/cli/commands/probe.ts', '../../core/verify/decide.js'],
      ['src/embed/probe.ts', '../core/repro/for-verdict.js'],
      ['src/extension/probe.ts', '../core/repro/for-verdict.js'],
      ['src/ui/probe.ts', '../core/verify/description.js'],
    ]) {
      expect(await importErrors(file!, `import * as x from '${spec}'; void x;`), `${file} ${spec}`).toHaveLength(1);
    }
    expect(
      await importErrors('src/background/probe.ts', `import * as x from '../core/verify/index.js'; void x;`),
    ).toEqual([]);
    // Inside the core the pipeline is made of them.
    expect(await importErrors('src/core/mirror/probe.ts', `import * as x from '../verify/decide.js'; void x;`)).toEqual(
      [],
    );
  });

  it('a swallowed rejection in extension code is an error', async () => {
    const [result] = await eslint.lintText('export const p = Promise.resolve().catch(() => undefined);\n', {
      filePath: 'src/background/probe.ts',
    });
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-syntax');
  });
});
