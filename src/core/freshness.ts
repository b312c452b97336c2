/**
 * Rollback protection. Whoever controls the official site (or its TLS) cannot forge the
 * pinned signature, but can replay old signed data: an old description pointing at an old,
 * vulnerable release. So we remember, per profile + product + channel, the newest signed
 * release data we have accepted, and refuse anything older.
 *
 * A record holds the release version and the time of the signature that vouched for it.
 * A candidate is a ROLLBACK when either
 *   1. its version is older than the seen version (a downgrade), or
 *   2. its signature time is older than the seen signature time — whatever its version.
 *      Same version with an older signature is a replay of superseded signed data (e.g. a
 *      re-signed description whose newer signature we already saw); a newer version with an
 *      older signature cannot happen legitimately because a release is signed after the
 *      previous one, so it signals a mis-dated or replayed signature.
 * Same version and same-or-newer signature time is fine (re-checking, re-signed data).
 *
 * Only signed facts enter a record (DESIGN.md "Only signed facts decide"). A profile that
 * signs its description records that signature's time and the version it names. Where only
 * the image carries a signature (Tails), the record is kept per image type under its own key
 * (freshnessKey(…, 'image-signature/iso')), holds the image signature's time, and holds a
 * version only when a signature covers it (the previous release's signed upgrade
 * description); a record without a version is compared by signature time alone. So each key
 * compares signature times of one kind, and nothing unsigned ever blocks a genuine release.
 *
 * Timestamps come from signed data only; the clock is not involved, so a wrong local clock
 * cannot cause false rollbacks. Records only move forward (recordFreshness keeps the newer).
 */
import { IsoVerifyError } from './errors.js';
import { compareVersions, isValidVersion } from './version.js';

export interface FreshnessRecord {
  /** The release version, only when a signature names it. */
  version?: string;
  /** ISO-8601 time of the signature that vouched for `version`. */
  signatureTime: string;
}

/**
 * The pinned signing key as last refreshed from the official site (DESIGN.md "Time and keys"),
 * kept so that later checks without a connection still know its extensions and new subkeys.
 * It is only ever merged INTO the shipped key (src/core/openpgp/keyring.ts mergeKeyRefresh):
 * whatever is stored can add what the pinned primary certifies, never replace it.
 */
export interface StoredSigningKey {
  /** The merged public key(s), ASCII-armored, one block per pinned primary key. */
  keys: string[];
  /** When it was last refreshed (this computer's clock: shown to the person, never decides). */
  refreshedAt: string;
  /** Until when the merged key can sign, as computed when it was stored (null: no end). */
  signingUntil: string | null;
}

/** Reading the records is all a decision needs; writing is the caller's (src/core/verify/decide.ts). */
export interface TrustStateReader {
  get(key: string): Promise<FreshnessRecord | undefined>;
  /** The refreshed key kept for this trust domain (profile + pins), when the store keeps keys. */
  getSigningKey?(id: string): Promise<StoredSigningKey | undefined>;
}

/** Where records persist: memory, a JSON file (CLI), extension storage. */
export interface TrustState extends TrustStateReader {
  /** Store `record` unless a fresher one is stored already: implementations never move a record backwards. */
  put(key: string, record: FreshnessRecord): Promise<void>;
  /** Keep the refreshed key (replacing the one kept: it was merged from it, so it only ever grows). */
  putSigningKey?(id: string, key: StoredSigningKey): Promise<void>;
}

/** Upper bounds for a kept key: the minimal Tails key is well under 100 KB. */
const MAX_STORED_KEY_CHARS = 1 << 20;
const MAX_STORED_KEYS = 64;

/** Validate a kept key; anything else is `input-malformed` (the shipped key is still used). */
export function readStoredSigningKey(value: unknown, where: string): StoredSigningKey {
  const bad = (why: string) => new IsoVerifyError('input-malformed', `stored signing key ${where}: ${why}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('not an object');
  const rec = value as Record<string, unknown>;
  const keys = Object.hasOwn(rec, 'keys') ? rec.keys : undefined;
  const refreshedAt = Object.hasOwn(rec, 'refreshedAt') ? rec.refreshedAt : undefined;
  const signingUntil = Object.hasOwn(rec, 'signingUntil') ? rec.signingUntil : undefined;
  if (
    !Array.isArray(keys) ||
    keys.length === 0 ||
    keys.length > 8 ||
    !keys.every((k) => typeof k === 'string' && k.length <= MAX_STORED_KEY_CHARS)
  ) {
    throw bad('"keys" is not a list of armored keys');
  }
  if (typeof refreshedAt !== 'string' || !Number.isFinite(Date.parse(refreshedAt))) throw bad('invalid refreshedAt');
  if (signingUntil !== null && (typeof signingUntil !== 'string' || !Number.isFinite(Date.parse(signingUntil))))
    throw bad('invalid signingUntil');
  return { keys: [...(keys as string[])], refreshedAt, signingUntil: signingUntil as string | null };
}

export type FreshnessCheck =
  { ok: true; seen?: FreshnessRecord } | { ok: false; seen: FreshnessRecord; error: IsoVerifyError };

export function freshnessKey(profileId: string, product: string, channel: string, kind?: string): string {
  const key = [profileId, product, channel].map((part) => encodeURIComponent(part)).join('/');
  return kind === undefined ? key : `${key}/${kind}`;
}

function signatureMillis(record: FreshnessRecord, what: string): number {
  const ms = Date.parse(record.signatureTime);
  if (!Number.isFinite(ms)) throw new IsoVerifyError('input-invalid-value', `${what} signature time is not a date`);
  return ms;
}

/** Is `candidate` at least as fresh as what was seen under `key`? Never writes. */
export async function checkFreshness(
  state: TrustStateReader,
  key: string,
  candidate: FreshnessRecord,
): Promise<FreshnessCheck> {
  const seen = await state.get(key);
  if (!seen) return { ok: true };
  // Versions are compared only when both are signed facts.
  const versionOrder =
    candidate.version !== undefined && seen.version !== undefined
      ? compareVersions(candidate.version, seen.version)
      : 0;
  if (versionOrder < 0) {
    return {
      ok: false,
      seen,
      error: new IsoVerifyError(
        'rollback',
        `version ${candidate.version} is older than ${seen.version}, which was already seen`,
      ),
    };
  }
  if (signatureMillis(candidate, 'candidate') < signatureMillis(seen, 'stored')) {
    return {
      ok: false,
      seen,
      error: new IsoVerifyError(
        'rollback',
        `signature${candidate.version ? ` of ${candidate.version}` : ''} made ${candidate.signatureTime} is older than the one already seen (${seen.version ? `${seen.version}, ` : ''}${seen.signatureTime})`,
      ),
    };
  }
  return { ok: true, seen };
}

/** Remember `record` unless something fresher is already stored (every TrustState.put only moves forward). */
export async function recordFreshness(state: TrustState, key: string, record: FreshnessRecord): Promise<void> {
  await state.put(key, validateRecord(record, 'record'));
}

/**
 * The fresher of two records: the higher version, or for the same version the later
 * signature. Applied inside every put, so two verifications finishing in either order (or in
 * two extension contexts sharing one storage key) can never move the record backwards.
 */
export function fresherRecord(a: FreshnessRecord, b: FreshnessRecord | undefined): FreshnessRecord {
  if (!b) return a;
  const order = a.version !== undefined && b.version !== undefined ? compareVersions(a.version, b.version) : 0;
  if (order !== 0) return order > 0 ? a : b;
  return signatureMillis(a, 'record') >= signatureMillis(b, 'stored') ? a : b;
}

function validateRecord(value: unknown, where: string): FreshnessRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new IsoVerifyError('input-malformed', `trust state ${where}: not an object`);
  }
  const rec = value as Record<string, unknown>;
  const version = Object.hasOwn(rec, 'version') ? rec.version : undefined;
  const signatureTime = Object.hasOwn(rec, 'signatureTime') ? rec.signatureTime : undefined;
  if (version !== undefined && !isValidVersion(version))
    throw new IsoVerifyError('input-malformed', `trust state ${where}: invalid version`);
  if (typeof signatureTime !== 'string' || !Number.isFinite(Date.parse(signatureTime))) {
    throw new IsoVerifyError('input-malformed', `trust state ${where}: invalid signatureTime`);
  }
  return version === undefined ? { signatureTime } : { version, signatureTime };
}

/** In-memory state (tests, one-shot CLI runs without a state file). */
export class MemoryTrustState implements TrustState {
  private readonly records = new Map<string, FreshnessRecord>();
  private readonly signingKeys = new Map<string, StoredSigningKey>();

  async getSigningKey(id: string): Promise<StoredSigningKey | undefined> {
    const kept = this.signingKeys.get(id);
    return kept && { ...kept, keys: [...kept.keys] };
  }

  async putSigningKey(id: string, key: StoredSigningKey): Promise<void> {
    this.signingKeys.set(id, readStoredSigningKey(key, id));
  }

  async get(key: string): Promise<FreshnessRecord | undefined> {
    const rec = this.records.get(key);
    return rec && { ...rec };
  }

  async put(key: string, record: FreshnessRecord): Promise<void> {
    this.records.set(key, { ...fresherRecord(validateRecord(record, key), this.records.get(key)) });
  }
}

/** Raw storage for KeyValueTrustState: a JSON file (CLI) or an extension storage key. */
export interface TrustStore {
  /** The stored value, or undefined/null when nothing was stored yet. */
  read(): Promise<unknown>;
  write(value: unknown): Promise<void>;
}

/** What KeyValueTrustState stores: `{ "records": { "<key>": { version?, signatureTime } } }`. */
export interface StoredTrustState {
  records: Record<string, FreshnessRecord>;
}

const MAX_RECORDS = 10_000;

/** Validate a stored value. Corrupt state throws `input-malformed`: never silently reset, which would disable rollback protection. */
export function readStoredTrustState(value: unknown): StoredTrustState {
  if (value === undefined || value === null) return { records: {} };
  if (typeof value !== 'object' || Array.isArray(value))
    throw new IsoVerifyError('input-malformed', 'trust state: not an object');
  const obj = value as Record<string, unknown>;
  const raw = Object.hasOwn(obj, 'records') ? obj.records : undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new IsoVerifyError('input-malformed', 'trust state: "records" missing or not an object');
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_RECORDS) throw new IsoVerifyError('input-malformed', 'trust state: too many records');
  // A null-prototype map so a key like "__proto__" is just a key.
  const records: Record<string, FreshnessRecord> = Object.create(null) as Record<string, FreshnessRecord>;
  for (const [key, rec] of entries) records[key] = validateRecord(rec, JSON.stringify(key.slice(0, 80)));
  return { records };
}

/**
 * TrustState over a single stored JSON value. Writes are serialised within one instance;
 * each write re-reads so that other records written meanwhile are kept, and a record only
 * ever moves forward. Refreshed signing keys go to `keyStore` when given (the CLI keeps them
 * in their own file next to state.json), otherwise under "signingKeys" in the same value.
 */
export class KeyValueTrustState implements TrustState {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: TrustStore,
    private readonly keyStore?: TrustStore,
  ) {}

  async getSigningKey(id: string): Promise<StoredSigningKey | undefined> {
    await this.queue.catch(() => undefined);
    const keys = readSigningKeys(this.keyStore ? await this.keyStore.read() : await this.store.read());
    return Object.hasOwn(keys, id) ? keys[id] : undefined;
  }

  async putSigningKey(id: string, key: StoredSigningKey): Promise<void> {
    const valid = readStoredSigningKey(key, JSON.stringify(id.slice(0, 80)));
    const store = this.keyStore ?? this.store;
    const run = this.queue
      .catch(() => undefined)
      .then(async () => {
        const value = await store.read();
        // A corrupt kept key is replaced, not a reason to keep none: it is only ever merged into
        // the shipped key, which stays the anchor (readers refuse it, so nothing unread is used).
        const keys = readSigningKeysLeniently(value);
        const next: Record<string, StoredSigningKey> = Object.create(null) as Record<string, StoredSigningKey>;
        for (const [k, v] of Object.entries(keys)) next[k] = v;
        next[id] = valid;
        if (Object.keys(next).length > MAX_STORED_KEYS)
          throw new IsoVerifyError('input-too-large', 'too many stored signing keys');
        if (this.keyStore) await store.write({ signingKeys: next });
        else await store.write({ records: readStoredTrustState(value).records, signingKeys: next });
      });
    this.queue = run;
    await run;
  }

  async get(key: string): Promise<FreshnessRecord | undefined> {
    await this.queue.catch(() => undefined);
    const { records } = readStoredTrustState(await this.store.read());
    const rec = Object.hasOwn(records, key) ? records[key] : undefined;
    return rec && { ...rec };
  }

  async put(key: string, record: FreshnessRecord): Promise<void> {
    const valid = validateRecord(record, JSON.stringify(key.slice(0, 80)));
    const run = this.queue
      .catch(() => undefined)
      .then(async () => {
        const value = await this.store.read();
        const { records } = readStoredTrustState(value);
        const next: Record<string, FreshnessRecord> = Object.create(null) as Record<string, FreshnessRecord>;
        for (const [k, v] of Object.entries(records)) next[k] = v;
        // Re-read and keep the fresher record: another context may have written meanwhile.
        const kept = fresherRecord(valid, Object.hasOwn(records, key) ? records[key] : undefined);
        next[key] =
          kept.version === undefined
            ? { signatureTime: kept.signatureTime }
            : { version: kept.version, signatureTime: kept.signatureTime };
        const signingKeys = this.keyStore ? undefined : readSigningKeysLeniently(value);
        await this.store.write(
          signingKeys && Object.keys(signingKeys).length > 0
            ? { records: next, signingKeys }
            : ({ records: next } satisfies StoredTrustState),
        );
      });
    this.queue = run;
    await run;
  }
}

/** The "signingKeys" member of a stored value (absent: none). Corrupt keys throw `input-malformed`. */
function readSigningKeys(value: unknown): Record<string, StoredSigningKey> {
  const keys: Record<string, StoredSigningKey> = Object.create(null) as Record<string, StoredSigningKey>;
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return keys;
  const raw = Object.hasOwn(value, 'signingKeys') ? (value as Record<string, unknown>).signingKeys : undefined;
  if (raw === undefined) return keys;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new IsoVerifyError('input-malformed', 'trust state: "signingKeys" is not an object');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_STORED_KEYS)
    throw new IsoVerifyError('input-malformed', 'trust state: too many stored signing keys');
  for (const [id, key] of entries) keys[id] = readStoredSigningKey(key, JSON.stringify(id.slice(0, 80)));
  return keys;
}

/** The valid kept keys of a stored value; invalid entries are left out. */
function readSigningKeysLeniently(value: unknown): Record<string, StoredSigningKey> {
  const keys: Record<string, StoredSigningKey> = Object.create(null) as Record<string, StoredSigningKey>;
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return keys;
  const raw = Object.hasOwn(value, 'signingKeys') ? (value as Record<string, unknown>).signingKeys : undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return keys;
  for (const [id, key] of Object.entries(raw as Record<string, unknown>).slice(0, MAX_STORED_KEYS)) {
    try {
      keys[id] = readStoredSigningKey(key, id);
    } catch {
      // left out
    }
  }
  return keys;
}
