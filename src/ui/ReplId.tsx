import { replidHue, ZERO_ID } from '../store';

/** A replication ID, shortened, in the colour of its hash (same ID, same colour, everywhere). */
export function ReplId({ id, label }: { id: string; label?: string }) {
  const zero = id === ZERO_ID || id === '?' || id === '';
  const hue = replidHue(id);
  return (
    <span
      className={zero ? 'rl-replid rl-replid-zero' : 'rl-replid'}
      title={label ? `${label}: ${id}` : id}
      style={zero ? undefined : { ['--id-hue' as string]: String(hue) }}
    >
      {zero ? (id === '?' ? '?' : '0000…') : `${id.slice(0, 8)}…`}
    </span>
  );
}
