/**
 * The OCI image configuration the frontend returns, and the edits Modus operators make to it.
 * The base image's configuration is carried through untouched except for the edited fields:
 * unknown fields (Healthcheck, Shell, OnBuild, ...) survive, and Env keeps its order.
 */
import { posix } from 'node:path';

interface ContainerConfig {
  User?: string;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  [other: string]: unknown;
}

export interface ImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  config: ContainerConfig;
  rootfs?: { type: string; diff_ids: string[] };
  history?: HistoryEntry[];
  [other: string]: unknown;
}

interface HistoryEntry {
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
  [other: string]: unknown;
}

interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** The configuration of `scratch`: nothing but the platform. */
export function scratchConfig(platform: Platform): ImageConfig {
  const config: ImageConfig = { architecture: platform.architecture, os: platform.os, config: {}, rootfs: { type: 'layers', diff_ids: [] } };
  if (platform.variant) config.variant = platform.variant;
  return config;
}

/** A base image's configuration made ready for building on: creation time dropped, platform set. */
export function inheritConfig(base: ImageConfig, platform: Platform): ImageConfig {
  const copy = JSON.parse(JSON.stringify(base)) as ImageConfig;
  delete copy.created;
  copy.architecture = platform.architecture;
  copy.os = platform.os;
  if (platform.variant) copy.variant = platform.variant;
  else delete copy.variant;
  copy.config = copy.config ?? {};
  return copy;
}

function envValue(config: ImageConfig, key: string): string | undefined {
  const prefix = `${key}=`;
  const entry = (config.config.Env ?? []).find((e) => e.startsWith(prefix));
  return entry === undefined ? undefined : entry.slice(prefix.length);
}

/** Sets `key` in an Env list, replacing an existing entry in place (order kept), else appending. */
function withEnv(env: readonly string[], key: string, value: string): string[] {
  const prefix = `${key}=`;
  const index = env.findIndex((e) => e.startsWith(prefix));
  const out = [...env];
  if (index >= 0) out[index] = `${prefix}${value}`;
  else out.push(`${prefix}${value}`);
  return out;
}

/** The image's working directory as an absolute path (`/` when unset). */
export function absoluteWorkdir(config: ImageConfig): string {
  const dir = config.config.WorkingDir ?? '';
  return dir === '' ? '/' : posix.resolve('/', dir);
}

/** `path` resolved against `base`, keeping a trailing slash (it means "into this directory"). */
export function resolvePath(base: string, path: string): string {
  const resolved = posix.resolve(base, path);
  return path.endsWith('/') && resolved !== '/' ? `${resolved}/` : resolved;
}

function edit(config: ImageConfig, change: (c: ContainerConfig) => void): ImageConfig {
  const next: ImageConfig = { ...config, config: { ...config.config } };
  change(next.config);
  return next;
}

export function setEnv(config: ImageConfig, key: string, value: string): ImageConfig {
  return edit(config, (c) => (c.Env = withEnv(c.Env ?? [], key, value)));
}

export function appendPath(config: ImageConfig, value: string): ImageConfig {
  return setEnv(config, 'PATH', `${envValue(config, 'PATH') ?? ''}:${value}`);
}

export function setWorkdir(config: ImageConfig, path: string): ImageConfig {
  return edit(config, (c) => (c.WorkingDir = posix.resolve(absoluteWorkdir(config), path)));
}

export function setEntrypoint(config: ImageConfig, value: string[]): ImageConfig {
  return edit(config, (c) => {
    c.Entrypoint = value;
    c.Cmd = null;
  });
}

export function setCmd(config: ImageConfig, value: string[]): ImageConfig {
  return edit(config, (c) => (c.Cmd = value));
}

export function setLabel(config: ImageConfig, key: string, value: string): ImageConfig {
  return edit(config, (c) => (c.Labels = { ...(c.Labels ?? {}), [key]: value }));
}

export function setUser(config: ImageConfig, user: string): ImageConfig {
  return edit(config, (c) => (c.User = user));
}

export function addHistory(config: ImageConfig, entry: HistoryEntry): ImageConfig {
  return { ...config, history: [...(config.history ?? []), entry] };
}
