/** The example deck (index.html here): reveal.js, its speaker notes, and the Resync Lab plugin. */
import Reveal from 'reveal.js';
import RevealNotes from 'reveal.js/plugin/notes/notes.esm.js';
import 'reveal.js/dist/reveal.css';
import 'reveal.js/dist/theme/white.css';
import ResyncLab from '../embed/reveal';
import './deck.css';

// The lab's plugin first: it puts each step's notes on its fragment before the notes plugin reads.
void Reveal.initialize({ hash: true, plugins: [ResyncLab, RevealNotes] });
