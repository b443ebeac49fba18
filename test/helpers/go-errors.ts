// Go's HTTP transport words the same failure differently with timing: an mTLS rejection arrives as
// `readLoopPeekFailLocked: remote error: tls: …` when the alert comes before the request is written, without the
// prefix otherwise. Lab tests that compare two real pull errors compare them modulo that prefix.
export function sameGoError(message: string): string {
  return message.replace(/readLoopPeekFailLocked: /g, '');
}
