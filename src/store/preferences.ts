/** The preferences slice: how the lab is shown, never what it simulates. */
import type { Lang, Theme } from './types';
import type { PreferencesSlice, Slice } from './state';

export const createPreferencesSlice =
  (opts: { lang?: Lang; theme?: Theme }): Slice<PreferencesSlice> =>
  (set) => ({
    streamView: 'commands',
    lang: opts.lang ?? 'en',
    theme: opts.theme ?? 'light',
    helpOpen: false,
    confirmReset: false,
    setStreamView: (v) => set({ streamView: v }),
    // A notice was worded in the old language: it goes.
    setLang: (l) => set({ lang: l, notice: null }),
    setTheme: (t) => set({ theme: t }),
    setHelpOpen: (open) => set({ helpOpen: open }),
    setConfirmReset: (open) => set({ confirmReset: open }),
  });
