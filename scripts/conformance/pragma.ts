/**
 * Header comment lines that tell the conformance runner about a lab script (the lab itself
 * ignores them, as any comment):
 * - `# conformance: kernel`: run it on the kernel runner (kernel.ts) even if no statement needs it.
 * - `# conformance: known-disagreement REASON`: the engine is known not to model what the script
 *   shows yet: it runs, its first difference is printed, and it does not fail the run.
 */

/** Whether the script asks for the kernel runner. */
export function asksForKernel(text: string): boolean {
  return /^\s*#\s*conformance:\s*kernel\s*$/im.test(text);
}

/** The REASON of a `# conformance: known-disagreement REASON` line, or null. */
export function knownDisagreement(text: string): string | null {
  const m = /^\s*#\s*conformance:\s*known-disagreement\b[\s:—-]*(.*)$/im.exec(text);
  return m ? m[1]!.trim() || 'no reason given' : null;
}
