/**
 * The engine's code that the browser loads apart from the first screen, in one chunk: the
 * data-type commands (sets, sorted sets, streams, EVAL: keyspace/typeCommands.ts), Valkey 8's
 * log wording (valkeyLogs.ts) and the replica's side of its dual-channel sync (dualChannel.ts).
 * `installOnDemandCode(code)` (dialect.ts) installs it: the store waits for it before running a
 * statement or a version that needs it (store/commandCode.ts);
 * Node entry points (tests, the CLI, the conformance runner) install it up front.
 */
export { installTypeCommands } from './keyspace/typeCommands';
export { valkeyMessage } from './valkeyLogs';
export { installDualChannelCode } from './dualChannel';
