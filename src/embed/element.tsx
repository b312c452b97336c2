/**
 * `<iso-verify-download>`: the custom element around the Preact widget. It reads its
 * attributes (config.ts), renders into an open shadow root (styles isolated from the site,
 * themeable through custom properties and parts) and re-renders when an attribute changes.
 */
import { render } from 'preact';
import { errorInfo, type ErrorInfo } from '../core/errors.js';
import { ErrorText } from '../ui-kit/ErrorText.js';
import { dirOf, I18nContext, localeOf, type Translate } from '../ui-kit/i18n-core.js';
import type { VerifyFlowDeps } from '../ui-kit/verify-flow.js';
import { readWidgetConfig, WIDGET_ATTRIBUTES, type WidgetConfig } from './config.js';
import { createExtensionBridge, type BridgeClientWindow, type ExtensionBridge } from './extension-bridge.js';
import { loadTranslate, pickLocale } from './locale.js';
import { WIDGET_CSS } from './styles.js';
import { Widget } from './Widget.js';

export const ELEMENT_NAME = 'iso-verify-download';

/** One bridge per page: every widget shares its message listener. */
let sharedBridge: ExtensionBridge | undefined;
function pageBridge(): ExtensionBridge {
  sharedBridge ??= createExtensionBridge(window as unknown as BridgeClientWindow);
  return sharedBridge;
}

/** The verification code, fetched the first time a visitor picks a file. */
async function loadDeps(config: WidgetConfig): Promise<VerifyFlowDeps> {
  const engine = await import(/* webpackChunkName: "iso-verify-engine" */ './engine.js');
  return engine.createWidgetDeps(config.profile);
}

let instances = 0;

export class IsoVerifyDownloadElement extends HTMLElement {
  static get observedAttributes(): readonly string[] {
    return WIDGET_ATTRIBUTES;
  }

  private readonly root: ShadowRoot;
  private readonly mount: HTMLDivElement;
  private readonly inputId = `iso-verify-file-${++instances}`;
  private renders = 0;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = WIDGET_CSS;
    this.mount = document.createElement('div');
    this.root.append(style, this.mount);
  }

  connectedCallback(): void {
    void this.update();
  }

  disconnectedCallback(): void {
    this.renders += 1;
    render(null, this.mount);
  }

  attributeChangedCallback(): void {
    if (this.isConnected) void this.update();
  }

  private async update(): Promise<void> {
    const generation = ++this.renders;
    let config: WidgetConfig | undefined;
    let problem: ErrorInfo | undefined;
    try {
      config = readWidgetConfig((name) => this.getAttribute(name), document.baseURI);
    } catch (error) {
      problem = errorInfo(error);
    }
    const locale = pickLocale(
      config?.lang ?? this.getAttribute('lang'),
      this.closest('[lang]')?.getAttribute('lang'),
      document.documentElement.lang,
    );
    const t = await loadTranslate(locale).catch(() => loadTranslate('en'));
    if (generation !== this.renders) return; // a newer update or a disconnect won
    this.mount.lang = localeOf(t); // not this.lang: that is an observed attribute
    this.mount.dir = dirOf(t);
    // A new configuration starts a fresh widget (key) so no state of the old one survives.
    render(
      <I18nContext.Provider value={t}>
        {config ? (
          <Widget
            key={generation}
            product={config.profile.product}
            bridge={pageBridge()}
            loadDeps={() => loadDeps(config)}
            inputId={this.inputId}
          />
        ) : (
          <ConfigProblem t={t} error={problem!} />
        )}
      </I18nContext.Provider>,
      this.mount,
    );
  }
}

function ConfigProblem({ t, error }: { t: Translate; error: ErrorInfo }) {
  return (
    <div class="widget" part="container" data-testid="iso-verify-widget" data-extension="unknown">
      <p class="status-line status-line--bad" part="error" data-testid="config-error">
        {t('embed_config_error')} <ErrorText error={error} />
      </p>
    </div>
  );
}

export function defineElement(registry: CustomElementRegistry = customElements): void {
  if (!registry.get(ELEMENT_NAME)) registry.define(ELEMENT_NAME, IsoVerifyDownloadElement);
}
