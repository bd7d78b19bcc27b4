/** The BuildKit gateway client (the only I/O of the frontend besides logging). */
export { GatewayClient, PING_TIMEOUT_MS, messageTypes } from './client';
export type { PingResult, SolveRequest, SolveResult, FileStat, ImageConfigResult, ReturnResult, WorkerInfo, Warning, SourceRange } from './client';
export { Caps, CapSet, V08_API_CAPS, V08_LLB_CAPS } from './caps';
export type { ApiCap } from './caps';
export { GrpcTransport, GrpcError, GRPC_CODE, frameMessage, unframeMessages } from './transport';
export type { RpcStatus, CallOptions, UnaryTransport } from './transport';
export { FrontendError, statusFromError, userErrorStatus, sourceDetailAny, SOURCE_DETAIL_TYPE } from './errors';
export type { SourceDetail } from './errors';
export { parseFrontendEnv, buildArgs, cacheImports } from './options';
export type { FrontendEnv } from './options';
export { runFrontend, connectStdio, keepStdoutForGrpc } from './stdio';
export type { FrontendContext, RunFrontendOptions } from './stdio';
