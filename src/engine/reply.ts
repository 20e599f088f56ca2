/** A RESP2 reply, as a Redis server writes it to a client. */
export type Reply =
  | { readonly t: 'status'; readonly v: string } // +OK
  | { readonly t: 'error'; readonly v: string } // -ERR ... (v holds the text after '-')
  | { readonly t: 'int'; readonly v: number } // :1
  | { readonly t: 'bulk'; readonly v: string | null } // $3 foo, or $-1 (nil)
  | { readonly t: 'array'; readonly v: readonly Reply[] | null }; // *N ..., or *-1

export const OK: Reply = { t: 'status', v: 'OK' };
export const QUEUED: Reply = { t: 'status', v: 'QUEUED' };
export const NIL: Reply = { t: 'bulk', v: null };
/**
 * No reply at all: the server closed the connection (SHUTDOWN), and redis-cli prints nothing.
 * Carried as an empty status so that every command still has a reply to hand back.
 */
export const CONNECTION_CLOSED: Reply = { t: 'status', v: '' };
export const status = (v: string): Reply => ({ t: 'status', v });
export const err = (v: string): Reply => ({ t: 'error', v });
export const int = (v: number): Reply => ({ t: 'int', v });
export const bulk = (v: string | null): Reply => ({ t: 'bulk', v });
export const array = (v: readonly Reply[] | null): Reply => ({ t: 'array', v });
export const bulks = (vs: readonly string[]): Reply => array(vs.map(bulk));

export const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
export const SYNTAX = err('ERR syntax error');
export const NOT_INTEGER = err('ERR value is not an integer or out of range');
export const NOT_FLOAT = err('ERR value is not a valid float');

export const wrongArity = (cmd: string): Reply =>
  err(`ERR wrong number of arguments for '${cmd.toLowerCase()}' command`);
