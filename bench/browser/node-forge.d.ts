// The little of node-forge the browser bench uses (the package ships no types).
declare module 'node-forge' {
  interface ForgeMd {
    update(bytes: string, encoding?: 'raw' | 'utf8'): ForgeMd;
    digest(): { toHex(): string };
  }
  const forge: { md: { sha256: { create(): ForgeMd } } };
  export default forge;
}
