import { readdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { installOnDemandCode } from '../src/engine/dialect';
import { replicationFields } from '../src/engine/info';
import * as onDemand from '../src/engine/onDemand';
import { Lab } from '../src/lab/run';
import { compareTwin, runScenario } from '../src/lab/headless';
import { parseScenario, type Scenario } from '../src/lab/scenario';
import { formatBytes, formatDurationMs } from '../src/store/format';
import { inMore, pause, play, simNow } from './controls';

// The headless runs below need the code the browser loads on demand (Valkey's log wording).
installOnDemandCode(onDemand);

/**
 * Lessons through the UI only (issue 10): the seed's partial-resync walked step by step in
 * Spanish and English, Back, the clicker's keys, and a scenario file with a mistake. The numbers
 * on screen are checked against the same scenario file run headless (runScenario).
 */

const SLOW = { timeout: 45_000 };
const FILE = new URL('../src/lessons/partial-resync.lab', import.meta.url);
const scenario: Scenario = parseScenario(readFileSync(FILE, 'utf8'));

/** The engine run headless up to the end of step `n`: offsets and logs. */
function headless(n: number) {
  const cut: Scenario = { ...scenario, steps: scenario.steps.slice(0, n) };
  const { lab } = runScenario(cut, { seed: 1 });
  const offsetOf = (name: string) => {
    const fields = new Map(replicationFields(lab.sim.state, lab.sim.server(name)));
    return Number(fields.get('master_repl_offset'));
  };
  return {
    master: offsetOf('master'),
    replica1: offsetOf('replica1'),
    masterLog: lab.sim.server('master').log,
  };
}

/** The engine's offset behind a card (the counter may still be counting up to it). */
async function offset(page: Page, server: string): Promise<number> {
  return Number(await page.getByLabel(`${server} master_repl_offset`).getAttribute('data-offset'));
}

/** Waits until the step being played has finished (the player pauses by itself). */
async function stepDone(page: Page, play: string): Promise<void> {
  await expect(page.getByRole('button', { name: play, exact: true })).toBeVisible(SLOW);
}

test('partial-resync in Spanish, step by step: the numbers of the headless run, and Back', async ({
  page,
}) => {
  test.slow();
  await page.goto('/?scenario=partial-resync&lang=es&speed=10');
  const narration = page.getByRole('region', { name: 'Narración' });
  await expect(narration).toBeVisible();
  await expect(narration.getByTestId('lesson-pos')).toHaveText('Paso 0 de 5');
  const next = page.getByRole('button', { name: 'Siguiente paso' });
  for (let k = 1; k <= 5; k++) {
    await next.click();
    if (k === 5) {
      // Before the reconnection the lesson asks: partial or full, which offset, how many bytes.
      const form = page.getByTestId('predict');
      await expect(form).toBeVisible();
      await expect(narration.getByTestId('lesson-pos')).toHaveText('Paso 4 de 5');
      await form.getByRole('button', { name: 'parcial' }).click();
      await form
        .getByRole('textbox', { name: '¿Qué offset pedirá replica1 en su PSYNC?' })
        .fill('153');
      await form
        .getByRole('textbox', { name: '¿Cuántos bytes de backlog enviará el maestro a replica1?' })
        .fill('180');
      await form.getByRole('button', { name: 'Comprobar mi predicción' }).click();
    }
    // The step has started (its number shows with the player running) before its end is awaited:
    // right after the click, the Play button of the step before is still on screen for a frame.
    await expect(narration.getByTestId('lesson-pos')).toHaveText(`Paso ${k} de 5`);
    await stepDone(page, 'Reproducir');
    await expect(narration.getByTestId('lesson-say')).toHaveText(
      scenario.steps[k - 1]?.say.es ?? '',
    );
    const h = headless(k);
    expect(await offset(page, 'master'), `master at step ${k}`).toBe(h.master);
    expect(await offset(page, 'replica1'), `replica1 at step ${k}`).toBe(h.replica1);
    // A finished step is paused: the number on the card is the engine's, not a count-up.
    for (const s of ['master', 'replica1'])
      await expect(page.getByLabel(`${s} master_repl_offset`)).toHaveText(
        String(k === 0 ? 0 : await offset(page, s)),
      );
  }
  // The decisive moment: +CONTINUE, and the bytes the headless run's master logged.
  const line = headless(5).masterLog.find((l) => l.includes('Sending'));
  expect(line).toContain('Sending 183 bytes of backlog starting from offset 153.');
  await expect(page.getByTestId('psync-reply')).toContainText('+CONTINUE');
  await expect(page.getByTestId('log-master')).toContainText(
    'Sending 183 bytes of backlog starting from offset 153.',
  );
  await expect(narration.locator('.rl-quote')).toHaveCount(2);
  // The run reveals the answers: two right, the bytes wrong (183, not 180).
  const results = page.getByTestId('predict-results').locator('li');
  await expect(results).toHaveCount(3);
  await expect(results.nth(0)).toContainText('Dijiste parcial · Redis: parcial — ✔');
  await expect(results.nth(1)).toContainText('Dijiste 153 · Redis: 153 — ✔');
  await expect(results.nth(2)).toContainText('Dijiste 180 · Redis: 183 — ✘');
  await expect(page).toHaveURL(/[?&]scenario=partial-resync&.*\bstep=5\b/);
  // The browser's Back: step 4 again, exactly: the cut has outlasted repl-timeout, 183 missing.
  await page.goBack();
  await expect(narration.getByTestId('lesson-pos')).toHaveText('Paso 4 de 5');
  const h4 = headless(4);
  await expect.poll(() => offset(page, 'replica1')).toBe(h4.replica1);
  expect(await offset(page, 'master')).toBe(h4.master);
  expect(h4.master - h4.replica1).toBe(183);
  await expect(page.getByTestId('log-master')).not.toContainText('Sending 183 bytes');
});

test('English from the URL, the clicker keys, and a scenario with a mistake', async ({ page }) => {
  await page.goto('/?scenario=partial-resync&step=5&lang=en');
  const narration = page.getByRole('region', { name: 'Narration' });
  await expect(narration.getByTestId('lesson-pos')).toHaveText('Step 5 of 5');
  await expect(narration.getByTestId('lesson-say')).toContainText('183');
  // PageUp goes back a step (the lab has the focus), PageDown forward again.
  await page.locator('.rl-root').focus();
  await page.keyboard.press('PageUp');
  await expect(narration.getByTestId('lesson-pos')).toHaveText('Step 4 of 5');
  // Step 5 asks for predictions first; a second PageDown runs it unanswered.
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('predict')).toBeVisible();
  await page.locator('.rl-root').focus();
  await page.keyboard.press('PageDown');
  await expect(narration.getByTestId('lesson-pos')).toHaveText('Step 5 of 5');
  // A teacher's file with a mistake: its line and column, and the lesson stays as it was.
  await page.locator('input[type="file"]').setInputFiles({
    name: 'mine.lab',
    mimeType: 'text/plain',
    buffer: Buffer.from(
      'scenario mine\ntitle en "Mine"\ntitle es "Mío"\nstep\nsay en "<img src=x onerror=alert(1)>"\nsay es b\nnet ghost stop\n',
    ),
  });
  await expect(page.getByTestId('lesson-error')).toContainText(
    "line 7, column 5: unknown server 'ghost'",
  );
  await expect(narration.getByTestId('lesson-pos')).toHaveText('Step 5 of 5');
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('partial-resync');
  // A correct one opens, and its narration is text, never markup.
  await page.locator('input[type="file"]').setInputFiles({
    name: 'mine.lab',
    mimeType: 'text/plain',
    buffer: Buffer.from(
      'scenario mine\ntitle en "Mine"\ntitle es "Mío"\nserver m 10.0.0.1:6379\nstep\nsay en "<img src=x onerror=alert(1)>"\nsay es b\nm SET a 1\n',
    ),
  });
  await expect(page.getByTestId('lesson-error')).toHaveCount(0);
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(narration.getByTestId('lesson-say')).toHaveText('<img src=x onerror=alert(1)>');
  await expect(page.locator('.rl-root img')).toHaveCount(0);
});

/**
 * Every server's master_repl_offset at simulated time `t` of a lesson played step after step
 * (the app pauses between steps, so its clock is the headless one): the stage and the steps'
 * lines applied in order, the wait that crosses `t` cut short there.
 */
function offsetsAt(sc: Scenario, t: number): Record<string, number> {
  const lab = new Lab({ seed: 1 });
  const now = () => (lab.started ? lab.sim.now : 0);
  for (const st of [...sc.setup, ...sc.steps.flatMap((x) => x.statements)]) {
    if (now() > t) break;
    if (st.kind === 'wait' && now() + st.ms > t) {
      lab.apply({ ...st, ms: t - now() });
      break;
    }
    lab.apply(st);
  }
  if (now() < t) lab.sim.advance(t - now());
  return Object.fromEntries(
    lab.sim.serverNames().map((name) => {
      const fields = new Map(replicationFields(lab.sim.state, lab.sim.server(name)));
      return [name, Number(fields.get('master_repl_offset'))];
    }),
  );
}

/** Every built-in lesson, in both languages: each step's offsets on every card equal the headless run's. */
const LESSONS = readdirSync(new URL('../src/lessons/', import.meta.url))
  .filter((f) => f.endsWith('.lab'))
  .map((f) => f.replace(/\.lab$/, ''));

for (const id of LESSONS) {
  test(`lesson ${id} plays to the end in English and Spanish, with the headless run's numbers`, async ({
    page,
  }) => {
    test.slow();
    const sc = parseScenario(
      readFileSync(new URL(`../src/lessons/${id}.lab`, import.meta.url), 'utf8'),
    );
    const total = sc.steps.length;
    for (const [lang, name, pos, nextName, say] of [
      ['en', 'Narration', 'Step', 'Next step', 'en'],
      ['es', 'Narración', 'Paso', 'Siguiente paso', 'es'],
    ] as const) {
      await page.goto(`/?scenario=${id}&lang=${lang}&speed=10`);
      const narration = page.getByRole('region', { name });
      await expect(narration.getByTestId('lesson-pos')).toHaveText(
        `${pos} 0 ${lang === 'en' ? 'of' : 'de'} ${total}`,
      );
      const next = page.getByRole('button', { name: nextName });
      for (let k = 1; k <= total; k++) {
        await next.click();
        // A step that asks for predictions first: Next again runs it unanswered. Wait for one or
        // the other (the form may render a moment after the click on a loaded machine).
        const stepText = `${pos} ${k} ${lang === 'en' ? 'of' : 'de'} ${total}`;
        const predict = page.getByTestId('predict');
        await predict
          .or(narration.getByTestId('lesson-pos').filter({ hasText: stepText }))
          .first()
          .waitFor(SLOW);
        if (await predict.isVisible()) {
          await next.click();
          // The step shown as begun first: the views hear the store at the next frame, and the
          // running flag read before then is the one from before the click (a Next pressed
          // while the step still runs would finish it, not begin the next one).
          await expect(narration.getByTestId('lesson-pos')).toHaveText(stepText, SLOW);
        }
        // The step plays its waits as time, then stops by itself.
        await expect(page.getByTestId('lesson')).toHaveAttribute('data-running', 'false', SLOW);
        await expect(narration.getByTestId('lesson-pos')).toHaveText(
          `${pos} ${k} ${lang === 'en' ? 'of' : 'de'} ${total}`,
        );
        await expect(narration.getByTestId('lesson-say')).toHaveText(
          sc.steps[k - 1]?.say[say] ?? '',
        );
      }
      // Finish the last step, then compare every server with the headless run.
      await expect(page).toHaveURL(new RegExp(`[?&]step=${total}\\b`), SLOW);
      const { lab } = runScenario(sc, { seed: 1 });
      for (const server of lab.sim.serverNames()) {
        const fields = new Map(replicationFields(lab.sim.state, lab.sim.server(server)));
        await expect
          .poll(() => offset(page, server), { message: `${id} ${lang}: ${server}` })
          .toBe(Number(fields.get('master_repl_offset')));
      }
      await expect(page.getByTestId('lesson-error')).toHaveCount(0);
      if (lang === 'es') continue;
      // Scrubbing: back to the middle of each step, last to first, then forward into step 1's
      // end: every card shows the headless run's offsets at that moment.
      const timeline = page.getByRole('slider', { name: 'Timeline' });
      const ends = runScenario(sc, { seed: 1 }).stepEnds;
      const starts = [ends[0]! - 1, ...ends.slice(0, -1)];
      const middles = ends.map((e, i) => Math.round((starts[i]! + e) / 200) * 100).reverse();
      for (const t of [...middles, Math.floor(ends[0]! / 100) * 100]) {
        await timeline.fill(String(t));
        const want = offsetsAt(sc, t);
        for (const [server, value] of Object.entries(want))
          await expect
            .poll(() => offset(page, server), { message: `${id} at ${t} ms: ${server}` })
            .toBe(value);
      }
    }
  });
}

test('the presenter view follows the lab and drives it (speaker notes, Next)', async ({
  page,
  context,
}) => {
  await page.goto('/?scenario=partial-resync&step=2&lang=en&speed=10');
  await expect(page.getByTestId('lesson-pos')).toHaveText('Step 2 of 5');
  const presenter = await context.newPage();
  await presenter.goto('/?presenter=1&lang=en');
  await expect(presenter.getByTestId('presenter-pos')).toHaveText('Step 2 of 5');
  // From the presenter's window: Next runs step 3 in the lab; its speaker notes follow.
  await presenter.getByRole('button', { name: 'Next step ▶' }).click();
  await expect(page.getByTestId('lesson-pos')).toHaveText('Step 3 of 5');
  await expect(presenter.getByTestId('presenter-notes')).toHaveText(
    scenario.steps[2]?.notes.en ?? '',
  );
  // And the other way: the lab goes back, the presenter view follows.
  await page.getByRole('button', { name: 'Previous step' }).click();
  await expect(presenter.getByTestId('presenter-pos')).toHaveText('Step 2 of 5');
});

test('the timeline scrubs back to the cut and forward again, exactly', async ({ page }) => {
  await page.goto('/?scenario=partial-resync&step=5&lang=en');
  await expect(page.getByTestId('log-master')).toContainText('Sending 183 bytes');
  const timeline = page.getByRole('slider', { name: 'Timeline' });
  const end = Number(await timeline.getAttribute('max'));
  // Back to a moment during the cut (step 4 ran from its start for 62 s): 183 bytes missing.
  const h4 = headless(4);
  expect(h4.master - h4.replica1).toBe(183);
  // Half a second before step 4 ended (nothing moves then: both ends have timed out).
  const stepEnds = runScenario(scenario, { seed: 1 }).stepEnds;
  await timeline.fill(String(Math.round((stepEnds[3] ?? 0) - 500)));
  expect(end).toBe(Math.round(stepEnds[4] ?? 0));
  await expect(page.getByTestId('log-master')).not.toContainText('Sending 183 bytes');
  await expect.poll(() => offset(page, 'replica1')).toBe(h4.replica1);
  expect(await offset(page, 'master')).toBe(h4.master);
  await expect(page.getByTestId('lesson-pos')).toHaveText('Step 4 of 5');
  // Forward to the end: the partial resync is back.
  await timeline.fill(String(end));
  await expect(page.getByTestId('log-master')).toContainText('Sending 183 bytes');
  await expect.poll(() => offset(page, 'replica1')).toBe(headless(5).replica1);
});

test('a command mark, drawn on the timeline: the pointer names it and a click goes back to it', async ({
  page,
}) => {
  await page.goto('/?lang=en');
  await pause(page);
  const box = page.getByRole('textbox', { name: 'master console' });
  for (const line of ['wait 20s', 'SET first 1', 'wait 20s', 'SET second 2', 'wait 20s']) {
    await box.fill(line);
    await box.press('Enter');
    await expect(box).toHaveValue('');
  }
  // The two writes, as the canvas draws them (its fallback content: their times and words).
  const commands = page.locator('.rl-timeline-commands [data-at]');
  await expect(commands).toHaveCount(2);
  const ats = await commands.evaluateAll((els) =>
    els.map((e) => Number(e.getAttribute('data-at'))),
  );
  // (20 s apart, and the millisecond the first write took.)
  expect(ats[1]! - ats[0]!).toBe(20_001);
  const max = Number(await page.getByRole('slider', { name: 'Timeline' }).getAttribute('max'));
  const strip = (await page.locator('.rl-timeline-commands').boundingBox())!;
  const x = (at: number) => strip.x + (at / max) * strip.width;
  const y = strip.y + strip.height / 2;
  const events = page.locator('.rl-timeline-events');
  // 3 px beside each mark, the tooltip names it; 10 px away from both, it names none.
  await page.mouse.move(x(ats[1]!) - 3, y);
  await expect(events).toHaveAttribute('title', / · master> SET second 2$/);
  await page.mouse.move(x(ats[0]!) + 3, y);
  await expect(events).toHaveAttribute('title', / · master> SET first 1$/);
  await page.mouse.move(x(ats[0]!) + 10, y);
  await expect(events).not.toHaveAttribute('title', /SET/);
  // A click on the first one: the lab back at that write (done a millisecond after its mark).
  await page.mouse.click(x(ats[0]!), y);
  await expect.poll(() => simNow(page)).toBeLessThanOrEqual(ats[0]! + 2);
  expect(await simNow(page)).toBeGreaterThanOrEqual(ats[0]! - 1);
  // The slider names the mark it went to, as after a jump with the keyboard.
  await expect(page.getByRole('slider', { name: 'Timeline' })).toHaveAttribute(
    'aria-valuetext',
    / · master> SET first 1$/,
  );
});

test("a teacher's own scenario travels whole in the link; a damaged link says so", async ({
  page,
  context,
}) => {
  await page.goto('/?lang=en');
  await page.locator('input[type="file"]').setInputFiles({
    name: 'mine.lab',
    mimeType: 'text/plain',
    buffer: Buffer.from(
      'scenario mine\ntitle en "My lesson"\ntitle es "Mi lección"\nserver m 10.0.0.1:6379\nstep\nsay en "First: a write."\nsay es "Primero: una escritura."\nm SET a 1\nstep\nsay en "Second: another."\nsay es "Segundo: otra."\nm SET b 2\n',
    ),
  });
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page.getByTestId('lesson-pos')).toHaveText('Step 1 of 2');
  await expect(page).toHaveURL(/[?&]lab=/);
  // The same address in another tab: the same lesson, at the same step.
  const other = await context.newPage();
  await other.goto(page.url());
  await expect(other.getByTestId('lesson-pos')).toHaveText('Step 1 of 2');
  await expect(other.getByTestId('lesson-say')).toHaveText('First: a write.');
  await expect(other.getByRole('combobox', { name: 'Scenario' })).toHaveValue('mine');
  // Cut short: a clear error, and the lab still works.
  const cut = page.url().replace(/lab=[^&]*/, (m) => m.slice(0, 12));
  await other.goto(cut);
  await expect(other.getByTestId('lesson-error')).toContainText(
    "this link's scenario cannot be read",
  );
  await other.getByRole('button', { name: 'Write key' }).click();
  await expect(other.getByTestId('server-master')).toContainText('key:1');
});

test('failover: the promoted replica moves to the left, and the ID lineage shows why 182 is refused', async ({
  page,
}) => {
  const failover = parseScenario(
    readFileSync(new URL('../src/lessons/failover.lab', import.meta.url), 'utf8'),
  );
  // Headless, to the end of step 5: what the old master will ask for, and where replica1 switched.
  const { lab } = runScenario({ ...failover, steps: failover.steps.slice(0, 5) }, { seed: 1 });
  const field = (server: string, name: string) =>
    Number(new Map(replicationFields(lab.sim.state, lab.sim.server(server))).get(name));
  const switchedAt = field('replica1', 'second_repl_offset');
  const asks = field('master', 'master_repl_offset') + 1;
  expect(asks).toBeGreaterThan(switchedAt);

  await page.goto('/?scenario=failover&step=6&lang=en');
  await expect(page.getByTestId('lesson-pos')).toHaveText('Step 6 of 6');
  await expect(page.getByTestId('log-master')).toContainText('Full resync from master', SLOW);
  // replica1 is the master now: drawn on the left, the others wired to it.
  await expect(page.locator('.rl-stage-master')).toContainText('replica1');
  await expect(page.getByTestId('wire-master')).toBeVisible();
  const lineage = page.getByTestId('lineage');
  await expect(lineage.locator('[data-server="replica1"]')).toContainText(`≤ ${switchedAt}`);
  await expect(page.getByTestId('lineage-ask')).toHaveText(`✘ master ${asks}`);
  // Step 5's chapter on the timeline: back to replica2's PSYNC, accepted below the switch.
  await page.locator('.rl-chapter', { hasText: '5' }).click();
  await expect(page.getByTestId('lesson-pos')).toHaveText('Step 5 of 6');
  // Played on from there: replica2 asks for the old ID below the switch, and is accepted.
  await play(page);
  await expect(page.getByTestId('lineage-ask')).toHaveText(`✔ replica2 ${switchedAt}`, SLOW);
});

test('backlog-overflow beside its twin: 16 KB ends in a full resync, 1 MB in a partial one', async ({
  page,
}) => {
  const sc = parseScenario(
    readFileSync(new URL('../src/lessons/backlog-overflow.lab', import.meta.url), 'utf8'),
  );
  const cmp = compareTwin(sc, 5, { seed: 1 })!;
  const [small, large] = cmp.last;
  await page.goto('/?scenario=backlog-overflow&step=5&lang=es');
  await expect(page.getByTestId('lesson-pos')).toHaveText('Paso 5 de 6');
  const twin = page.getByTestId('twin');
  await twin.getByText('Comparar: Backlog de 16 KB / Backlog de 1 MB').click();
  await expect(twin.locator('thead')).toContainText('Backlog de 16 KB');
  const cells = (row: string) => twin.locator(`tr[data-row="${row}"] td`);
  await expect(cells('answer')).toHaveText(['+FULLRESYNC', '+CONTINUE']);
  await expect(cells('bytes')).toHaveText([
    `RDB ${formatBytes(small!.bytes)}`,
    `backlog ${formatBytes(large!.bytes)}`,
  ]);
  await expect(cells('online')).toHaveText([
    formatDurationMs(small!.ms),
    formatDurationMs(large!.ms),
  ]);
});

test('"Reproduce on real Redis" downloads the scenario as a shell script', async ({ page }) => {
  await page.goto('/?scenario=partial-resync&lang=en');
  await expect(page.getByTestId('lesson-pos')).toHaveText('Step 0 of 5');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    inMore(page, () => page.getByRole('button', { name: 'Reproduce on real Redis' }).click()),
  ]);
  expect(download.suggestedFilename()).toBe('partial-resync.sh');
  const path = await download.path();
  const text = readFileSync(path, 'utf8');
  expect(text.startsWith('#!/bin/sh')).toBe(true);
  expect(text).toContain('cli replica1 "$P2" REPLICAOF 127.0.0.1 "$P1"');
});

test('a link to the last step shows the engine’s offsets on the cards at once', async ({
  page,
}) => {
  await page.goto('/?scenario=partial-resync&step=5&lang=en');
  await expect(page.getByTestId('lesson-pos')).toHaveText('Step 5 of 5', SLOW);
  for (const s of ['master', 'replica1']) {
    const num = page.getByLabel(`${s} master_repl_offset`);
    await expect(num).toHaveAttribute('data-offset', /^[1-9]\d*$/);
    await expect(num).toHaveText((await num.getAttribute('data-offset'))!);
  }
});
