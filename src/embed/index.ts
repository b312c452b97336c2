/**
 * Entry of dist/embed/iso-verify-embed.js: defines `<iso-verify-download>`. Everything heavy
 * (hash-wasm, openpgp.js, the verification pipeline, the hashing worker, other languages) is
 * in chunks loaded on demand next to this file. See docs/embed.md.
 */
import { defineElement } from './element.js';

defineElement();
