import pkg from '../../package.json';

/** Identifies the tool to servers, e.g. "iso-verify/0.1.0 (cli)". */
export function userAgent(): string {
  return `iso-verify/${typeof pkg.version === 'string' ? pkg.version : '0'} (cli)`;
}
