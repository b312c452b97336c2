/** The tracked download named by `?download=<id>` on the verification page, if well-formed. */
export function downloadIdFrom(search: string): string | undefined {
  const id = new URLSearchParams(search).get('download');
  return id && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined;
}
