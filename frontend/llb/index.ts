/**
 * The LLB builder: immutable states and ops, marshaled once into a deterministic pb.Definition.
 *
 *   const base = image('docker.io/library/alpine:3.19').withImageConfig(config);
 *   const built = base.withDir('/src').run({ args: ['/bin/sh', '-c', 'make'], customName: 'make' });
 *   const withFile = built.file(mkfile('/etc/motd', 0o644, 'hello\n'));
 *   const def = marshal(withFile, { platform });
 */
export { State, ExecState, scratch, image, local, source, goJson, cleanPath, joinPath } from './state';
export type {
  ImageOptions,
  LocalOptions,
  RunOptions,
  MountOptions,
  BindMount,
  CacheMount,
  TmpfsMount,
  ProxyEnv,
  ImageConfigLike,
} from './state';
export { FileAction, mkdir, mkfile, rm, copy, parseOwner } from './fileop';
export type { CopyOptions, MkdirOptions, MkfileOptions, RmOptions, Owner, Timestamp } from './fileop';
export { marshal, encodeDefinition, toPbDefinition, terminalInput, requiredCaps, sha256Digest } from './marshal';
export type { MarshalOptions } from './marshal';
export { normalizeImageRef, parseImageRef } from './reference';
export * from './types';
