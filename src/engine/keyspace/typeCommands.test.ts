import { describe, expect, test } from 'vitest';
import { LESSON_CATALOG, lessonText } from '../../lessons';
import { parseScenario } from '../../lab/scenario';
import { commandReady, lookupCommand, onDemandCommands } from './commandTable';
import { TYPE_COMMAND_NAMES } from './typeCommands';

describe('the commands whose code loads on demand', () => {
  test('the table and typeCommands.ts name the same ones, each once', () => {
    expect([...TYPE_COMMAND_NAMES].sort()).toEqual([...onDemandCommands()].sort());
    expect(new Set(TYPE_COMMAND_NAMES).size).toBe(TYPE_COMMAND_NAMES.length);
    for (const name of onDemandCommands()) {
      expect(lookupCommand(name), name).toBeDefined();
      // The test setup installed them, as every Node entry point does.
      expect(commandReady(name), name).toBe(true);
    }
  });

  test('are sets, sorted sets, streams and EVAL', () => {
    for (const name of ['sadd', 'smembers', 'zadd', 'zrange', 'xadd', 'xrange', 'eval'])
      expect(onDemandCommands(), name).toContain(name);
    for (const name of ['set', 'get', 'hset', 'hgetall', 'rpush', 'lrange', 'publish', 'del'])
      expect(onDemandCommands(), name).not.toContain(name);
  });

  test("no built-in lesson runs one, so a lesson's first screen never waits for their code", () => {
    for (const { id } of LESSON_CATALOG) {
      const sc = parseScenario(lessonText(id)!);
      const statements = [...sc.setup, ...sc.steps.flatMap((s) => s.statements)];
      for (const st of statements)
        if (st.kind === 'command')
          expect(onDemandCommands(), `${id}: ${st.argv.join(' ')}`).not.toContain(
            st.argv[0]!.toLowerCase(),
          );
    }
  });

  test("an unknown name is ready: it gets Redis's unknown-command error, not a wait", () => {
    expect(commandReady('NOSUCHCOMMAND')).toBe(true);
  });
});
