// Fewer fast-check runs per property while mutation testing (each mutant reruns the properties
// that cover it); the seeds still vary from run to run.
import fc from 'fast-check';

fc.configureGlobal({ numRuns: Number(process.env.STRYKER_NUM_RUNS ?? 25) });
