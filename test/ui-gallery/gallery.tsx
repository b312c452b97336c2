/**
 * UI gallery: every verdict kind, rebuilder state, progress, the popup and the verification
 * page, rendered with the real components, stylesheet and messages of every language, for
 * screenshots (scripts/ui-gallery.ts). Query: ?shot=<name>&theme=light|dark&lang=<locale>|ar-XB
 * (ar-XB: the right-to-left pseudo-locale of test/helpers/pseudo-rtl.ts).
 */
import type { TrackedDownload } from '../../src/wire/download.js';
import type { ComponentChildren } from 'preact';
import { render } from 'preact';
import { VERDICT_KINDS, type Verdict } from '../../src/core/verdict.js';
import { ProgressView } from '../../src/ui-kit/ProgressView.js';
import { PopupView } from '../../src/ui/components/PopupView.js';
import { ReproView } from '../../src/ui-kit/ReproView.js';
import { VerdictView } from '../../src/ui-kit/VerdictView.js';
import { dictionaryT, I18nContext, type MessagesJson } from '../../src/ui-kit/i18n-core.js';
import { OptionsPage } from '../../src/ui/pages/OptionsPage.js';
import { WelcomePage } from '../../src/ui/pages/WelcomePage.js';
import type { PersonReproSettings } from '../../src/core/repro/person.js';
import { useState } from 'preact/hooks';
import { VerifyPage } from '../../src/ui/pages/VerifyPage.js';
import type { VerifyFlowDeps } from '../../src/ui-kit/verify-flow.js';
import de from '../../public/_locales/de/messages.json';
import en from '../../public/_locales/en/messages.json';
import zhCN from '../../public/_locales/zh_CN/messages.json';
import tr from '../../public/_locales/tr/messages.json';
import ru from '../../public/_locales/ru/messages.json';
import ptBR from '../../public/_locales/pt_BR/messages.json';
import it from '../../public/_locales/it/messages.json';
import fr from '../../public/_locales/fr/messages.json';
import es from '../../public/_locales/es/messages.json';
import { dirOf } from '../../src/ui-kit/i18n-core.js';
import { PSEUDO_RTL_LOCALE, pseudoRtlMessages } from '../helpers/pseudo-rtl.js';
import {
  downloads,
  FIXTURE_NOW,
  hashingProgress,
  sameNameDownloads,
  repro,
  signatureBadVerdict,
  TAILS_PRIMARY,
  verdicts,
} from '../unit/ui/fixtures.js';

const params = new URLSearchParams(location.search);
const shot = params.get('shot') ?? 'all';
const theme = params.get('theme') === 'dark' ? 'dark' : 'light';
/** Every shipped language, plus the test-only right-to-left pseudo-locale (never shipped). */
const LANGUAGES: Record<string, MessagesJson> = {
  en: en as MessagesJson,
  de: de as MessagesJson,
  zh_CN: zhCN as MessagesJson,
  tr: tr as MessagesJson,
  ru: ru as MessagesJson,
  pt_BR: ptBR as MessagesJson,
  it: it as MessagesJson,
  fr: fr as MessagesJson,
  es: es as MessagesJson,
  [PSEUDO_RTL_LOCALE]: pseudoRtlMessages(en as MessagesJson),
};
const requested = params.get('lang') ?? 'en';
const lang = Object.hasOwn(LANGUAGES, requested) ? requested : 'en';
const t = dictionaryT(LANGUAGES[lang]!, lang.replace('_', '-'));
const noop = () => undefined;

function Caption({ children }: { children: ComponentChildren }) {
  return <p class="gallery-caption">{children}</p>;
}

function Verdicts() {
  const all: [string, Verdict][] = [
    ...VERDICT_KINDS.map((kind) => [kind, verdicts[kind]] as [string, Verdict]),
    ['unverifiable (signature-bad)', signatureBadVerdict],
  ];
  return (
    <>
      {all.map(([name, verdict]) => (
        <div key={name}>
          <Caption>{name}</Caption>
          <VerdictView
            verdict={verdict}
            onResume={noop}
            {...(verdict.kind === 'mismatch'
              ? { alternativeUrl: 'https://mirror2.example.org/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img' }
              : {})}
          />
        </div>
      ))}
    </>
  );
}

function Evidence() {
  return (
    <>
      <Caption>verified, evidence open</Caption>
      <VerdictView verdict={verdicts.verified} evidenceOpen />
      <Caption>unverifiable (signature-bad), evidence open</Caption>
      <VerdictView verdict={signatureBadVerdict} evidenceOpen />
      <Caption>checksum-only, evidence open</Caption>
      <VerdictView verdict={verdicts['checksum-only']} evidenceOpen />
    </>
  );
}

function ReproAndProgress() {
  return (
    <>
      <Caption>repro: met (open)</Caption>
      <ReproView status={repro.met} open />
      <Caption>repro: not yet</Caption>
      <ReproView status={repro.notYet} />
      <Caption>repro: mismatch (open)</Caption>
      <ReproView status={repro.mismatch} open />
      <Caption>repro: nobody configured (Tails today)</Caption>
      <ReproView status={repro.none} />
      <Caption>repro: not enough reproducers, one added by the person (open)</Caption>
      <ReproView status={repro.notEnough} open />
      <Caption>progress: hashing</Caption>
      <ProgressView progress={hashingProgress} label={t('verify_hashing', 'tails-amd64-7.2.img')} onCancel={noop} />
      <Caption>progress: unknown total</Caption>
      <ProgressView progress={{ bytes: 412_000_000, rate: 9_800_000 }} label={t('phase_downloading')} />
    </>
  );
}

const popupDownloads: TrackedDownload[] = [
  ...downloads,
  // Verified, but a rebuilder got other bytes: the red line must explain itself.
  {
    ...downloads[2]!,
    id: 'dl-8',
    startedAt: '2025-11-20T08:50:00.000Z',
    phase: 'done',
    verdict: verdicts.verified,
    repro: repro.mismatch,
  },
  // Amber "could not verify" with a long URL in its detail (must wrap at 380 px), opened.
  {
    ...downloads[2]!,
    id: 'dl-7',
    startedAt: '2025-11-20T08:45:00.000Z',
    phase: 'done',
    verdict: verdicts.unverifiable,
  },
  // Red: a bad signature says "Do not use" in the headline.
  { ...downloads[2]!, id: 'dl-6', startedAt: '2025-11-20T08:40:00.000Z', phase: 'done', verdict: signatureBadVerdict },
  { ...downloads[2]!, id: 'dl-5', startedAt: '2025-11-20T08:30:00.000Z', phase: 'done', verdict: verdicts.mismatch },
  { ...downloads[2]!, id: 'dl-4', startedAt: '2025-11-20T08:20:00.000Z', phase: 'awaiting-file' },
  {
    ...downloads[2]!,
    id: 'dl-0',
    startedAt: '2025-11-19T08:00:00.000Z',
    phase: 'failed',
    error: {
      code: 'fetch-failed',
      detail: 'https://tails.net/install/v2/Tails/amd64/stable/latest.json: network error',
    },
  },
];

/** Firefox takeover (src/extension/takeover.ts): one restarted, one left to the browser. */
const takeoverDownloads = [
  { ...downloads[1]!, id: 'dl-7', takeover: { kind: 'restarted' as const, from: 6 } },
  {
    ...downloads[1]!,
    id: 'dl-8',
    startedAt: '2025-11-20T08:20:00.000Z',
    phase: 'awaiting-file' as const,
    verdict: undefined,
    repro: undefined,
    takeover: { kind: 'not-restarted' as const, error: { code: 'takeover-no-host-access' as const } },
  },
];

const tracked = downloads[1]!;

/** Fake verification: progress then (for the done shot) a verified verdict with repro. */
function fakeDeps(finish: boolean): VerifyFlowDeps {
  return {
    verify: (_file, { onProgress, onHashed }) =>
      new Promise((resolve) => {
        onProgress(hashingProgress);
        if (!finish) return;
        onHashed();
        resolve({ verdict: verdicts.verified, repro: Promise.resolve(repro.met) });
      }),
  };
}

/** Pick a file programmatically, as a user would, so the real page runs its flow. */
function pickFile(): void {
  const input = document.querySelector<HTMLInputElement>('[data-testid="file-input"]');
  if (!input) return;
  const transfer = new DataTransfer();
  transfer.items.add(new File([new Uint8Array(4)], 'tails-amd64-7.2.img'));
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

function Verify({
  stage,
  download = tracked,
  all = [download],
}: {
  stage: 'idle' | 'hashing' | 'done';
  download?: TrackedDownload;
  all?: TrackedDownload[];
}) {
  return (
    <VerifyPage
      deps={fakeDeps(stage === 'done')}
      search={`?download=${download.id}`}
      watchDownloads={(listener) => (listener(all), noop)}
      actions={{ onResume: noop, onRetry: noop, onDownloadAgain: noop, onCancel: noop }}
      now={FIXTURE_NOW}
    />
  );
}

/** Decided while the official site was down: the hash is kept for "Try again". */
const offlineDownload: TrackedDownload = {
  ...downloads[2]!,
  id: 'dl-9',
  startedAt: '2025-11-20T09:20:00.000Z',
  phase: 'done',
  receivedBytes: downloads[2]!.totalBytes!,
  verdict: verdicts.unverifiable,
  hash: {
    engine: 'hash-wasm',
    bytes: downloads[2]!.totalBytes!,
    digests: {},
    states: {},
    url: downloads[2]!.url,
    finishedAt: '2025-11-20T09:25:00.000Z',
  },
  redecide: { attempts: 2, nextAt: '2025-11-20T10:01:00.000Z' },
};

const profile = {
  id: 'tails',
  product: 'Tails',
  officialSite: 'https://tails.net',
  channel: 'stable',
  architecture: 'amd64',
  descriptionUrl: 'https://tails.net/install/v2/Tails/amd64/stable/latest.json',
  pinnedFingerprints: [TAILS_PRIMARY],
  signingKey: '',
  imagePattern: '',
  maxDescriptionAgeDays: 0,
  rebuilders: [],
  reproThreshold: 1,
};

const DEMO_PEM =
  '-----BEGIN PUBLIC KEY-----\nMCwwBwYDK2VwBQADIQDM2yVUmwYY1102UxEnHggdZ7CANUG6vhJEVktmHlk5Hg==\n-----END PUBLIC KEY-----\n';
const ALICE_PEM =
  '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAXiNOcl4kXkCecTSEQ0DuMtSX8vSmQ7+diElwAZPxttw=\n-----END PUBLIC KEY-----\n';

/** The options page with a profile rebuilder, one reproducer the person added, and their k of n (live: add/remove work). */
function OptionsWithReproducers() {
  const [settings, setSettings] = useState<PersonReproSettings>({
    reproducers: [{ name: 'Alice', baseUrl: 'https://alice.example/attestations', publicKeyPem: ALICE_PEM }],
    threshold: 3,
  });
  const withRebuilder = {
    ...profile,
    rebuilders: [
      {
        name: 'rebuilder.riseup.example',
        baseUrl: 'https://rebuilder.riseup.example',
        publicKeyPem: DEMO_PEM,
        distribution: 'tails',
        architecture: 'amd64',
      },
    ],
  };
  return (
    <OptionsPage
      profile={withRebuilder}
      loadState={async () => ({
        ok: true,
        value: { downloads: [], profileId: 'tails', pinnedFingerprints: [TAILS_PRIMARY], fileAccess: false },
      })}
      reproducers={{ settings, onSave: async (next) => setSettings(next), allowLoopbackHttp: false }}
    />
  );
}

const shots: Record<string, () => ComponentChildren> = {
  verdicts: () => (
    <div class="gallery-pad">
      <Verdicts />
    </div>
  ),
  evidence: () => (
    <div class="gallery-pad">
      <Evidence />
    </div>
  ),
  repro: () => (
    <div class="gallery-pad">
      <ReproAndProgress />
    </div>
  ),
  popup: () => (
    <PopupView
      now={FIXTURE_NOW}
      downloads={popupDownloads}
      product="Tails"
      onOpenVerify={noop}
      onOpenSettings={noop}
      onResume={noop}
      onForget={noop}
      onCancel={noop}
      onRetry={noop}
    />
  ),
  'popup-open': () => (
    <PopupView
      now={FIXTURE_NOW}
      downloads={popupDownloads.filter((d) => d.id === 'dl-7' || d.id === 'dl-6' || d.id === 'dl-8')}
      product="Tails"
      onOpenVerify={noop}
      onOpenSettings={noop}
      onResume={noop}
      onForget={noop}
    />
  ),
  'popup-takeover': () => (
    <PopupView
      downloads={takeoverDownloads}
      product="Tails"
      onOpenVerify={noop}
      onOpenSettings={noop}
      onResume={noop}
      onForget={noop}
    />
  ),
  welcome: () => <WelcomePage fileAccess={false} onOpenDetails={noop} />,
  'popup-action-error': () => (
    <PopupView
      downloads={popupDownloads.filter((d) => d.id === 'dl-1')}
      product="Tails"
      actionError={{ code: 'download-not-resumable', detail: 'the browser cannot resume download 1' }}
      onOpenVerify={noop}
      onOpenSettings={noop}
      onResume={noop}
      onForget={noop}
    />
  ),
  'popup-empty': () => (
    <PopupView
      downloads={[]}
      product="Kali Linux"
      onOpenVerify={noop}
      onOpenSettings={noop}
      onResume={noop}
      onForget={noop}
    />
  ),
  'popup-same-name': () => (
    <PopupView
      now={FIXTURE_NOW}
      downloads={sameNameDownloads}
      product="Tails"
      onOpenVerify={noop}
      onOpenSettings={noop}
      onResume={noop}
      onForget={noop}
      onRetry={noop}
      onDownloadAgain={noop}
    />
  ),
  'verify-idle': () => <Verify stage="idle" />,
  'verify-short': () => <Verify stage="idle" download={sameNameDownloads[1]!} all={sameNameDownloads} />,
  'verify-offline': () => <Verify stage="idle" download={offlineDownload} />,
  'verify-hashing': () => <Verify stage="hashing" />,
  'verify-done': () => <Verify stage="done" />,
  options: () => (
    <OptionsPage
      profile={profile}
      loadState={async () => ({
        ok: true,
        value: { downloads: [], profileId: 'tails', pinnedFingerprints: [TAILS_PRIMARY], fileAccess: false },
      })}
      reproducers={{ settings: { reproducers: [] }, onSave: async () => undefined, allowLoopbackHttp: false }}
      signingKey={{ signingUntil: '2028-01-13T00:00:00.000Z', refreshedAt: '2026-12-07T02:10:00.000Z' }}
      privateAccess={{ allowed: false, browser: 'firefox' }}
      history={{ keepDays: 7, onChange: async () => undefined }}
    />
  ),
  'options-reproducers': () => <OptionsWithReproducers />,
};

function Gallery() {
  if (shot !== 'all') return <>{(shots[shot] ?? shots.verdicts!)()}</>;
  return (
    <>
      {Object.entries(shots).map(([name, make]) => (
        <section key={name} class="gallery-section">
          <h2 class="gallery-title">{name}</h2>
          {make()}
        </section>
      ))}
    </>
  );
}

document.documentElement.lang = lang.replace('_', '-');
document.documentElement.dir = dirOf(t);
// Popup shots show the explanation of every verdict, as after a click on "Why, and what was checked".
if (shot === 'popup-open') {
  queueMicrotask(() => document.querySelectorAll('.verdict details').forEach((d) => d.setAttribute('open', '')));
}
document.documentElement.dataset.theme = theme;
if (params.get('width') === 'popup' || shot.startsWith('popup')) document.body.classList.add('popup');
render(
  <I18nContext.Provider value={t}>
    <Gallery />
  </I18nContext.Provider>,
  document.getElementById('app')!,
);
// Synchronously after the first render, so browsers that screenshot at "load" see the result.
if (shot === 'verify-hashing' || shot === 'verify-done') pickFile();
