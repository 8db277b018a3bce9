/**
 * `npm run train -- --preset encoder --task reverse --steps 300 [--json]`:
 * trains a preset's model headless, in memory, and reports how well it
 * learned. Ctrl+C stops after the current step and still reports.
 */
import { cliT } from "../i18n/cli";
import { initParams, paramSpecs } from "../model/config";
import { configFor, encodeExamples, getPreset } from "../model/presets";
import { makeTask } from "../model/tasks";
import { TrainingSession, type EvalReport, type Progress, type RunReport } from "../train/session";
import { MemoryStore } from "../train/store";
import { langOf, parseTrainArgs, trainUsage, type TrainOptions } from "./args";
import { t, withLanguageAsync } from "../i18n";
import { runMain } from "./run";

/** Exit codes: 2 a usage error, 1 a run that diverged (or failed), 130 stopped by Ctrl+C. */
export function main(argv: readonly string[]): Promise<number> {
  return withLanguageAsync(langOf(argv), async () => {
    const parsed = parseTrainArgs(argv);
    if ("error" in parsed) {
      process.stderr.write(`${cliT().error(parsed.error)}\n\n${trainUsage()}\n`);
      return 2;
    }
    if (parsed.help) {
      process.stdout.write(`${trainUsage()}\n`);
      return 0;
    }
    return train(parsed);
  });
}

async function train(o: TrainOptions): Promise<number> {
  const preset = getPreset(o.preset);
  const task = makeTask(o.task, preset.taskOptions);
  const config = configFor(preset, task, { layers: o.layers });
  const trainSet = encodeExamples(task, config, task.train);
  const heldOutSet = encodeExamples(task, config, task.heldOut);
  const session = new TrainingSession({
    store: new MemoryStore(initParams(config, o.seed)),
    config,
    train: trainSet,
    heldOut: heldOutSet,
    optimizer: o.optimizer,
    seed: o.seed,
  });
  const parameters = paramSpecs(config).reduce((n, s) => n + s.rows * s.cols, 0);
  // translate and stories hold nothing out: their data are the pairs and texts to learn.
  const heldOutIsTrain = task.name === "translate" || task.text;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const emit = (obj: object) => print(JSON.stringify(obj));
  const T = cliT();

  if (!o.json) {
    print(T.training(o.preset, o.task, task.train.length, parameters));
    print(T.setup(o.optimizer.kind, o.optimizer.lr, o.seed, o.batchSize, o.steps));
  }

  const every = Math.max(1, Math.round(o.steps / 10));
  const onProgress = (p: Progress) => {
    if (p.done !== 1 && p.done % every !== 0 && p.done !== p.total) return;
    if (o.json) {
      emit({
        type: "progress",
        step: p.done,
        steps: p.total,
        loss: p.loss,
        accuracy: p.accuracy,
        gradNorm: p.gradNorm,
        stepsPerSecond: p.stepsPerSecond,
      });
    } else {
      const width = String(p.total).length;
      print(T.trainStep(String(p.done).padStart(width), p.total, p.loss.toFixed(4), pct(p.accuracy), p.stepsPerSecond.toFixed(1)));
    }
  };

  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once("SIGINT", onSigint);
  const started = performance.now();
  let run: RunReport;
  try {
    run = await session.run(o.steps, { onProgress, signal: interrupt.signal, batchSize: o.batchSize });
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
  const trained = await session.evaluate(trainSet);
  const heldOut: EvalReport | undefined = heldOutSet.length > 0 ? await session.evaluate() : undefined;
  const seconds = (performance.now() - started) / 1000;

  if (o.json) {
    emit({
      type: "result",
      preset: o.preset,
      task: o.task,
      seed: o.seed,
      optimizer: o.optimizer,
      batchSize: o.batchSize ?? null,
      parameters,
      steps: run.steps,
      cancelled: run.cancelled,
      ...(run.stopped ? { stopped: run.stopped, message: run.message } : {}),
      firstLoss: run.firstLoss ?? null,
      trainLoss: trained.loss,
      trainAccuracy: trained.accuracy,
      ...(heldOut
        ? {
            heldOutIsTrain,
            heldOutExamples: heldOut.examples,
            heldOutLoss: heldOut.loss,
            heldOutAccuracy: heldOut.accuracy,
            ...(heldOut.exactMatch !== undefined ? { exactMatch: heldOut.exactMatch, exactMatches: heldOut.exactMatches } : {}),
          }
        : {}),
      trainSeconds: run.elapsedMs / 1000,
      stepsPerSecond: run.stepsPerSecond,
      seconds,
    });
  } else {
    if (run.message) print(run.message);
    else if (run.cancelled) print(T.stopped(run.steps));
    print(T.trainingSet(trained.loss.toFixed(4), pct(trained.accuracy)));
    if (heldOut) {
      const label = T.heldOut(heldOutIsTrain ? task.name : undefined);
      print(T.heldOutLine(label, heldOut.loss.toFixed(4), pct(heldOut.accuracy), heldOut.tokens, heldOut.examples));
      if (heldOut.exactMatch !== undefined) {
        print(T.exact(heldOut.exactMatchOf ?? t().exact.greedy(), pct(heldOut.exactMatch), heldOut.exactMatches, heldOut.examples));
      }
    }
    print(T.time(seconds.toFixed(1), run.stepsPerSecond.toFixed(1)));
  }
  if (run.stopped === "diverged") return 1;
  return run.cancelled ? 130 : 0;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

if (require.main === module) runMain(main);
