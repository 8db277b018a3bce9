/**
 * `npm run workbook -- [--preset P] [--task T] [--sentence "..."] [--layers N] [--train-steps N] [--seed S] [--dice-seed S] [--out FILE]`:
 * trains a preset's model in memory and writes the workbook the add-in
 * builds, as an .xlsx file, for Excel, LibreOffice or Google Sheets.
 * Every problem with the request, the destination file included, is
 * reported before any training; the file appears whole or not at all
 * (src/cli/destination.ts).
 */
import { cliT } from "../i18n/cli";
import path from "path";
import { initParams, type Params } from "../model/config";
import { rollDice } from "../model/generate";
import { configFor, encodeExamples, getPreset } from "../model/presets";
import { makeTask } from "../model/tasks";
import type { TrainingLogRow } from "../sheet/build";
import { buildWorkbookPlan } from "../sheet/build";
import { isFormula, type WorkbookPlan } from "../sheet/plan";
import { TrainingSession, type RunReport } from "../train/session";
import { MemoryStore } from "../train/store";
import { openDestination } from "./destination";
import { parseWorkbookArgs, workbookUsage, type WorkbookOptions } from "./workbook-args";
import { langOf } from "./args";
import { withLanguageAsync } from "../i18n";
import { planXlsxBuffer } from "./xlsx";
import { runMain } from "./run";

/** Exit codes: 0 written, 2 a usage error (nothing written), 1 a failure while writing. */
export function main(argv: readonly string[], cwd = process.env.INIT_CWD ?? process.cwd()): Promise<number> {
  return withLanguageAsync(langOf(argv), () => write(argv, cwd));
}

async function write(argv: readonly string[], cwd: string): Promise<number> {
  const parsed = parseWorkbookArgs(argv);
  if ("error" in parsed) return usageError(parsed.error);
  if (parsed.help) {
    process.stdout.write(`${workbookUsage()}\n`);
    return 0;
  }
  const file = path.resolve(cwd, parsed.out);
  const where = await openDestination(file);
  if ("error" in where) return usageError(where.error);

  const started = performance.now();
  const { plan, run } = await buildTrained(parsed, (line) => process.stdout.write(`${line}\n`));
  await where.write(await planXlsxBuffer(plan));
  const seconds = (performance.now() - started) / 1000;

  const print = (line: string) => process.stdout.write(`${line}\n`);
  if (run?.message) print(run.message);
  const T = cliT();
  print(T.wrote(where.replaces, where.target, where.target === file ? undefined : file));
  const names = plan.sheets.map((s) => s.name).join(", ");
  print(T.contents(plan.sheets.length, names, formulaCount(plan), plan.names.length, seconds.toFixed(1)));
  T.openWith(file).forEach(print);
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`${cliT().error(message)}\n\n${workbookUsage()}\n`);
  return 2;
}

/** The plan of the model trained as `o` asks, and the training run's report (none for 0 steps). */
export async function buildTrained(
  o: WorkbookOptions,
  print: (line: string) => void = () => {},
): Promise<{ plan: WorkbookPlan; run?: RunReport }> {
  const preset = getPreset(o.preset);
  const task = makeTask(o.task, { seed: o.seed, ...preset.taskOptions });
  const config = configFor(preset, task, { layers: o.layers });
  let params: Params = initParams(config, o.seed);
  const log: TrainingLogRow[] = [];
  let run: RunReport | undefined;
  if (o.trainSteps > 0) {
    const store = new MemoryStore(params);
    const session = new TrainingSession({
      store,
      config,
      train: encodeExamples(task, config, task.train),
      optimizer: preset.optimizer,
      seed: o.seed,
    });
    print(cliT().trainingFor(o.preset, o.task, o.trainSteps, task.train.length));
    const t0 = performance.now();
    const every = Math.max(1, Math.round(o.trainSteps / 5));
    run = await session.run(o.trainSteps, {
      onProgress: (p) => {
        log.push({ step: p.step, loss: p.loss, accuracy: p.accuracy, seconds: (performance.now() - t0) / 1000 });
        if (p.done % every === 0 || p.done === p.total)
          print(cliT().workbookStep(p.done, p.total, p.loss.toFixed(4), (100 * p.accuracy).toFixed(1)));
      },
    });
    params = await store.read();
  }
  const plan = buildWorkbookPlan({
    preset: o.preset,
    description: preset.description,
    config,
    vocab: task.vocab,
    params,
    sentence: o.sentence,
    examples: task.train,
    log,
    switches: o.preset === "seed",
    dice: rollDice(o.diceSeed, config.sourceLen),
    lang: o.lang,
  });
  return { plan, run };
}

export function formulaCount(plan: WorkbookPlan): number {
  let n = 0;
  for (const s of plan.sheets) {
    for (const b of s.blocks) {
      for (const row of b.cells) for (const c of row) if (isFormula(c)) n += 1;
      for (const l of [...(b.rowLabels ?? []), ...(b.colLabels ?? [])]) if (isFormula(l.cell)) n += 1;
    }
  }
  return n;
}

if (require.main === module) runMain(main);
