/**
 * runtime.onMessage: check the sender, parse the request strictly (src/wire/messages.ts),
 * dispatch to the controller's page requests, and answer `{ ok, value | error }` with the
 * typed error code. Strangers get an error reply and nothing else.
 */
import { IsoVerifyError } from '../core/errors.js';
import type { ReproStatus } from '../core/repro/types.js';
import {
  errorReply,
  okReply,
  parseBackgroundRequest,
  type BackgroundRequest,
  type DownloadStarted,
  type PageVerdict,
  type Reply,
  type StateResponse,
} from '../wire/messages.js';
import type { PageRequests } from './page-requests.js';
import { classifySender, isAllowedRequest, type SenderFacts, type SenderPolicy } from './sender-policy.js';

async function dispatch(
  requests: PageRequests,
  request: BackgroundRequest,
  sender: SenderFacts,
): Promise<StateResponse | PageVerdict | ReproStatus | DownloadStarted | null> {
  switch (request.type) {
    case 'get-state':
      return requests.state();
    case 'cancel':
      await requests.cancel(request.id);
      break;
    case 'retry':
      await requests.retry(request.id);
      break;
    case 'forget':
      await requests.forget(request.id);
      break;
    case 'resume-download':
      await requests.resumeDownload(request.id);
      break;
    case 'download-again':
      return requests.downloadAgain(request.id, request.from);
    case 'open-verify-page':
      await requests.openVerifyPage(request.id);
      break;
    case 'verify-hash':
      return requests.verifyPageHash(request);
    case 'repro-status':
      return requests.reproStatus(request.token);
    case 'start-download':
      await requests.startLinkDownload(request.url, sender.tab);
      break;
  }
  return null;
}

export async function handleMessage(
  requests: PageRequests,
  policy: SenderPolicy,
  message: unknown,
  sender: SenderFacts,
): Promise<Reply<StateResponse | PageVerdict | ReproStatus | DownloadStarted | null>> {
  try {
    const kind = classifySender(sender, policy);
    if (kind === 'rejected')
      throw new IsoVerifyError('sender-rejected', 'messages are accepted only from this extension');
    const request = parseBackgroundRequest(message);
    if (!isAllowedRequest(kind, request))
      throw new IsoVerifyError('request-not-allowed', `${request.type} is not allowed from ${kind}`);
    return okReply(await dispatch(requests, request, sender));
  } catch (error) {
    return errorReply(error);
  }
}
