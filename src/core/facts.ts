// Typed facts passed along the check graph. Each check file augments this interface with its own entry:
//
//   declare module '../src/core/facts.js' {
//     interface FactsMap { 'tcp-connect': TcpFacts }
//   }
//
// so `ctx.facts('tcp-connect')` is typed wherever the check is imported.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface FactsMap {}
