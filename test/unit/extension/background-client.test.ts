import { describe, expect, it } from 'vitest';
import { sendRequest } from '../../../src/extension/background-client.js';
import { errorReply, okReply, parseReply } from '../../../src/wire/messages.js';
import { IsoVerifyError } from '../../../src/core/errors.js';

describe('replies', () => {
  it('carry the typed code of the error end to end', async () => {
    const reply = await sendRequest(
      { sendMessage: async () => errorReply(new IsoVerifyError('download-busy', 'dl-1')) },
      { type: 'retry', id: 'dl-1' },
    );
    expect(reply).toEqual({ ok: false, error: { code: 'download-busy', detail: 'dl-1' } });
    expect(await sendRequest({ sendMessage: async () => okReply(null) }, { type: 'forget', id: 'dl-1' })).toEqual({
      ok: true,
      value: null,
    });
  });

  it('never read a missing or malformed answer, or a closed channel, as success', async () => {
    expect(parseReply(undefined)).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(parseReply({ ok: true })).toMatchObject({ ok: false });
    expect(parseReply({ ok: false, error: { code: 'not-a-code' } })).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
    const closed = await sendRequest(
      { sendMessage: async () => Promise.reject(new Error('Receiving end does not exist.')) },
      { type: 'get-state' },
    );
    expect(closed).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
