import { it } from 'vitest';
import { runInProcess } from '../cli/harness.js';
import { startMirrorFixture } from './fixture.js';
it('smoke', async () => {
  const f = await startMirrorFixture();
  for (const modes of [['good'], ['truncated','rogue','bad-length','drop'], ['slow']]) {
    const t0 = Date.now();
    const r = await runInProcess(['mirror', ...modes.map(f.prefix), '--timeout', modes[0] === 'slow' ? '1' : '120', '--profile', f.profilePath, '--state', f.statePath], { fetch: globalThis.fetch });
    console.log(r.status, Date.now() - t0, 'ms\n' + r.stdout + r.stderr);
  }
  await f.close();
}, 300_000);
