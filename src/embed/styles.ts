/**
 * The widget's stylesheet, inside its shadow root: the extension's own component styles
 * (public/ui.css, so the verdict looks the same everywhere) on top of colour variables the
 * site can set from outside with `--iso-verify-*` custom properties, which inherit through
 * the shadow boundary. Larger changes go through the exposed parts (docs/embed.md).
 */
import uiCss from '../../public/ui.css?raw';

const THEME = `
:host {
  display: block;
  --bg: var(--iso-verify-bg, #ffffff);
  --fg: var(--iso-verify-fg, #17171c);
  --muted: var(--iso-verify-muted, #55555f);
  --border: var(--iso-verify-border, #cfcfd8);
  --surface: var(--iso-verify-surface, #f4f4f7);
  --accent: var(--iso-verify-accent, #1d4ed8);
  --accent-fg: var(--iso-verify-accent-fg, #ffffff);
  --focus: var(--iso-verify-focus, var(--accent));
  --good: var(--iso-verify-good, #0b6b30);
  --good-bg: var(--iso-verify-good-bg, #e7f5ec);
  --bad: var(--iso-verify-bad, #b01c1c);
  --bad-bg: var(--iso-verify-bad-bg, #fdeeee);
  --warn: var(--iso-verify-warn, #8a4f00);
  --warn-bg: var(--iso-verify-warn-bg, #fff4de);
  --weak: var(--iso-verify-weak, #4b4b57);
  --weak-bg: var(--iso-verify-weak-bg, #efeff3);
  color: var(--fg);
  font: var(--iso-verify-font, 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif);
  overflow-wrap: break-word;
  hyphens: auto;
}
:host([hidden]) { display: none; }
`;

const WIDGET = `
.widget {
  position: relative;
  background: var(--bg);
  color: var(--fg);
  border-radius: var(--iso-verify-radius, 8px);
  padding: var(--iso-verify-padding, 0);
}
.widget .lead { margin: 0 0 12px; }
.extension-note {
  display: flex; gap: 8px; align-items: flex-start;
  margin: 0 0 12px; padding: 8px 12px;
  border-radius: var(--iso-verify-radius, 8px);
  background: var(--good-bg); color: var(--good);
}
.extension-note-icon, .extension-download-icon { flex: none; width: 20px; height: 20px; margin-top: 1px; }
.extension-downloads { list-style: none; margin: 0 0 12px; padding: 0; }
.extension-download {
  display: flex; gap: 10px; align-items: flex-start;
  padding: 10px 12px; margin-bottom: 8px;
  border: 1px solid var(--border); border-inline-start-width: 4px;
  border-radius: var(--iso-verify-radius, 8px);
}
.extension-download p { margin: 0; }
.extension-download-headline { font-weight: 600; }
.extension-download--good { border-color: var(--good); background: var(--good-bg); }
.extension-download--good .extension-download-icon { color: var(--good); }
.extension-download--bad { border-color: var(--bad); background: var(--bad-bg); }
.extension-download--bad .extension-download-icon { color: var(--bad); }
.extension-download--warn { border-color: var(--warn); background: var(--warn-bg); }
.extension-download--warn .extension-download-icon { color: var(--warn); }
.extension-download--weak { border-color: var(--weak); background: var(--weak-bg); }
.checked-by { margin-top: 8px; }
`;

export const WIDGET_CSS = `${THEME}\n${uiCss}\n${WIDGET}`;
