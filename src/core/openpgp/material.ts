import { IsoVerifyError, type ErrorCode } from '../errors.js';

/**
 * OpenPGP input arrives armored (text) or binary, as a string or as bytes. This decides which,
 * without trusting a file name or a content type.
 */
export type OpenPgpInput = { armored: string } | { binary: Uint8Array };

const ARMOR_START = '-----BEGIN PGP ';

export function classifyInput(
  input: string | Uint8Array,
  maxBytes: number,
  code: ErrorCode,
  what: string,
): OpenPgpInput {
  if (typeof input === 'string') {
    // A JS string needs at most 3 UTF-8 bytes per UTF-16 unit; the length check bounds memory.
    if (input.length > maxBytes) throw new IsoVerifyError('input-too-large', `${what}: more than ${maxBytes} bytes`);
    if (input.trim() === '') throw new IsoVerifyError(code, `${what} is empty`);
    if (!input.includes(ARMOR_START))
      throw new IsoVerifyError(code, `${what} is text but not ASCII-armored OpenPGP data`);
    return { armored: input };
  }
  if (!(input instanceof Uint8Array)) throw new TypeError(`${what} must be a string or a Uint8Array`);
  if (input.length > maxBytes)
    throw new IsoVerifyError('input-too-large', `${what}: ${input.length} bytes, more than ${maxBytes}`);
  if (input.length === 0) throw new IsoVerifyError(code, `${what} is empty`);
  if (looksArmored(input)) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (cause) {
      throw new IsoVerifyError(code, `${what} looks armored but is not valid UTF-8`, { cause });
    }
    return { armored: text };
  }
  return { binary: input };
}

/** Armored data starts, after optional whitespace, with "-----BEGIN PGP ". Binary packets never do. */
function looksArmored(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && i < 1024 && isSpace(bytes[i]!)) i++;
  for (let j = 0; j < ARMOR_START.length; j++) {
    if (bytes[i + j] !== ARMOR_START.charCodeAt(j)) return false;
  }
  return true;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0xef || b === 0xbb || b === 0xbf; // incl. a UTF-8 BOM
}

/** The message of whatever a parser threw, for an error detail. */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
