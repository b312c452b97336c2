/** `import text from './file.asc?raw'`: the file's text (vite/vitest natively; webpack via asset/source). */
declare module '*?raw' {
  const s: string;
  export default s;
}
