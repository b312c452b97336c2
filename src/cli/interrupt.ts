/**
 * Ctrl-C (SIGINT) always ends the program. The first one aborts the running command so it can
 * stop cleanly (hashing stops, the progress line is erased, one "interrupted" line); if the
 * command has not finished within a short grace period — a read blocked in the kernel (a
 * `/proc` file, a FIFO, a hung network file system) cannot be cancelled — the process exits
 * anyway. A second Ctrl-C exits at once. Exit status 130 (128 + SIGINT), as shells expect.
 */
export const INTERRUPTED_STATUS = 130;

export interface InterruptProcess {
  pid: number;
  on(event: 'SIGINT', listener: () => void): unknown;
  removeAllListeners(event: 'SIGINT'): unknown;
  kill(pid: number, signal: 'SIGINT'): unknown;
  stderr: { write(text: string): unknown };
}

/**
 * End the process as killed by SIGINT. Not process.exit(): exit() joins libuv's thread pool,
 * so it would hang behind the very blocked read that made us give up waiting. With no
 * listener left, Node restores the default action and the signal ends the process; the shell
 * sees status 130.
 */
function dieBySigint(proc: InterruptProcess): void {
  proc.stderr.write('\niso-verify: interrupted\n');
  proc.removeAllListeners('SIGINT');
  proc.kill(proc.pid, 'SIGINT');
}

export function installInterruptHandler(controller: AbortController, proc: InterruptProcess, graceMs = 1500): void {
  let interrupts = 0;
  proc.on('SIGINT', () => {
    interrupts += 1;
    if (interrupts > 1) {
      dieBySigint(proc);
      return;
    }
    controller.abort(new Error('interrupted'));
    // unref: a command that ends in time exits normally, with its own report.
    setTimeout(() => dieBySigint(proc), graceMs).unref();
  });
}
