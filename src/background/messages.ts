/**
 * runtime.onMessage: check the sender, parse the request strictly, dispatch to the controller.
 * A rejected promise reaches the sender as an error; nothing is answered to strangers.
 */
import { errorInfo, IsoVerifyError } from '../core/errors.js';
import type { Controller } from './controller.js';
import type { BackgroundRequest } from '../extension/download.js';
import { classifySender, isAllowedRequest, parseBackgroundRequest, type SenderFacts, type SenderPolicy } from './request-validation.js';

export type RequestResult = Awaited<ReturnType<Controller['state']>> | { ok: true };

async function dispatch(controller: Controller, request: BackgroundRequest, sender: SenderFacts): Promise<RequestResult> {
  switch (request.type) {
    case 'get-state':
      return controller.state();
    case 'cancel':
      await controller.cancel(request.id);
      break;
    case 'retry':
      await controller.retry(request.id);
      break;
    case 'forget':
      await controller.forget(request.id);
      break;
    case 'resume-download':
      await controller.resumeDownload(request.id);
      break;
    case 'open-verify-page':
      await controller.openVerifyPage(request.id);
      break;
    case 'attach-verdict':
      await controller.attachVerdict(request.id, request.verdict, request.repro);
      break;
    case 'start-download':
      await controller.startLinkDownload(request.url, sender.tab);
      break;
  }
  return { ok: true };
}

export async function handleMessage(controller: Controller, policy: SenderPolicy, message: unknown, sender: SenderFacts): Promise<RequestResult> {
  const kind = classifySender(sender, policy);
  if (kind === 'rejected') throw new IsoVerifyError('usage', 'messages are accepted only from this extension');
  const request = parseBackgroundRequest(message);
  if (!isAllowedRequest(kind, request)) throw new IsoVerifyError('usage', `${request.type} is not allowed from ${kind}`);
  try {
    return await dispatch(controller, request, sender);
  } catch (error) {
    const info = errorInfo(error);
    // Plain Error crosses the message channel; keep the typed code in the text.
    throw new Error(info.detail ? `${info.code}: ${info.detail}` : info.code);
  }
}
