// Webpack loader for preact's browser build (node_modules/preact/dist/preact.module.js):
// removes preact's one assignment of markup to innerHTML, the `dangerouslySetInnerHTML` prop.
// ISO Verify never uses that prop (eslint forbids it in src/), so the extension ships no
// code that could write HTML into a page, and `web-ext lint` (UNSAFE_VAR_ASSIGNMENT) has
// nothing to flag. Should a component ever pass the prop, rendering fails loudly instead.
// The build fails if the pattern is not found exactly once (a preact upgrade must be looked at).
/* global module */
'use strict';

const ASSIGNMENT = /\(([A-Za-z_$][\w$]*)\.innerHTML=([A-Za-z_$][\w$]*)\.__html\)/g;

module.exports = function preactNoInnerHtml(source) {
  const found = source.match(ASSIGNMENT) ?? [];
  if (found.length !== 1) {
    throw new Error(
      `preact-no-inner-html-loader: expected one "x.innerHTML=y.__html" in ${this.resourcePath}, found ${found.length}`,
    );
  }
  return source.replace(
    ASSIGNMENT,
    '(()=>{throw new Error("ISO Verify: dangerouslySetInnerHTML is not supported")})()',
  );
};
