/** Parsed release data, in our own names (the wire formats mix `_` and `-`). */
import type { ImageType } from '../verdict.js';

/** One downloadable file as the release data describes it. */
export interface TargetFile {
  url: string;
  /** 64 lowercase hex. */
  sha256: string;
  /** Bytes; a safe positive integer. */
  size: number;
}

/** Tails image description (IDF, `latest.json`). */
export interface ImageDescription {
  product: string;
  buildTarget: string;
  channel: string;
  installations: Installation[];
}

export interface Installation {
  version: string;
  paths: InstallationPath[];
}

export interface InstallationPath {
  type: ImageType;
  files: TargetFile[];
}

/** Tails upgrade description (UDF, `upgrades.yml`). */
export interface UpgradeDescription {
  product: string;
  buildTarget: string;
  channel: string;
  initialInstallVersion: string;
  upgrades: Upgrade[];
}

export interface Upgrade {
  version: string;
  /** "major", "minor", … as published; not interpreted. */
  type: string;
  detailsUrl: string;
  paths: UpgradePath[];
}

export interface UpgradePath {
  type: 'full' | 'incremental';
  files: TargetFile[];
}

/** One entry of the mirror pool; weight 0 means disabled. */
export interface Mirror {
  /** Absolute http(s) URL ending with '/'. */
  urlPrefix: string;
  weight: number;
}
