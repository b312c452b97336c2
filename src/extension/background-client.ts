/**
 * Pages' side of the message channel: send a typed request, get a typed Reply
 * (messages.ts). A closed channel or a background that answered nothing becomes an error
 * reply, so every caller handles one shape.
 */
import { errorReply, parseReply, type BackgroundRequest, type Reply, type ReplyValue } from '../wire/messages.js';

export interface MessageSender {
  sendMessage(message: unknown): Promise<unknown>;
}

export async function sendRequest<R extends BackgroundRequest>(
  runtime: MessageSender,
  request: R,
): Promise<Reply<ReplyValue<R>>> {
  try {
    return parseReply<ReplyValue<R>>(await runtime.sendMessage(request));
  } catch (error) {
    return errorReply(error);
  }
}
