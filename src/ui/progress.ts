/**
 * A student's progress (predictions and finished lessons) kept in this browser (localStorage),
 * restored when the lab opens. Anything unreadable there is ignored, never trusted.
 */
import { useEffect } from 'react';
import { useLabStore } from '../store';
import type { SavedProgress } from '../store/state';

const KEY = 'resync-lab-progress';

function isRecordOf<T>(v: unknown, item: (x: unknown) => x is T): v is Record<string, T> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(item);
}
const isString = (x: unknown): x is string => typeof x === 'string';
const isAnswers = (x: unknown): x is Record<string, string> => isRecordOf(x, isString);

/** Parses what localStorage holds; null when it is missing or not ours. */
export function readProgress(text: string | null): SavedProgress | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null) return null;
    const { answers, finished } = v as Record<string, unknown>;
    if (!isRecordOf(answers, isAnswers)) return null;
    if (!Array.isArray(finished) || !finished.every(isString)) return null;
    return { answers, finished };
  } catch {
    return null;
  }
}

export function useProgress(): void {
  const store = useLabStore();
  useEffect(() => {
    let storage: Storage | null = null;
    try {
      storage = window.localStorage;
    } catch {
      return; // storage refused (a sandboxed iframe): progress lasts as long as the page
    }
    const saved = readProgress(storage.getItem(KEY));
    if (saved) store.getState().restoreProgress(saved);
    return store.subscribe((s, prev) => {
      if (s.answers === prev.answers && s.finishedLessons === prev.finishedLessons) return;
      try {
        storage?.setItem(KEY, JSON.stringify(s.progress()));
      } catch {
        // full or refused: nothing to do
      }
    });
  }, [store]);
}
