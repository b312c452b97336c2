/** CPU time and resident memory of a browser's process tree, from Linux /proc (the browser benches). */
import { readFile, readdir } from 'node:fs/promises';

/** A process and all its descendants (Linux /proc). */
export async function processTree(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Field 4 (after the parenthesised name, which may contain spaces) is the parent pid.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isFinite(ppid)) parents.set(Number(entry), ppid);
  }
  return [...parents.keys()].filter((pid) => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  });
}

/** CPU seconds (user + system) used so far by `pids` (a vanished process counts 0). */
export async function cpuSecondsOf(pids: number[]): Promise<number> {
  let ticks = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the name).
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** Summed resident memory of `pids`, in bytes (a vanished process counts 0). */
export async function rssOf(pids: number[]): Promise<number> {
  let total = 0;
  for (const pid of pids) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kb = /^VmRSS:\s+(\d+)/m.exec(status)?.[1];
    if (kb) total += Number(kb) * 1024;
  }
  return total;
}

export interface TreeMeasurement<T> {
  value: T;
  /** Peak resident memory of the tree during `work`, minus just before it. */
  treeRssGrowth: number;
  /** CPU seconds the tree used during `work` (all threads). */
  cpuSeconds: number;
}

/**
 * Run `work` while watching the process tree under `root` (a browser). The tree is listed again
 * every few samples (a browser may start a utility process for a download), and sampling reads
 * only a handful of /proc files, so it does not take CPU from the browser being measured.
 */
export async function measureTree<T>(root: number | undefined, work: () => Promise<T>): Promise<TreeMeasurement<T>> {
  let pids = root ? await processTree(root) : [];
  const seen = new Set(pids);
  const baseline = await rssOf(pids);
  const cpuBefore = await cpuSecondsOf(pids);
  let peak = baseline;
  let sampling = true;
  const sampler = (async () => {
    for (let n = 1; sampling && root; n++) {
      if (n % 10 === 0) {
        pids = await processTree(root);
        for (const pid of pids) seen.add(pid);
      }
      peak = Math.max(peak, await rssOf(pids));
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  try {
    const value = await work();
    return { value, treeRssGrowth: peak - baseline, cpuSeconds: (await cpuSecondsOf([...seen])) - cpuBefore };
  } finally {
    sampling = false;
    await sampler;
  }
}
