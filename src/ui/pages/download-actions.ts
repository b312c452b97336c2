/**
 * The one implementation of what a person's click on a tracked download's action does, for
 * the popup and the verification page alike: each action is a request to the background, and
 * a refusal or failure is kept to be shown (until the next action), never lost.
 */
import { useState } from 'preact/hooks';
import type { ErrorInfo } from '../../core/errors.js';
import type { BackgroundRequest, Reply, ReplyValue } from '../../wire/messages.js';
import type { DownloadActionHandlers } from '../components/DownloadList.js';
import { downloadIdOf } from '../../extension/download-match.js';
import { askBackground } from './extension-glue.js';

export interface DownloadActions {
  handlers: Required<DownloadActionHandlers> & { onForget: (id: string) => void };
  /** The last action the background refused or failed. */
  failure: ErrorInfo | undefined;
  /** Send another request the same way (its failure shown like the actions'). */
  act: <R extends BackgroundRequest>(request: R) => Promise<Reply<ReplyValue<R>>>;
}

/**
 * `onStarted`: a download started again (another mirror, or the same URL) is a new tracked
 * download, `id` the one it replaces; the verification page follows it.
 */
export function useDownloadActions(options: { onStarted?: (id: string, newId: string) => void } = {}): DownloadActions {
  const [failure, setFailure] = useState<ErrorInfo | undefined>(undefined);
  const act = async <R extends BackgroundRequest>(request: R): Promise<Reply<ReplyValue<R>>> => {
    setFailure(undefined);
    const reply = await askBackground(request);
    if (!reply.ok) setFailure(reply.error);
    return reply;
  };
  return {
    failure,
    act,
    handlers: {
      onResume: (id) => void act({ type: 'resume-download', id }),
      onForget: (id) => void act({ type: 'forget', id }),
      onCancel: (id) => void act({ type: 'cancel', id }),
      onRetry: (id) => void act({ type: 'retry', id }),
      onDownloadAgain: (id, from) =>
        void act({ type: 'download-again', id, from }).then((reply) => {
          const newId = reply.ok ? reply.value?.id : undefined;
          if (typeof newId === 'string' && downloadIdOf(newId) !== undefined) options.onStarted?.(id, newId);
        }),
    },
  };
}
