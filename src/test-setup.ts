/**
 * Vitest setup: every built-in lesson's text is loaded before a test file runs, so opening a
 * lesson in a test is as immediate as it is in the app once the lesson has been fetched.
 */
import { loadAllLessons } from './lessons';

await loadAllLessons();
