/**
 * UI chrome in English and Spanish. Accessible names of the public controls stay English, but
 * for a control whose visible words must be part of its name (WCAG 2.5.3, a speech user says
 * what they see): the network and Promote buttons on a card.
 */
import type { Lang, LinkState } from '../store/types';
import { useLab } from '../store';
import type { PsyncReason } from '../engine/events';

const en = {
  title: 'Resync Lab',
  subtitle: 'Redis replication: full vs partial resync',
  play: 'Play',
  pause: 'Pause',
  step: 'Step',
  skip: 'Skip to next event',
  reset: 'Reset',
  speed: 'Speed',
  writeKey: 'Write key',
  writeTemplate: 'Default write',
  addReplica: 'Add replica',
  removeReplica: 'Remove',
  promote: 'Promote',
  restart: 'Restart',
  cut: 'Cut network',
  restore: 'Restore network',
  stream: 'Stream',
  commands: 'Commands',
  resp: 'RESP bytes',
  theme: 'Theme',
  light: 'Light',
  dark: 'Dark',
  projector: 'Projector',
  serverVersion: 'Server version the lab imitates',
  help: 'Shortcuts',
  scenario: 'Scenario',
  noScenario: 'Free lab (no scenario)',
  nextStep: 'Next step',
  prevStep: 'Previous step',
  narration: 'Narration',
  stepNofM: 'Step {n} of {m}',
  stageSet: 'The stage is set. Press Next step (or PageDown) to begin.',
  lessonDone: 'End of the lesson: go back to any step, or go on freely from here.',
  quoteFrom: 'log of {s}',
  writtenFor70:
    'Written for Redis 7.0: its narration’s numbers and quoted log lines are 7.0’s; the stage and the logs show {v}.',
  openScenario: 'Open a scenario file',
  openShort: 'Open…',
  timeline: 'Timeline',
  markStep: 'Step {n}',
  markCut: '{s}: network cut ({x})',
  markRestore: '{s}: network back ({x})',
  markRestart: '{s} restarts',
  markReplicaof: '{s}: REPLICAOF {x}',
  markCommand: '{s}> {x}',
  markPsync: '{s} asks PSYNC, master answers {x}',
  markSynced: '{s} in sync again: {x}, {b} sent',
  markFull: 'full resync',
  markPartial: 'partial resync',
  timelineKey: 'Marks: steps, cuts and restores, commands, PSYNC answers, resyncs finished',
  presenterView: 'Presenter view',
  predictTitle: 'Predict first',
  liveMore: '(+{n} more log lines)',
  askResync: '{r} reconnects: partial or full resync?',
  askOffset: 'Which offset will {r} ask for in its PSYNC?',
  askBytes: 'How many bytes of backlog will the master send {r}?',
  partialWord: 'partial',
  fullWord: 'full',
  checkAnswer: 'Check my prediction',
  yourAnswer: 'You said {g} · Redis: {a}',
  noAnswer: '(no answer)',
  right: 'right',
  wrong: 'not this time',
  progressReset: 'Reset my progress',
  done: 'done',
  scenarioError: 'This scenario has a mistake',
  panelBug: 'This panel hit a bug',
  panelRetry: 'Retry',
  linkProblem: 'This link asks for {param}={value}, which the lab does not know: it shows {shown}.',
  linkNoticeDismiss: 'Dismiss the notice about the link',
  master: 'master',
  replica: 'replica',
  offset: 'master_repl_offset',
  keyspace: 'Keyspace',
  noKeys: '(empty)',
  link: 'Link',
  netDown: 'network cut',
  backlog: 'Replication backlog',
  backlogHolds: 'holds',
  backlogOf: 'of',
  backlogBlocks:
    'repl_backlog_histlen of repl-backlog-size. Redis 7 frees its replication buffer a whole block (20,440 bytes) at a time, so the backlog can hold up to one block more than repl-backlog-size.',
  absorbs: 'Absorbs a disconnect of',
  noWrites: 'no writes now',
  countdown: 'falls out of the backlog in',
  overflowed: 'has fallen out of the backlog: the next sync will be FULL',
  missed: 'missed',
  asked: 'asked for',
  why: 'Why partial or full?',
  noPsync: 'No PSYNC yet: the replica will ask when it (re)connects.',
  checkReplid: 'Same replication ID (or the previous one, up to its offset)',
  checkBacklog: 'The master has a backlog',
  checkRange: 'The requested offset is inside the backlog',
  passed: 'passed',
  failed: 'failed',
  notChecked: 'not checked',
  reply: 'Reply',
  partial: 'partial resync',
  full: 'full resync',
  cost: 'Cost',
  sent: 'sent',
  online: 'online after',
  console: 'Console',
  log: 'Log',
  info: 'INFO replication',
  keys: 'Shortcuts',
  close: 'Close',
  wireTitle: 'Click the wire to cut or restore the network',
  wireVia: '⇠ replica of {m}',
  wireRdbChannel: 'RDB channel',
  wireRdbChannelTitle:
    'Dual-channel sync: the RDB travels on this second connection while the writes made meanwhile travel on the main one',
  lineage: 'Replication IDs along the offsets',
  reproduce: 'Reproduce on real Redis',
  reproduceShort: 'Real Redis (.sh)',
  reproduceTitle:
    'Download a shell script that replays this scenario (or this run) with redis-server and redis-cli on your machine',
  twinCompare: 'Compare: {a} / {b}',
  twinAnswer: '{r} PSYNC →',
  twinBytes: 'Bytes sent',
  twinOnline: 'Online after',
  twinCaughtUp: 'Caught up after',
  twinNotYet: 'not yet',
  twinNone: 'No resync yet in either run.',
  twinRdb: 'RDB {b}',
  twinBacklog: 'backlog {b}',
  lineageOld: 'master_replid2 {id}: the old history, honoured for a PSYNC up to offset {n}',
  lineageNow: 'master_replid {id}, up to master_repl_offset {n}',
  rdb: 'RDB snapshot',
  requested: 'requested',
  replicaOf: 'replica of',
  down: 'down',
  outside: 'outside the backlog',
  // --- panels that never lie, the two cuts, keyboard (issue 9) ---
  firstSync: 'first sync',
  firstSyncOwnId: '{r} asked with its own replication ID: it has never synced with this master.',
  firstSyncNoId: '{r} knows no replication ID: it has never synced with this master.',
  expectedNo: 'no, as expected',
  fullExpected: 'full resync, as expected',
  decisionEnded:
    'An earlier connection: {r}’s link went down after this decision. Its next PSYNC decides again.',
  overSize: 'Holds {h}, more than repl-backlog-size {s}: Redis 7 frees whole blocks.',
  leavesAfter: '{r} leaves the backlog after {b} more written',
  atThisRate: 'at this rate',
  stopNet: 'Stop {r}’s network',
  stopNetShort: 'Stop network',
  resetConnShort: 'Reset connection',
  stopNetTitle:
    'Its network interface goes down, as rc-service networking stop does: nobody is told, packets vanish; TCP sends them again once it is back.',
  resetConn: 'Reset the connection',
  resetConnTitle:
    'The connection is reset: both ends are told at once, and connecting is refused until the network is restored.',
  netStopped: 'network stopped: nobody is told',
  netSilent: 'packets vanish: nobody is told',
  netReset: 'connection reset',
  masterTimeoutIn: 'MASTER timeout in {t}',
  dropsIn: 'drops {r} in {t}',
  timeoutTitle: 'repl-timeout is {n} s: with nothing received for that long, this side gives up.',
  latest: 'latest',
  showValue: 'Show the whole value',
  showAll: 'Show all ({n} characters)',
  showLess: 'Show less',
  noticeMax: 'At most {n} replicas.',
  noticeLab: 'Lab error: {text}',
  dismiss: 'Dismiss',
  resetAsk: 'Reset the lab?',
  resetLose: 'What you did since the opening scene ({n} statements) is thrown away.',
  resetLoseOne: 'What you did since the opening scene (1 statement) is thrown away.',
  cancel: 'Cancel',
  // Layout (issue 9, "fits any box"): the toolbar's overflow menu and the consoles dock.
  more: 'More',
  moreControls: 'More controls',
  skipShort: 'Next',
  docks: 'Consoles and logs',
  dockOpen: 'Open consoles and logs',
  dockExpand: 'Enlarge consoles and logs',
  dockClose: 'Back to the stage',
  // --- issue 9, the wire tells the story (wire labels, retry cue, clock, skip notice) ---
  wireBacklog: 'backlog',
  wireFromOffset: 'from offset',
  wireMore: 'more',
  wireRetrying: 'reconnecting',
  wireAttempt: 'attempt',
  wireRetryTitle: 'The replica tries to reach its master again once a second (replicationCron).',
  clockLabel: 'Simulated clock',
  clockTitle: 'Simulated time, as the logs print it (UTC)',
  skipTo: 'Skipped to',
  skipNone: 'no PSYNC, transfer or link change',
  skipPsync: 'PSYNC',
  skipBgsaveStart: 'BGSAVE started',
  skipBgsaveEnd: 'BGSAVE finished',
  skipForReplication: 'for replication',
  skipResynced: 'in sync again',
  skipLinkUp: 'link to master up',
  skipLinkDown: 'link to master lost',
  respTitle: 'Replication stream as RESP',
  respOnWire: '(on the wire now)',
  respLast: '(last on the wire)',
  respEmpty: 'No commands on the wire yet: write a key.',
  respCommand: 'command',
  respNext: 'next byte',
  share: 'Share',
  shareTitle: 'Share this view',
  shareIntro: 'This link opens this scenario at this step, in this language and theme.',
  shareLink: 'Link to this view',
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Copy did not work: select the link and copy it.',
  qrLabel: 'QR code of the link',
  qrTooLong: 'This link is too long for a QR code: copy it instead.',
  shareFile:
    'This copy runs from a file: its link opens only on this computer. Share the online address, or the file itself.',
  exportImage: 'Export image',
  exportPng: 'Export image as PNG',
  exportSvg: 'Export image as SVG',
  exportFailed: 'The image could not be made.',
} as const;

type Dict = { readonly [K in keyof typeof en]: string };

const es: Dict = {
  title: 'Resync Lab',
  subtitle: 'Replicación en Redis: sincronización completa vs parcial',
  play: 'Reproducir',
  pause: 'Pausa',
  step: 'Paso',
  skip: 'Saltar al siguiente evento',
  reset: 'Reiniciar',
  speed: 'Velocidad',
  writeKey: 'Escribir clave',
  writeTemplate: 'Escritura por defecto',
  addReplica: 'Añadir réplica',
  removeReplica: 'Quitar',
  promote: 'Promover',
  restart: 'Reiniciar réplica',
  cut: 'Cortar red',
  restore: 'Restaurar red',
  stream: 'Stream',
  commands: 'Comandos',
  resp: 'Bytes RESP',
  theme: 'Tema',
  light: 'Claro',
  dark: 'Oscuro',
  projector: 'Proyector',
  serverVersion: 'Versión del servidor que imita el laboratorio',
  help: 'Atajos',
  scenario: 'Escenario',
  noScenario: 'Laboratorio libre (sin escenario)',
  nextStep: 'Siguiente paso',
  prevStep: 'Paso anterior',
  narration: 'Narración',
  stepNofM: 'Paso {n} de {m}',
  stageSet: 'Todo preparado. Pulsa Siguiente paso (o AvPág) para empezar.',
  lessonDone: 'Fin de la lección: vuelve a cualquier paso o sigue libremente desde aquí.',
  quoteFrom: 'log de {s}',
  writtenFor70:
    'Escrita para Redis 7.0: los números y las líneas de log que cita la narración son los de 7.0; el escenario y los logs muestran {v}.',
  openScenario: 'Abrir un fichero de escenario',
  openShort: 'Abrir…',
  timeline: 'Línea de tiempo',
  markStep: 'Paso {n}',
  markCut: '{s}: red cortada ({x})',
  markRestore: '{s}: vuelve la red ({x})',
  markRestart: '{s} se reinicia',
  markReplicaof: '{s}: REPLICAOF {x}',
  markCommand: '{s}> {x}',
  markPsync: '{s} pide PSYNC, el maestro responde {x}',
  markSynced: '{s} sincronizada de nuevo: {x}, {b} enviados',
  markFull: 'resincronización completa',
  markPartial: 'resincronización parcial',
  timelineKey:
    'Marcas: pasos, cortes y restauraciones, comandos, respuestas a PSYNC, resincronizaciones terminadas',
  presenterView: 'Vista del presentador',
  predictTitle: 'Primero, predice',
  liveMore: '(+{n} líneas de log más)',
  askResync: '{r} se reconecta: ¿resincronización parcial o completa?',
  askOffset: '¿Qué offset pedirá {r} en su PSYNC?',
  askBytes: '¿Cuántos bytes de backlog enviará el maestro a {r}?',
  partialWord: 'parcial',
  fullWord: 'completa',
  checkAnswer: 'Comprobar mi predicción',
  yourAnswer: 'Dijiste {g} · Redis: {a}',
  noAnswer: '(sin respuesta)',
  right: 'acierto',
  wrong: 'esta vez no',
  progressReset: 'Borrar mi progreso',
  done: 'hecho',
  scenarioError: 'Este escenario tiene un error',
  panelBug: 'Este panel ha tenido un fallo',
  panelRetry: 'Reintentar',
  linkProblem: 'Este enlace pide {param}={value}, que el laboratorio no conoce: muestra {shown}.',
  linkNoticeDismiss: 'Cerrar el aviso sobre el enlace',
  master: 'maestro',
  replica: 'réplica',
  offset: 'master_repl_offset',
  keyspace: 'Claves',
  noKeys: '(vacío)',
  link: 'Enlace',
  netDown: 'red cortada',
  backlog: 'Backlog de replicación',
  backlogHolds: 'guarda',
  backlogOf: 'de',
  backlogBlocks:
    'repl_backlog_histlen de repl-backlog-size. Redis 7 libera su búfer de replicación de bloque en bloque (20.440 bytes), así que el backlog puede guardar hasta un bloque más que repl-backlog-size.',
  absorbs: 'Aguanta una desconexión de',
  noWrites: 'sin escrituras ahora',
  countdown: 'sale del backlog en',
  overflowed: 'ha salido del backlog: la próxima sincronización será COMPLETA',
  missed: 'perdido',
  asked: 'pidió',
  why: '¿Por qué parcial o completa?',
  noPsync: 'Aún no hay PSYNC: la réplica lo pedirá al (re)conectar.',
  checkReplid: 'Mismo ID de replicación (o el anterior, hasta su offset)',
  checkBacklog: 'El maestro tiene backlog',
  checkRange: 'El offset pedido está dentro del backlog',
  passed: 'correcto',
  failed: 'falla',
  notChecked: 'no comprobado',
  reply: 'Respuesta',
  partial: 'sincronización parcial',
  full: 'sincronización completa',
  cost: 'Coste',
  sent: 'enviados',
  online: 'en línea tras',
  console: 'Consola',
  log: 'Log',
  info: 'INFO replication',
  keys: 'Atajos',
  close: 'Cerrar',
  wireTitle: 'Pulsa el cable para cortar o restaurar la red',
  wireVia: '⇠ réplica de {m}',
  wireRdbChannel: 'canal RDB',
  wireRdbChannelTitle:
    'Sincronización de doble canal: el RDB viaja por esta segunda conexión y las escrituras de mientras, por la principal',
  lineage: 'IDs de replicación a lo largo de los offsets',
  reproduce: 'Reproducir en Redis real',
  reproduceShort: 'Redis real (.sh)',
  reproduceTitle:
    'Descarga un script de shell que repite este escenario (o esta ejecución) con redis-server y redis-cli en tu máquina',
  twinCompare: 'Comparar: {a} / {b}',
  twinAnswer: '{r} PSYNC →',
  twinBytes: 'Bytes enviados',
  twinOnline: 'En línea tras',
  twinCaughtUp: 'Al día tras',
  twinNotYet: 'todavía no',
  twinNone: 'Todavía no hay resincronización en ninguna de las dos.',
  twinRdb: 'RDB {b}',
  twinBacklog: 'backlog {b}',
  lineageOld: 'master_replid2 {id}: la historia anterior, aceptada en un PSYNC hasta el offset {n}',
  lineageNow: 'master_replid {id}, hasta master_repl_offset {n}',
  rdb: 'Snapshot RDB',
  requested: 'pedido',
  replicaOf: 'réplica de',
  down: 'caído',
  outside: 'fuera del backlog',
  // --- panels that never lie, the two cuts, keyboard (issue 9) ---
  firstSync: 'primera sincronización',
  firstSyncOwnId:
    '{r} pidió con su propio ID de replicación: nunca se ha sincronizado con este maestro.',
  firstSyncNoId:
    '{r} no conoce ningún ID de replicación: nunca se ha sincronizado con este maestro.',
  expectedNo: 'no, como se esperaba',
  fullExpected: 'sincronización completa, como se esperaba',
  decisionEnded:
    'Una conexión anterior: el enlace de {r} cayó después de esta decisión. Su próximo PSYNC decide de nuevo.',
  overSize: 'Guarda {h}, más que repl-backlog-size {s}: Redis 7 libera bloques enteros.',
  leavesAfter: '{r} sale del backlog tras {b} escritos más',
  atThisRate: 'a este ritmo',
  stopNet: 'Parar la red de {r}',
  stopNetShort: 'Parar la red',
  resetConnShort: 'Reiniciar conexión',
  stopNetTitle:
    'Su interfaz de red se apaga, como con rc-service networking stop: nadie se entera, los paquetes se pierden; TCP los reenvía cuando vuelve.',
  resetConn: 'Reiniciar la conexión',
  resetConnTitle:
    'La conexión se reinicia: los dos extremos se enteran a la vez, y conectar se rechaza hasta restaurar la red.',
  netStopped: 'red parada: nadie se entera',
  netSilent: 'los paquetes se pierden: nadie se entera',
  netReset: 'conexión reiniciada',
  masterTimeoutIn: 'MASTER timeout en {t}',
  dropsIn: 'desconecta a {r} en {t}',
  timeoutTitle: 'repl-timeout es {n} s: sin recibir nada durante ese tiempo, este lado se rinde.',
  latest: 'última',
  showValue: 'Ver el valor entero',
  showAll: 'Ver todo ({n} caracteres)',
  showLess: 'Ver menos',
  noticeMax: 'Como máximo {n} réplicas.',
  noticeLab: 'Error del laboratorio: {text}',
  dismiss: 'Cerrar',
  resetAsk: '¿Reiniciar el laboratorio?',
  resetLose: 'Se pierde lo que hiciste desde la escena inicial ({n} sentencias).',
  resetLoseOne: 'Se pierde lo que hiciste desde la escena inicial (1 sentencia).',
  cancel: 'Cancelar',
  // Layout (issue 9, "fits any box"): the toolbar's overflow menu and the consoles dock.
  more: 'Más',
  moreControls: 'Más controles',
  skipShort: 'Saltar',
  docks: 'Consolas y logs',
  dockOpen: 'Abrir consolas y logs',
  dockExpand: 'Ampliar consolas y logs',
  dockClose: 'Volver al escenario',
  // --- issue 9, the wire tells the story (wire labels, retry cue, clock, skip notice) ---
  wireBacklog: 'backlog',
  wireFromOffset: 'desde el offset',
  wireMore: 'más',
  wireRetrying: 'reconectando',
  wireAttempt: 'intento',
  wireRetryTitle:
    'La réplica vuelve a intentar llegar a su maestro una vez por segundo (replicationCron).',
  clockLabel: 'Reloj simulado',
  clockTitle: 'Tiempo simulado, como lo imprimen los logs (UTC)',
  skipTo: 'Salto a',
  skipNone: 'ningún PSYNC, transferencia ni cambio de enlace',
  skipPsync: 'PSYNC',
  skipBgsaveStart: 'BGSAVE iniciado',
  skipBgsaveEnd: 'BGSAVE terminado',
  skipForReplication: 'para replicación',
  skipResynced: 'sincronizada de nuevo',
  skipLinkUp: 'enlace con el maestro activo',
  skipLinkDown: 'enlace con el maestro perdido',
  respTitle: 'Flujo de replicación en RESP',
  respOnWire: '(en el cable ahora)',
  respLast: '(lo último en el cable)',
  respEmpty: 'Aún no hay comandos en el cable: escribe una clave.',
  respCommand: 'comando',
  respNext: 'siguiente byte',
  share: 'Compartir',
  shareTitle: 'Compartir esta vista',
  shareIntro: 'Este enlace abre este escenario en este paso, con este idioma y este tema.',
  shareLink: 'Enlace a esta vista',
  copy: 'Copiar',
  copied: 'Copiado',
  copyFailed: 'No se pudo copiar: selecciona el enlace y cópialo.',
  qrLabel: 'Código QR del enlace',
  qrTooLong: 'Este enlace es demasiado largo para un código QR: cópialo.',
  shareFile:
    'Esta copia se abre desde un archivo: su enlace solo funciona en este ordenador. Comparte la dirección en línea, o el propio archivo.',
  exportImage: 'Exportar imagen',
  exportPng: 'Exportar imagen como PNG',
  exportSvg: 'Exportar imagen como SVG',
  exportFailed: 'No se pudo crear la imagen.',
};

export type TKey = keyof typeof en;
const DICTS: Record<Lang, Dict> = { en, es };

const LINK: Record<Lang, Record<LinkState, string>> = {
  en: {
    connecting: 'connecting',
    handshake: 'handshake',
    wait_bgsave: 'waiting for BGSAVE',
    receiving: 'receiving RDB',
    loading: 'loading',
    online: 'online',
    down: 'down',
  },
  es: {
    connecting: 'conectando',
    handshake: 'handshake',
    wait_bgsave: 'esperando BGSAVE',
    receiving: 'recibiendo RDB',
    loading: 'cargando',
    online: 'en línea',
    down: 'caído',
  },
};

/** A text in a language, for what is drawn outside the lab's store (a panel's error boundary). */
export function translate(lang: Lang, k: TKey): string {
  return DICTS[lang][k];
}

export function useT(): { t: (k: TKey) => string; link: (l: LinkState) => string; lang: Lang } {
  const lang = useLab((s) => s.lang);
  const d = DICTS[lang];
  return { t: (k) => d[k], link: (l) => LINK[lang][l], lang };
}

/** A translated template with its `{name}` placeholders filled in (values are plain text). */
export function fill(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

const short = (id: string): string => (/^[0-9a-f]{40}$/.test(id) ? `${id.slice(0, 8)}…` : id);

/** A PSYNC check's reason in the UI's language, with the numbers from the engine. */
export function checkDetail(r: PsyncReason, lang: Lang): string {
  const es = lang === 'es';
  switch (r.k) {
    case 'no-replid':
      return es
        ? 'La réplica no conoce ningún ID de replicación (PSYNC ? -1): pide una sincronización completa.'
        : 'The replica knows no replication ID (PSYNC ? -1): it asked for a full resync.';
    case 'replid-mismatch':
      return es
        ? `El ID ${short(r.replid)} no es master_replid (${short(r.id1)}) ni master_replid2 (${short(r.id2)}).`
        : `Replication ID ${short(r.replid)} is neither master_replid (${short(r.id1)}) nor master_replid2 (${short(r.id2)}).`;
    case 'replid2-too-far':
      return es
        ? `El ID es master_replid2, pero el offset ${r.offset} pasa de second_repl_offset ${r.second}.`
        : `Replication ID is master_replid2, but offset ${r.offset} is past second_repl_offset ${r.second}.`;
    case 'replid-match':
      return es ? 'El ID coincide con master_replid.' : 'Replication ID matches master_replid.';
    case 'replid2-match':
      return es
        ? `El ID coincide con master_replid2 y ${r.offset} ≤ second_repl_offset ${r.second}.`
        : `Replication ID matches master_replid2 and ${r.offset} ≤ second_repl_offset ${r.second}.`;
    case 'backlog':
      return r.exists
        ? es
          ? 'El maestro tiene backlog.'
          : 'The master has a backlog.'
        : es
          ? 'El maestro no tiene backlog.'
          : 'The master has no backlog.';
    case 'in-range':
      return es
        ? `El offset ${r.offset} está en el backlog [${r.first}, ${r.last}].`
        : `Offset ${r.offset} lies in the backlog [${r.first}, ${r.last}].`;
    case 'before-backlog':
      return es
        ? `El offset ${r.offset} se salió del backlog, que empieza en ${r.first}.`
        : `Offset ${r.offset} fell out of the backlog, which starts at ${r.first}.`;
    case 'after-backlog':
      return es
        ? `El offset ${r.offset} pasa del final del backlog, ${r.last}.`
        : `Offset ${r.offset} is past the backlog's end ${r.last}.`;
  }
}
