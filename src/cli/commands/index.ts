/**
 * The registration table of subcommands, in the order `--help` lists them. To add one
 * (e.g. `repro`, `mirror`): write src/cli/commands/<name>.ts exporting a `Command`, import it
 * here and append it to COMMANDS.
 */
import { attestCommand } from './attest.js';
import { checkSignatureCommand } from './check-signature.js';
import { hashCommand } from './hash.js';
import { keyCommand } from './key.js';
import { mirrorCommand } from './mirror.js';
import { reproCommand } from './repro.js';
import type { Command } from './types.js';
import { verifyCommand } from './verify.js';

export type { Command } from './types.js';

export const COMMANDS: readonly Command[] = [
  verifyCommand,
  checkSignatureCommand,
  hashCommand,
  mirrorCommand,
  reproCommand,
  attestCommand,
  keyCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
