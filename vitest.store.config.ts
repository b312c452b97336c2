import { defineConfig } from 'vitest/config';
import e2e from './vitest.e2e.config.js';

// The store pictures (test/e2e/store-screenshots.e2e.ts): Firefox ESR started in each of the nine
// languages, every picture checked before it is taken. An asset pipeline run by
// `npm run store:screenshots`, not part of `npm test` (the languages' behaviour is tested there by
// test/e2e/languages.e2e.ts and ui-layout.e2e.ts).
export default defineConfig({
  test: { ...e2e.test, include: ['test/e2e/store-screenshots.e2e.ts'], exclude: [] },
});
