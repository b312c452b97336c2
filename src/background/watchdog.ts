/**
 * A stopped background (Chrome stops an MV3 service worker, Firefox unloads an event page) is
 * started again only by an event. While any tracked download is unfinished, a repeating alarm
 * guarantees one: every start of the background runs resumeOnStartup, which picks up the work
 * from storage (e.g. hashes a finished file again). With nothing unfinished, the alarm is cleared.
 */
import { isSettled, type TrackedDownload } from '../wire/download.js';

export const WATCHDOG_ALARM = 'iso-verify-resume';
/** Chrome's minimum alarm period for MV3 extensions. */
export const WATCHDOG_PERIOD_MINUTES = 0.5;

/** Whether some download still needs the background (not settled, not waiting for the user). */
export function needsWatchdog(downloads: readonly TrackedDownload[]): boolean {
  return downloads.some((d) => !isSettled(d.phase) && d.phase !== 'awaiting-file' && d.phase !== 'interrupted');
}
