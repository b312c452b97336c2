/**
 * Work that runs at most once at a time. A request while it runs is folded into one more run
 * after it: the work reads the current state, so that run sees every change requested so far.
 * Why: on a loaded machine each progress write started three full reads of the downloads (badge,
 * watchdog, retry alarm), and they stacked up by the hundred ahead of a verdict.
 */
export function singleFlight(work: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    running = true;
    again = false;
    const settled = () => {
      running = false;
      if (again) run();
    };
    work().then(settled, settled);
  };
  return () => {
    if (running) again = true;
    else run();
  };
}
