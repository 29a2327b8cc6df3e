/**
 * Error-scope helpers for `Gpu`: a `popErrorScope()` that rejects (the device is
 * failing) becomes a `ScopeFailure` value instead of a raw error.
 */

/** A popErrorScope() that rejected (OperationError) instead of resolving. */
export class ScopeFailure {
  constructor(readonly message: string) {}
}

/** An error as `Name: message`, or any other thrown value as a string. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** An error scope's result, with a rejection turned into a value instead of a raw error. */
export function settleScope(scope: Promise<GPUError | null>): Promise<GPUError | ScopeFailure | null> {
  return scope.catch((e: unknown) => new ScopeFailure(errorMessage(e)));
}
