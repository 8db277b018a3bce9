/**
 * What the worker's duty cycle costs: the encoder–decoder preset trained
 * through the worker engine (the pane's code: WorkerEngine, serveEngine,
 * TrainingSession) in a node worker thread, with the duty cycle off (1),
 * at 0.85 and at the default (0.8). For each: steps/s, and the busiest
 * 5-second window of the worker (busy time / wall time, from the busy
 * intervals the worker reports on its own clock). The settings take turns,
 * round after round, so that the machine's other load falls on all of them;
 * steps/s is the median over the rounds, the busiest window the worst.
 *
 *   npm run bench:worker                       3 rounds of 60 steps per setting
 *   npm run bench:worker -- --steps N --rounds R
 */
import * as os from "os";
import * as path from "path";
import { MessageChannel, Worker } from "worker_threads";
import { initParams } from "../src/model/config";
import { configFor, encodeExamples, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { DEFAULT_DUTY_CYCLE } from "../src/train/duty-cycle";
import type { TrainEngine } from "../src/train/engine";
import { TrainingSession } from "../src/train/session";
import { MemoryStore } from "../src/train/store";
import { WorkerEngine, type TimedOutcome, type WorkerLike } from "../src/train/worker-engine";

const WINDOW_MS = 5000;
const flag = (name: string, otherwise: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : otherwise;
};
const STEPS = flag("--steps", 60);
const ROUNDS = flag("--rounds", 3);

const preset = getPreset("encoder-decoder");
const task = makeTask(preset.task, { seed: 1, ...preset.taskOptions });
const config = configFor(preset, task);
const train = encodeExamples(task, config, task.train);

/** A WorkerEngine on a node worker thread that runs serveEngine; `busy` collects the worker's busy intervals. */
function threadEngine(dutyCycle: number, busy: [number, number][]): { engine: TrainEngine; thread: Worker } {
  const { port1, port2 } = new MessageChannel();
  const thread = new Worker(path.join(__dirname, "worker-thread.ts"), {
    // tsx's CommonJS hook, named again: on node 20 a worker thread does not
    // inherit the ESM loader that `tsx` gives the main thread (nodejs/node#47747).
    execArgv: ["--require", "tsx/cjs"],
    workerData: { port: port2 },
    transferList: [port2],
  });
  const engine = new WorkerEngine(port1 as unknown as WorkerLike, { config, optimizer: preset.optimizer, train }, { dutyCycle });
  const step = engine.step.bind(engine);
  engine.step = async (batch, maxLoss) => {
    const outcome = (await step(batch, maxLoss)) as TimedOutcome;
    busy.push(outcome.busy);
    return outcome;
  };
  return { engine, thread };
}

/** The largest busy share of any WINDOW_MS window that starts at a busy interval's start (the worst windows start there). */
function busiestWindow(busy: [number, number][]): number {
  const end = busy[busy.length - 1][1];
  const starts = busy.map(([a]) => a).filter((a) => a + WINDOW_MS <= end);
  const share = (t: number) => busy.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, t + WINDOW_MS) - Math.max(a, t)), 0) / WINDOW_MS;
  return starts.length === 0 ? NaN : Math.max(...starts.map(share));
}

async function measure(dutyCycle: number): Promise<{ dutyCycle: number; stepsPerSecond: number; busiest: number; overall: number }> {
  const busy: [number, number][] = [];
  const { engine, thread } = threadEngine(dutyCycle, busy);
  const session = new TrainingSession({
    store: new MemoryStore(initParams(config, 1)),
    config,
    train,
    optimizer: preset.optimizer,
    engine: () => engine,
  });
  await session.run(3); // warm-up: the thread's JIT
  busy.length = 0;
  const report = await session.run(STEPS, { writeEvery: 5 });
  session.release();
  await thread.terminate();
  const wall = busy[busy.length - 1][1] - busy[0][0];
  const overall = busy.reduce((s, [a, b]) => s + b - a, 0) / wall;
  return { dutyCycle, stepsPerSecond: report.stepsPerSecond, busiest: busiestWindow(busy), overall };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  console.log(
    `${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}, node ${process.version}, ${new Date().toISOString()}`,
  );
  console.log(
    `encoder–decoder preset (${train.length} examples, full batch), ${ROUNDS} rounds of ${STEPS} steps per setting, weights written every 5 steps\n`,
  );
  const settings = [1, 0.85, DEFAULT_DUTY_CYCLE];
  const results = settings.map(() => [] as Awaited<ReturnType<typeof measure>>[]);
  for (let round = 0; round < ROUNDS; round++) for (const [k, d] of settings.entries()) results[k].push(await measure(d));
  console.log("| duty cycle | steps/s (median) | steps/s per round | busiest 5-s window | busy overall |");
  console.log("| --- | ---: | --- | ---: | ---: |");
  for (const [k, d] of settings.entries()) {
    const rs = results[k];
    const label = d === DEFAULT_DUTY_CYCLE ? `${d} (default)` : d === 1 ? "1 (off)" : String(d);
    const busiest = Math.max(...rs.map((r) => r.busiest).filter((b) => !Number.isNaN(b)));
    const overall = median(rs.map((r) => r.overall));
    console.log(
      `| ${label} | ${median(rs.map((r) => r.stepsPerSecond)).toFixed(2)} | ${rs.map((r) => r.stepsPerSecond.toFixed(2)).join(", ")} | ${(100 * busiest).toFixed(1)}% | ${(100 * overall).toFixed(1)}% |`,
    );
  }
  console.log(`\nload ${os.loadavg()[0].toFixed(1)} at the end`);
}

void main();
