/** The little of reveal.js's API the example deck uses (the package ships no types). */
declare module 'reveal.js' {
  const Reveal: {
    initialize(config: Record<string, unknown>): Promise<void>;
  };
  export default Reveal;
}
declare module 'reveal.js/plugin/notes/notes.esm.js' {
  const RevealNotes: () => { id: string };
  export default RevealNotes;
}
