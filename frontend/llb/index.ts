/**
 * The LLB builder: immutable states and ops, marshaled once into a deterministic pb.Definition.
 *
 *   const base = image('docker.io/library/alpine:3.19').withImageConfig(config);
 *   const built = base.withDir('/src').run({ args: ['/bin/sh', '-c', 'make'], customName: 'make' });
 *   const withFile = built.file(mkfile('/etc/motd', 0o644, 'hello\n'));
 *   const def = marshal(withFile, { platform });
 */
export { State, scratch } from './state';
export type { ImageConfigLike } from './state';
export { image, local, source, goJson } from './source';
export type { ImageOptions, LocalOptions } from './source';
export type { RunOptions, MountOptions, BindMount, CacheMount, TmpfsMount, ProxyEnv } from './exec';
export { FileAction, mkfile, copy, parseOwner } from './fileop';
export { merge } from './merge';
export { diff } from './diff';
export type { CopyOptions, MkdirOptions, MkfileOptions, RmOptions, Owner, Timestamp } from './fileop';
export { marshal, terminalInput, requiredCaps, sha256Digest } from './marshal';
export type { MarshalOptions } from './marshal';
export { normalizeImageRef, parseImageRef } from './reference';
export * from './types';
