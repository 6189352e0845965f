export {
  type AnuraApi,
  type AnuraApiOptions,
  type Cdr,
  type CdrListing,
  createAnuraApi,
  type RecordingLink,
  type RejectedCdr,
} from "./anura-api.ts";
export { AnuraApiError, type AnuraApiErrorKind, isAnuraApiError } from "./errors.ts";
export { createTokenSource, type TokenSource } from "./token.ts";
