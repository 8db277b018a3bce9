/**
 * Training off the pane's thread, in headless Chromium with the fake
 * workbook (issue 8, section 2): the pane built as `npm run build` builds
 * it trains in a Web Worker, so during a 300-step encoder–decoder run no
 * task on the pane's thread takes 50 ms or more (the `longtask` observer),
 * and an ATTN.* function called during the run answers at once.
 *
 * The fake runs Excel's side of each sync (writing 32,822 weight cells
 * into its model of the grid) on the page's thread, where real Excel does
 * that work in its own process and answers with a message; and it copies
 * each grid it is given through JSON twice. So each long task is charged
 * only for the time outside the fake's commands and range setters (timed
 * around each); the raw long tasks are printed beside it. office.js's own
 * serialization of a write is then not counted: the Excel checklist
 * measures the pane in Excel.
 *
 * Nothing in a run waits on the page's timers: with the pane's page really
 * hidden, behind another tab, so that Chromium itself throttles its timers
 * (one wake-up a second), a run keeps at least 80% of its visible speed
 * while a setTimeout-yielding loop slows below a tenth of its speed; the
 * test checks that the page itself reports "hidden" and overrides nothing.
 * Chromium 156 aligns a hidden page's timers to whole seconds only once they
 * are nested deep enough to be clamped to 4 ms (from the seventh
 * setTimeout(0) of a chain): chains of up to six, started from a message,
 * ran as fast hidden as visible. So a run that waits on a lone timer now and
 * then passes here, and one that chains them (as a loop that yields with
 * setTimeout does) fails: with seven chained setTimeout(0) added to each
 * step, a run kept 0.23 of its visible speed.
 *
 * A page is hidden for real only where Playwright does not emulate focus.
 * Its launch and its contexts call Emulation.setFocusEmulationEnabled on
 * every page, and Chromium keeps such a page visible, headless or headed
 * under Xvfb: behind another tab, after Target.activateTarget of another
 * tab, and with the window minimized, it read "visible" and its
 * setTimeout(0) loop kept about 170 iterations/s. So that test drives a
 * Chromium it starts itself, in the browser's default context, attached
 * with connectOverCDP's noDefaults (tests/support/pane-browser.ts). A
 * hidden page gets no animation frames, so the test starts a run with a
 * DOM click and polls for its end on an interval, neither of which waits
 * for a frame.
 */
import type { Page } from "playwright-core";
import { launchWithoutFocusEmulation, paneRig, type PaneRig, serveOffice, type Seen, watch } from "./support/pane-browser";

/**
 * Keeps what the functions bundle associates, so the test can call ATTN.* as
 * Excel would: the real office.js defines CustomFunctions, and the bundle
 * associates after office.js has run, so the wrapper goes on at the load of
 * office.js's script (the fake installs itself at the same moment).
 */
const RECORDING_CUSTOM_FUNCTIONS = `window.__attn = {};
if (window === window.top) document.addEventListener("load", (e) => {
  if (!(e.target instanceof HTMLScriptElement) || !/\\/office\\.js$/.test(e.target.src)) return;
  const cf = window.CustomFunctions, real = cf.associate.bind(cf);
  cf.associate = (id, fn) => { window.__attn[id] = fn; return real(id, fn); };
}, true);`;

let rig: PaneRig | undefined;

beforeAll(async () => {
  rig = await paneRig();
}, 240000);

afterAll(() => rig?.close());

const statusText = (page: Page) => page.locator("#status-text").textContent();

/** Time within [from, to] covered by the union of `intervals` (which may nest). */
function overlap(intervals: [number, number][], from: number, to: number): number {
  let covered = 0;
  let reached = from;
  for (const [a, b] of [...intervals].sort((x, y) => x[0] - y[0])) {
    const start = Math.max(a, reached);
    const end = Math.min(b, to);
    if (end > start) covered += end - start;
    reached = Math.max(reached, Math.min(b, to));
  }
  return covered;
}

/** The pane in the fake Excel with an encoder–decoder model built, in a page of the rig's browser unless `open` gives one. */
async function builtPane(open: () => Promise<Page> = () => rig!.browser.newPage()): Promise<{ page: Page; seen: Seen }> {
  const page = await open();
  await page.setViewportSize({ width: 360, height: 900 });
  const seen = await watch(page);
  await serveOffice(page);
  await page.addInitScript({ content: rig!.fakeBundle });
  await page.addInitScript({ content: RECORDING_CUSTOM_FUNCTIONS });
  await page.goto(`${rig!.server.url}taskpane.html`);
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Ready."));
  await page.selectOption("#preset", "encoder-decoder");
  await page.click("#build-button");
  await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.startsWith("Built"), undefined, {
    timeout: 120000,
  });
  return { page, seen };
}

/**
 * Trains `steps` steps from the pane and returns its steps per second, read from the pane's own report.
 * The page may be hidden: the click is a DOM event and the end is polled on an interval, neither waiting for an animation frame.
 */
async function trainFromPane(page: Page, steps: number): Promise<number> {
  await page.fill("#steps", String(steps));
  await page.dispatchEvent("#train-n", "click");
  await page.waitForFunction(
    () => /^(Trained|Training stopped|Cancelled)/.test(document.getElementById("status-text")?.textContent ?? ""),
    undefined,
    {
      timeout: 300000,
      polling: 200,
    },
  );
  const text = (await statusText(page)) ?? "";
  const m = new RegExp(`^Trained ${steps} steps in ([\\d.]+) s\\.`).exec(text);
  if (!m) throw new Error(`the run did not finish: ${text}`);
  return steps / Number(m[1]);
}

/**
 * One 300-step run from the pane: the long tasks on the pane's thread during it (raw, and charged to
 * the pane once the fake's own work is taken out), and ten ATTN.POSENC calls timed during it.
 */
async function observedRun(page: Page): Promise<{
  raw: number[];
  ours: number[];
  probes: { ms: number; ours: number; rows: number; status: string }[];
  status: string;
}> {
  await page.evaluate(() => {
    type Run = () => void;
    const w = window as unknown as {
      longTasks: [number, number][];
      hostTime: [number, number][];
      runEnd: number;
      __fake: { context(): object };
      observing?: boolean;
    };
    w.longTasks = [];
    w.hostTime = [];
    w.runEnd = Infinity;
    if (w.observing) return;
    w.observing = true;
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push([e.startTime, e.duration]))).observe({
      type: "longtask",
    });
    // The run ends when the pane moves on to the training log and the gradients (written once, after the run).
    const status = document.getElementById("status-text")!;
    new MutationObserver(() => {
      if (w.runEnd === Infinity && /^(Writing the training log|Trained|Training stopped)/.test(status.textContent ?? ""))
        w.runEnd = performance.now();
    }).observe(status, { childList: true, characterData: true, subtree: true });
    const timed = <A extends unknown[]>(f: (...a: A) => void) =>
      function (this: unknown, ...args: A) {
        const t0 = performance.now();
        try {
          f.apply(this, args);
        } finally {
          w.hostTime.push([t0, performance.now()]);
        }
      };
    // The commands the fake runs at sync: Excel's side of the batch.
    const context = Object.getPrototypeOf(w.__fake.context()) as {
      enqueue: (name: string, since: number, run: Run, ...payload: unknown[]) => void;
    };
    const enqueue = context.enqueue;
    context.enqueue = function (name, since, run, ...payload) {
      enqueue.call(this, name, since, timed(run), ...payload);
    };
    // Setting a range's values: the fake copies the grid through JSON twice (its own bookkeeping) where office.js serializes it once.
    const range = Object.getPrototypeOf((w.__fake.context() as Excel.RequestContext).workbook.names.getItem("Out_W").getRange()) as {
      set: (...a: unknown[]) => void;
    };
    range.set = timed(range.set);
  });
  const steps = await page.locator("#progress-label").textContent();
  await page.fill("#steps", "300");
  await page.click("#train-n");
  await page.waitForFunction(
    (before) =>
      document.getElementById("progress-label")?.textContent !== before &&
      Number(/^(\d+)/.exec(document.getElementById("progress-label")?.textContent ?? "")?.[1] ?? 0) >= 10,
    steps,
    { timeout: 120000 },
  );

  // Ten ATTN.POSENC calls during the run, each timed from the moment a message asks for it (as Excel's call arrives) to its result.
  const probes = await page.evaluate(async () => {
    const attn = (window as unknown as { __attn: Record<string, (...a: unknown[]) => unknown> }).__attn;
    const out: { t0: number; ms: number; rows: number; status: string }[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const result = await new Promise<unknown[][]>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(attn.POSENC(6, 4) as unknown[][]);
        channel.port2.postMessage(undefined);
      });
      out.push({ t0, ms: performance.now() - t0, rows: result.length, status: document.getElementById("status-text")?.textContent ?? "" });
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    return out;
  });
  await page.waitForFunction(
    () => /^(Trained|Training stopped)/.test(document.getElementById("status-text")?.textContent ?? ""),
    undefined,
    {
      timeout: 600000,
    },
  );
  const { longTasks, hostTime } = await page.evaluate(() => {
    const w = window as unknown as { longTasks: [number, number][]; hostTime: [number, number][]; runEnd: number };
    return { longTasks: w.longTasks.filter(([start]) => start < w.runEnd), hostTime: w.hostTime };
  });
  return {
    raw: longTasks.map(([, d]) => d),
    ours: longTasks.map(([start, duration]) => duration - overlap(hostTime, start, start + duration)),
    // A call that arrives while the fake runs Excel's side of a batch waits for it here; in Excel that work is the host's, off this thread.
    probes: probes.map(({ t0, ms, rows, status }) => ({ ms, ours: ms - overlap(hostTime, t0, t0 + ms), rows, status })),
    status: (await statusText(page)) ?? "",
  };
}

/** The slowest ATTN.POSENC answer of a run, less the fake's own work while it waited. */
const slowestCall = (run: { probes: { ours: number }[] }) => Math.max(...run.probes.map((p) => p.ours));

test("a 300-step encoder–decoder run: no long task on the pane's thread, and ATTN.* answers during the run", async () => {
  const { page, seen } = await builtPane();
  // This machine's other processes can stretch any task past 50 ms; a second run tells that noise from our code.
  const runs = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const run = await observedRun(page);
    runs.push(run);
    console.log(
      `300-step encoder–decoder run ${attempt + 1}: ${run.status}; long tasks (ms): ${run.raw.map((d) => d.toFixed(0)).join(", ") || "none"}; ` +
        `the same without the fake's own work: ${run.ours.map((d) => d.toFixed(0)).join(", ") || "none"}; ATTN.POSENC latency during the run (ms): ${run.probes.map((p) => p.ms.toFixed(1)).join(", ")}; ` +
        `the same without the fake's own work: ${run.probes.map((p) => p.ours.toFixed(1)).join(", ")}`,
    );
    expect(run.status).toMatch(/^Trained 300 steps in [\d.]+ s\. Loss [\d.]+ → [\d.]+/);
    expect(run.probes.every((p) => p.rows === 6 && p.status.startsWith("Training 300 steps"))).toBe(true);
    if (Math.max(0, ...run.ours) < 50 && slowestCall(run) < 50) break;
  }
  expect(Math.min(...runs.map((r) => Math.max(0, ...r.ours)))).toBeLessThan(50);
  expect(Math.min(...runs.map(slowestCall))).toBeLessThan(50);
  expect(seen).toEqual({ errors: [], dialogs: [], violations: [], failed: [] });
  await page.close();
}, 1200000);

test("with the page hidden behind another tab, a run keeps ≥ 80% of its steps/s; a setTimeout-yielding loop does not", async () => {
  const chrome = await launchWithoutFocusEmulation();
  try {
    const { page, seen } = await builtPane(() => chrome.context.newPage());
    /** Iterations per second of a loop that yields to the page with setTimeout(0) after each 1 ms of work. */
    const timerLoopRate = () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            let n = 0;
            const t0 = performance.now();
            const tick = () => {
              const until = performance.now() + 1;
              while (performance.now() < until);
              n += 1;
              if (performance.now() - t0 < 3000) setTimeout(tick, 0);
              else resolve(n / ((performance.now() - t0) / 1000));
            };
            tick();
          }),
      );
    /** The page's visibility as Chromium reports it: the test overrides nothing, which the missing own property shows. */
    const visibility = () =>
      page.evaluate(
        () => `${document.visibilityState}${Object.getOwnPropertyDescriptor(document, "visibilityState") ? " (overridden)" : ""}`,
      );
    await page.evaluate(() => {
      const w = window as unknown as { visibilityChanges: string[] };
      w.visibilityChanges = [];
      document.addEventListener("visibilitychange", () => w.visibilityChanges.push(document.visibilityState));
    });
    await trainFromPane(page, 10); // warms up the worker and the fake's caches
    // Another tab in the same window, brought to the front, hides the pane's tab as a user switching tabs would.
    const cover = await chrome.context.newPage();
    await cover.goto("about:blank");
    await page.bringToFront();
    /** Visible, hidden, visible again: the run's and the timer loop's rates in each, side by side. */
    const round = async () => {
      await page.evaluate(() => void ((window as unknown as { visibilityChanges: string[] }).visibilityChanges = []));
      expect(await visibility()).toBe("visible");
      const visible = await trainFromPane(page, 60);
      const loopVisible = await timerLoopRate();
      await cover.bringToFront();
      expect(await visibility()).toBe("hidden");
      const hidden = await trainFromPane(page, 60);
      const loopHidden = await timerLoopRate();
      expect(await visibility()).toBe("hidden");
      await page.bringToFront();
      expect(await visibility()).toBe("visible");
      const visibleAgain = await trainFromPane(page, 60);
      const loopVisibleAgain = await timerLoopRate();
      const changes = await page.evaluate(() => (window as unknown as { visibilityChanges: string[] }).visibilityChanges);
      const visibleRate = (visible + visibleAgain) / 2;
      const loopVisibleRate = (loopVisible + loopVisibleAgain) / 2;
      console.log(
        `steps/s visible ${visible.toFixed(1)} and ${visibleAgain.toFixed(1)}, hidden ${hidden.toFixed(1)} (ratio ${(hidden / visibleRate).toFixed(2)}); ` +
          `setTimeout loop iterations/s visible ${loopVisible.toFixed(0)} and ${loopVisibleAgain.toFixed(0)}, hidden ${loopHidden.toFixed(1)} (ratio ${(loopHidden / loopVisibleRate).toFixed(3)}); visibilitychange events: ${changes.join(", ")}`,
      );
      expect(changes).toEqual(["hidden", "visible"]);
      expect(loopHidden / loopVisibleRate).toBeLessThan(0.1);
      return hidden / visibleRate;
    };
    // This shared machine's other processes move a 60-step run's rate by 20% or more; a second round tells that
    // noise from a run that waits on the page's timers, which falls to a fraction of its speed (0.14 on the old code).
    const ratios = [await round()];
    if (ratios[0] <= 0.8) ratios.push(await round());
    expect(Math.max(...ratios)).toBeGreaterThan(0.8);
    expect(seen).toEqual({ errors: [], dialogs: [], violations: [], failed: [] });
    await cover.close();
    await page.close();
  } finally {
    await chrome.close();
  }
}, 900000);
