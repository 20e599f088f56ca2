/**
 * The keyboard: shortcuts for the whole lab, and focus that goes back where they work. A button
 * clicked with the pointer or a dropdown used hands focus back to the lab's root, so Space then
 * pauses instead of pressing that button again; a control reached with the keyboard keeps it.
 */
import { useEffect, type RefObject } from 'react';
import { useLabStore } from '../store';
import type { Theme } from '../store';

const THEMES: readonly Theme[] = ['light', 'dark', 'projector'];

function isEditable(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName);
}

/** Keys that move through a focused dropdown (each may change it): focus stays there. */
const SELECT_KEYS = /^(Arrow|Page|Home$|End$)/;

/**
 * Keys a reveal.js deck answers to: navigation (handed back to it when the lab is embedded) and
 * its own commands (pause, fullscreen, speaker view, overview, jump), which an embed never binds.
 */
const DECK_KEYS = new Set([
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  'PageUp',
  'PageDown',
  'Home',
  'End',
  ' ',
  'n',
  'p',
  'h',
  'j',
  'k',
  'l',
  '.',
  'b',
  'B',
  'f',
  'F',
  's',
  'S',
  'o',
  'O',
  'g',
  'G',
  'Escape',
]);

/**
 * The lab's shortcuts. Embedded (`embed`), the lab binds none of them: the keys a deck answers to
 * go to the host page instead (`onDeckKey`), unless the user is typing in a console.
 */
export function useShortcuts(
  root: RefObject<HTMLElement | null>,
  embed: { onDeckKey: (e: KeyboardEvent) => void } | null = null,
): void {
  const store = useLabStore();
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    // Focusable from script (where shortcuts work), never a Tab stop.
    if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
    const home = () => el.focus({ preventScroll: true });

    const onClick = (e: MouseEvent) => {
      // detail 0: activated from the keyboard, whose user keeps the focus where it is.
      if (e.detail === 0 || !(e.target instanceof Element)) return;
      const control = e.target.closest('button, [role="button"], [role="tab"]');
      if (!control || !el.contains(control)) return;
      if (control.closest('dialog, [role="dialog"], [role="alertdialog"]')) return;
      home();
    };
    let selectKeyAt = -Infinity;
    const onSelectKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLSelectElement && SELECT_KEYS.test(e.key))
        selectKeyAt = performance.now();
    };
    const onChange = (e: Event) => {
      if (!(e.target instanceof HTMLSelectElement)) return;
      // Chosen with the pointer (or by a script): done with the dropdown.
      if (performance.now() - selectKeyAt > 500) home();
    };

    const onKey = (e: KeyboardEvent) => {
      // (A key a control handled itself: ← → in the player's toolbar move between its buttons.)
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
      if (embed) {
        // Space on a button reached with the keyboard presses it, as on any page (a clicked one
        // hands the focus back to the root, so Space goes on to the deck).
        const onButton =
          e.target instanceof HTMLButtonElement ||
          (e.target instanceof HTMLElement && e.target.getAttribute('role') === 'button');
        if (DECK_KEYS.has(e.key) && !(e.key === ' ' && onButton)) {
          e.preventDefault();
          embed.onDeckKey(e);
        }
        return;
      }
      const active = document.activeElement;
      // A native dialog (Share) has the keys: Escape closes it, letters are not shortcuts.
      if (active?.closest('dialog[open]')) return;
      if (active && active !== document.body && !el.contains(active)) return;
      const s = store.getState();
      let handled = true;
      if (s.confirmReset) {
        // The "Reset the lab?" question is open: r again resets, Escape keeps the work.
        if (e.key === 'r') s.reset();
        else if (e.key === 'Escape' || e.key === 'n') s.setConfirmReset(false);
        else handled = false;
        if (handled) {
          e.preventDefault();
          home();
        }
        return;
      }
      const replicas = s.servers.filter((x) => x.name !== s.mainMaster);
      switch (e.key) {
        case ' ':
          if (
            active instanceof HTMLButtonElement ||
            (active instanceof HTMLElement && active.getAttribute('role') === 'button')
          ) {
            handled = false;
            break;
          }
          s.togglePlay();
          break;
        case 's':
          s.step();
          break;
        case 'n':
          s.skipToNext();
          break;
        case 'w':
          s.writeKey();
          break;
        case 'r':
          // Work since the opening scene would be thrown away: ask first.
          if (s.history.length > s.sceneStatements) s.setConfirmReset(true);
          else s.reset();
          break;
        case 'a':
          s.addReplica();
          break;
        case '+':
        case '=':
          s.faster();
          break;
        case '-':
          s.slower();
          break;
        case 't':
          s.setTheme(THEMES[(THEMES.indexOf(s.theme) + 1) % THEMES.length] ?? 'light');
          break;
        case 'l':
          s.setLang(s.lang === 'en' ? 'es' : 'en');
          break;
        case '?':
          s.setHelpOpen(!s.helpOpen);
          break;
        case 'Escape':
          if (s.helpOpen) s.setHelpOpen(false);
          else handled = false;
          break;
        // A presenter's clicker: PageDown / PageUp (and the arrows) walk a lesson's steps.
        case 'PageDown':
        case 'ArrowRight':
          if (s.lesson) s.nextStep();
          else handled = false;
          break;
        case 'PageUp':
        case 'ArrowLeft':
          if (s.lesson) s.prevStep();
          else handled = false;
          break;
        case '1':
        case '2':
        case '3': {
          const r = replicas[Number(e.key) - 1];
          if (r) s.toggleNetwork(r.name);
          break;
        }
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    el.addEventListener('click', onClick);
    el.addEventListener('keydown', onSelectKey, true);
    el.addEventListener('change', onChange);
    window.addEventListener('keydown', onKey);
    return () => {
      el.removeEventListener('click', onClick);
      el.removeEventListener('keydown', onSelectKey, true);
      el.removeEventListener('change', onChange);
      window.removeEventListener('keydown', onKey);
    };
  }, [store, root, embed]);
}
