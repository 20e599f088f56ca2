/** replicationCron, once a second: timeouts, reconnects, PINGs to replicas, backlog expiry. */
import { freeReplicationBacklog, replicationFeedSlaves } from './backlog';
import { transferLastIo } from './info';
import { lastArrivalToReplica, send, teardown } from './net';
import { replicationStartPendingFork } from './rdb';
import {
  cancelReplicationHandshake,
  connectWithMaster,
  freeMasterClient,
  replicationSendAck,
} from './replica';
import { nextHex40 } from './rng';
import type { ServerState } from './types';
import { dialect, log, unixtime, unixtimeAt, ZERO_REPLID, type World } from './world';

/**
 * The master's stream is still arriving on the replica's link: a message sent whole (a 1 MB SET
 * at a low bandwidth) takes longer than repl-timeout to come in, but Redis reads it bit by bit and
 * each read is an interaction (networking.c readQueryFromClient sets lastinteraction), so no
 * "MASTER timeout" while its bytes flow. Not during a cut: then nothing arrives.
 */
function streamArriving(w: World, s: ServerState): boolean {
  const id = s.master?.connId;
  const c = id !== undefined && id !== null ? w.state.conns[id] : undefined;
  return (
    c !== undefined &&
    !c.blackholed &&
    c.held.length === 0 &&
    w.state.now < lastArrivalToReplica(w, c)
  );
}

export function replicationCron(w: World, s: ServerState): void {
  const now = unixtime(w);
  const timeout = s.config['repl-timeout'];
  const handshake =
    s.repl_state !== 'none' &&
    s.repl_state !== 'connect' &&
    s.repl_state !== 'transfer' &&
    s.repl_state !== 'connected';
  if (s.masterhost && handshake && now - s.repl_transfer_lastio > timeout) {
    log(w, s, 'warning', 'Timeout connecting to the MASTER...');
    cancelReplicationHandshake(w, s, true);
  }
  if (s.masterhost && s.repl_state === 'transfer' && now - transferLastIo(w.state, s) > timeout) {
    log(
      w,
      s,
      'warning',
      "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
    );
    cancelReplicationHandshake(w, s, true);
  }
  if (
    s.masterhost &&
    s.master &&
    s.repl_state === 'connected' &&
    now - s.master.lastInteraction > timeout &&
    !streamArriving(w, s)
  ) {
    log(w, s, 'warning', 'MASTER timeout: no data nor PING received...');
    freeMasterClient(w, s);
  }
  if (s.masterhost && s.repl_state === 'connect') {
    log(w, s, 'notice', `Connecting to MASTER ${s.masterhost}:${s.masterport}`);
    connectWithMaster(w, s);
  }
  if (s.masterhost && s.master) replicationSendAck(w, s);

  const period = s.config['repl-ping-replica-period'];
  if (s.replication_cron_loops % period === 0 && s.slaves.length > 0)
    replicationFeedSlaves(w, s, s.slaveseldb, [dialect(w).cronPing]);

  // A newline to every replica waiting for its RDB (not yet forked, or a disk BGSAVE under way),
  // so its handshake or transfer timeout does not fire while it waits.
  for (const r of s.slaves) {
    const presync =
      r.replstate === 'wait_bgsave_start' ||
      (r.replstate === 'wait_bgsave_end' && s.child?.target !== 'socket');
    const c = w.state.conns[r.connId];
    if (presync && c) send(w, c, 'toReplica', { k: 'NEWLINE' }, 1);
  }

  // Disconnect timed out replicas. Whole seconds, as Redis compares server.unixtime with repl_ack_time.
  for (const r of [...s.slaves]) {
    if (r.replstate !== 'online') continue;
    if (now - unixtimeAt(w, r.replAckTime) > timeout) {
      log(w, s, 'warning', `${dialect(w).logs.timedoutReplica}${r.name}`);
      const c = w.state.conns[r.connId];
      if (c) teardown(w, c, 'master');
      else w.closed.master(w, s, r.connId, false);
    }
  }
  // Free the backlog of a master without replicas for repl-backlog-ttl seconds.
  const ttl = s.config['repl-backlog-ttl'];
  if (
    !s.masterhost &&
    s.slaves.length === 0 &&
    ttl > 0 &&
    s.backlog &&
    now - s.repl_no_slaves_since > ttl
  ) {
    s.replid = nextHex40(w.state.rng);
    s.replid2 = ZERO_REPLID;
    s.second_replid_offset = -1;
    freeReplicationBacklog(s);
    log(
      w,
      s,
      'notice',
      `Replication backlog freed after ${ttl} seconds without connected replicas.`,
    );
  }
  replicationStartPendingFork(w, s);
  s.replication_cron_loops++;
}
