/**
 * Training steps per second: our step (lossAndGradients + optimizerStep from
 * src/model), on its WebAssembly kernel and on its JavaScript kernel, against
 * the same model trained with tfjs-core on its CPU backend (tests/support/tfjs-model.ts) and with PyTorch
 * (bench/pytorch.py), for the presets, two-layer stacks of the encoder–decoder and gpt presets, and
 * encoder–decoders of growing size. Prints a Markdown table and, after a full
 * run, writes it into docs/benchmarks.md between <!-- bench:train --> and
 * <!-- /bench:train -->, with a profile of our step at the largest size.
 *
 *   npm run bench                      full run (a few minutes)
 *   npm run bench -- --quick           short rounds, for a smoke run
 *   npm run bench -- --only NAME[,NAME] some rows only (see NAMES below)
 *
 * --quick and --only print the table but leave docs/benchmarks.md alone.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Session } from "node:inspector/promises";
import { ModelConfig, initParams, paramSpecs } from "../src/model/config";
import { jsKernel } from "../src/model/kernels/js";
import type { GemmKernel } from "../src/model/kernels/kernel";
import { createWasmKernel } from "../src/model/kernels/wasm";
import { toRows, useKernel } from "../src/model/matrix";
import { GEMM_WASM_BASE64, ROWS_WASM_BASE64 } from "../src/model/kernels/gemm-wasm";
import { OptimizerConfig, newOptimizerState, optimizerStep } from "../src/model/optim";
import { PRESET_NAMES, configFor, encodeExamples, getPreset } from "../src/model/presets";
import { makeTask } from "../src/model/tasks";
import { EncodedExample, lossAndGradients } from "../src/model/transformer";
import { TfTrainer, tf, useTfCpu } from "../tests/support/tfjs-model";
import { benchFunctions } from "./functions";
import { cpuVectorFlags, wasmSimdPeakGflops } from "./peak";
import { PYTORCH_MISSING, PyTorch, findPytorch, pytorchCannot } from "./pytorch";

interface Cell {
  name: string;
  config: ModelConfig;
  batch: EncodedExample[];
  optimizer: OptimizerConfig;
}

const SEED = 1;
const SIZED_BATCH = 64;
const SIZED_MODELS = [16, 32, 64];
const SIZED_LENGTHS = [9, 32];
/** Presets also timed with this many layers per stack, as rows `NAME-L2`. */
const LAYERED_PRESETS = ["encoder-decoder", "gpt"];
const LAYERED = 2;
/** The rows whose step we profile: the smallest preset (the most per-call overhead) and the largest model at the longest length. */
const PROFILED = ["encoder", `ed-d${SIZED_MODELS[SIZED_MODELS.length - 1]}-n${SIZED_LENGTHS[SIZED_LENGTHS.length - 1]}`];

/** A preset on its task's whole training set, with `layers` layers per stack (an encoder–decoder gets that many of each). */
function presetCell(name: string, layers?: number): Cell {
  const preset = getPreset(name);
  const task = makeTask(preset.task, preset.taskOptions);
  const config = configFor(preset, task, { layers });
  return {
    name: layers ? `${name}-L${layers}` : name,
    config,
    batch: encodeExamples(task, config, task.train),
    optimizer: preset.optimizer,
  };
}

/** An encoder–decoder with 4 heads, d_k = d_model/4, d_FF = 2·d_model, on a batch of copy examples. */
function sizedCell(dModel: number, length: number): Cell {
  const preset = getPreset("encoder-decoder");
  const task = makeTask("copy", { length, trainCount: SIZED_BATCH, heldOutCount: 0 });
  const config = configFor(preset, task, { dModel, heads: 4, dK: dModel / 4, dFF: 2 * dModel });
  return { name: `ed-d${dModel}-n${length}`, config, batch: encodeExamples(task, config, task.train), optimizer: preset.optimizer };
}

const NAMES = [
  ...PRESET_NAMES,
  ...LAYERED_PRESETS.map((p) => `${p}-L${LAYERED}`),
  ...SIZED_MODELS.flatMap((d) => SIZED_LENGTHS.map((n) => `ed-d${d}-n${n}`)),
];

function makeCell(name: string): Cell {
  const sized = /^ed-d(\d+)-n(\d+)$/.exec(name);
  if (sized) return sizedCell(Number(sized[1]), Number(sized[2]));
  const layered = /^(.+)-L(\d+)$/.exec(name);
  return layered ? presetCell(layered[1], Number(layered[2])) : presetCell(name);
}

interface Timing {
  /** The best round's rate. */
  stepsPerSecond: number;
  steps: number;
  /** Loss of the first (warm-up) step: both implementations start from the same weights. */
  firstLoss: number;
}

interface Budget {
  warmup: number; // seconds
  round: number; // seconds
  rounds: number;
  /** Stop before `rounds` once each side has been timed this many seconds. */
  enough: number;
}

const FULL: Budget = { warmup: 0.5, round: 0.4, rounds: 5, enough: 4 };
const QUICK: Budget = { warmup: 0.05, round: 0.15, rounds: 1, enough: 0 };

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Runs `step` for at least `minSeconds` and one step; returns the steps and the seconds taken. */
function round(step: () => number, minSeconds: number): { steps: number; seconds: number } {
  const start = process.hrtime.bigint();
  let steps = 0;
  do {
    step();
    steps++;
  } while (seconds(start) < minSeconds);
  return { steps, seconds: seconds(start) };
}

/** One side of the comparison: its first step (which also warms it up) and rounds of steps. */
interface Side {
  first(): Promise<number>;
  round(minSeconds: number): Promise<{ steps: number; seconds: number }>;
}

function inThisProcess(step: () => number): Side {
  return { first: async () => step(), round: async (minSeconds) => round(step, minSeconds) };
}

/**
 * Warms each up, then times them in alternating rounds, so that all see the
 * same load from whatever else runs on the machine; each side's rate is its
 * best round.
 */
async function timeAll(sides: readonly Side[], budget: Budget): Promise<Timing[]> {
  const timings = [];
  for (const side of sides) {
    const firstLoss = await side.first();
    await side.round(budget.warmup);
    timings.push({ stepsPerSecond: 0, steps: 0, timed: 0, firstLoss, side });
  }
  for (let r = 0; r < budget.rounds && !(r > 0 && timings.every((t) => t.timed >= budget.enough)); r++) {
    for (const t of timings) {
      const { steps, seconds: s } = await t.side.round(budget.round);
      t.stepsPerSecond = Math.max(t.stepsPerSecond, steps / s);
      t.steps += steps;
      t.timed += s;
    }
  }
  return timings.map(({ stepsPerSecond, steps, firstLoss }) => ({ stepsPerSecond, steps, firstLoss }));
}

const WASM_KERNEL = createWasmKernel();
const LOAD_AT_START = os.loadavg()[0];

/** The name the profile looks for: only samples inside our step (and the garbage collector) count. */
const STEP_NAME = "ourTrainingStep";

/** Our training step with every product on `kernel`. */
function ourStep(cell: Cell, kernel: GemmKernel = WASM_KERNEL ?? jsKernel): () => number {
  const params = initParams(cell.config, SEED);
  const state = newOptimizerState();
  return function ourTrainingStep(): number {
    useKernel(kernel);
    const { loss, grads } = lossAndGradients(params, cell.config, cell.batch);
    optimizerStep(params, grads, cell.optimizer, state);
    return loss;
  };
}

function tfTrainer(cell: Cell): TfTrainer {
  const params = Object.fromEntries(Object.entries(initParams(cell.config, SEED)).map(([n, m]) => [n, toRows(m)]));
  return new TfTrainer(params, cell.config, cell.batch, cell.optimizer);
}

/** The multiply-adds of one step's matrix products, ×2: counted by a kernel that tallies each product it passes on. */
function productFlopsPerStep(cell: Cell): number {
  let flops = 0;
  const counting: GemmKernel = {
    name: "js",
    gemm(A, ao, ars, acs, B, bo, brs, bcs, C, co, n, k, m, fresh) {
      flops += 2 * n * k * m;
      jsKernel.gemm(A, ao, ars, acs, B, bo, brs, bcs, C, co, n, k, m, fresh);
    },
  };
  ourStep(cell, counting)();
  return flops;
}

interface Row {
  cell: Cell;
  /** Ours on the WebAssembly kernel. */
  ours: Timing;
  oursJs: Timing;
  tfjs: Timing;
  /** Undefined when PyTorch is not installed or cannot build this model; `pytorchNote` then says why. */
  pytorch?: Timing;
  pytorchNote?: string;
  flopsPerStep: number;
  parameters: number;
}

async function measure(cell: Cell, budget: Budget, torch: PyTorch | undefined): Promise<Row> {
  if (!WASM_KERNEL)
    throw new Error("this node has no WebAssembly SIMD; the benchmark compares the WebAssembly kernel with the JavaScript one");
  const flopsPerStep = productFlopsPerStep(cell);
  const trainer = tfTrainer(cell);
  const sides = [ourStep(cell, WASM_KERNEL), ourStep(cell, jsKernel), () => trainer.step()].map(inThisProcess);
  const parameters = paramSpecs(cell.config).reduce((s, p) => s + p.rows * p.cols, 0);
  const pytorchNote = torch ? pytorchCannot(cell.config) : "not installed";
  if (torch && !pytorchNote) {
    sides.push({
      first: async () => {
        const built = await torch.build(cell.name, cell.config, cell.batch, cell.optimizer);
        // A different count would mean PyTorch trains a different model (say, with attention biases), not ours.
        process.stderr.write(`parameters: ours ${parameters}, PyTorch ${built.parameters}; `);
        if (built.parameters !== parameters)
          throw new Error(`${cell.name}: our model has ${parameters} parameters but PyTorch's has ${built.parameters}`);
        return built.loss;
      },
      round: (s) => torch.round(cell.name, s),
    });
  }
  const [ours, oursJs, tfjs, pytorch] = await timeAll(sides, budget);
  trainer.dispose();
  // ours and tfjs must train the same model, or the comparison means nothing (PyTorch has its own initial weights)
  for (const [name, other] of [
    ["tfjs", tfjs],
    ["our JS kernel", oursJs],
  ] as const) {
    if (Math.abs(ours.firstLoss - other.firstLoss) > 1e-4 * ours.firstLoss) {
      throw new Error(`${cell.name}: our first loss is ${ours.firstLoss} but ${name}'s is ${other.firstLoss}`);
    }
  }
  return { cell, ours, oursJs, tfjs, pytorch, pytorchNote, flopsPerStep, parameters };
}

interface FunctionShare {
  name: string;
  file: string;
  share: number;
}

interface Profile {
  secondsPerStep: number;
  functions: FunctionShare[];
}

const WAT_FILES: Record<string, string> = { [GEMM_WASM_BASE64]: "gemm.wat", [ROWS_WASM_BASE64]: "rows.wat" };

/** Function i of a .wat file is its i-th `(func`, named by its export (or its $name): they import no functions. */
function watFunctionNames(file: string): string[] {
  const text = fs.readFileSync(path.join(__dirname, "..", "src", "model", "kernels", file), "utf8");
  return [...text.matchAll(/\(func(?: \$(\w+))?(?: \(export "(\w+)"\))?/g)].map((m) => m[2] ?? m[1] ?? "?");
}

/**
 * Which of our two WebAssembly modules each loaded WebAssembly script is, by
 * its bytes (the debugger hands them out), so that the profile can name the
 * module and the function of a `wasm-function[i]` frame.
 */
async function wasmModules(session: Session): Promise<Map<string, { file: string; names: string[] }>> {
  const ids: string[] = [];
  session.on("Debugger.scriptParsed", (m) => {
    const params = m.params as typeof m.params & { scriptLanguage?: string };
    if (params.scriptLanguage === "WebAssembly") ids.push(params.scriptId);
  });
  await session.post("Debugger.enable");
  const modules = new Map<string, { file: string; names: string[] }>();
  for (const scriptId of ids) {
    // A WebAssembly script's source is its bytes, base64 (`bytecode`, not in node's types).
    const { bytecode } = (await session.post("Debugger.getScriptSource", { scriptId })) as { bytecode?: string };
    const file = bytecode === undefined ? undefined : WAT_FILES[bytecode];
    if (file) modules.set(scriptId, { file, names: watFunctionNames(file) });
  }
  await session.post("Debugger.disable");
  return modules;
}

/** Self time by function over our steps, from V8's sampling profiler (what `node --cpu-prof` records). */
async function profileOurStep(cell: Cell, budget: Budget): Promise<Profile> {
  const step = ourStep(cell);
  step();
  const session = new Session();
  session.connect();
  const modules = await wasmModules(session);
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  const timed = round(step, budget.enough);
  const secondsPerStep = timed.seconds / timed.steps;
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();

  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inStep = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = nodes.get(at)!.callFrame.functionName;
      if (name === STEP_NAME || name === "(garbage collector)") return true;
    }
    return false;
  };
  const self = new Map<string, FunctionShare>();
  let total = 0;
  profile.samples!.forEach((id, i) => {
    const dt = profile.timeDeltas![i] ?? 0;
    if (!inStep(id)) return;
    const frame = nodes.get(id)!.callFrame;
    const wasm = modules.get(frame.scriptId);
    const index = /^wasm-function\[(\d+)\]$/.exec(frame.functionName);
    const name = wasm && index ? (wasm.names[Number(index[1])] ?? frame.functionName) : frame.functionName || "(anonymous)";
    const file = wasm ? wasm.file : frame.url ? path.basename(frame.url) : "";
    const key = `${name} ${file}`;
    const entry = self.get(key) ?? { name, file, share: 0 };
    entry.share += dt;
    self.set(key, entry);
    total += dt;
  });
  const functions = [...self.values()].map((f) => ({ ...f, share: f.share / total })).sort((a, b) => b.share - a.share);
  return { secondsPerStep, functions };
}

function rate(x: number): string {
  return x >= 1000 ? String(Math.round(x)) : String(Number(x.toPrecision(3)));
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function table(rows: readonly Row[], peakGflops: number): string {
  const head = [
    "| model | layers | d_model | heads × d_k | d_FF | positions (source → target) | vocab | batch | parameters | ours (WASM) steps/s | ours (JS) steps/s | tfjs steps/s | PyTorch steps/s | WASM / JS | WASM / tfjs | WASM / PyTorch | product GFLOP/s (WASM) | of peak |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const body = rows.map(({ cell: { name, config: c, batch }, ours, oursJs, tfjs, pytorch, pytorchNote, flopsPerStep, parameters }) => {
    const positions = c.targetLen > 0 ? `${c.sourceLen} → ${c.targetLen}` : `${c.sourceLen}`;
    const gflops = (flopsPerStep * ours.stepsPerSecond) / 1e9;
    const layers = c.kind === "encoder-decoder" ? `${c.layers} + ${c.layers}` : `${c.layers}`;
    return `| ${name} | ${layers} | ${c.dModel} | ${c.heads} × ${c.dK} | ${c.dFF} | ${positions} | ${c.vocabSize} | ${batch.length} | ${parameters} | ${rate(
      ours.stepsPerSecond,
    )} | ${rate(oursJs.stepsPerSecond)} | ${rate(tfjs.stepsPerSecond)} | ${pytorch ? rate(pytorch.stepsPerSecond) : `— (${pytorchNote})`} | ${(
      ours.stepsPerSecond / oursJs.stepsPerSecond
    ).toFixed(
      1,
    )}× | ${(ours.stepsPerSecond / tfjs.stepsPerSecond).toFixed(1)}× | ${pytorch ? `${(ours.stepsPerSecond / pytorch.stepsPerSecond).toFixed(2)}×` : "—"} | ${gflops.toFixed(
      2,
    )} | ${percent(gflops / peakGflops)} |`;
  });
  return [...head, ...body].join("\n");
}

/** The preset rows against the issue's target of 5× tfjs. */
function presetVerdict(rows: readonly Row[]): string {
  const presets = rows.filter((r) => (PRESET_NAMES as readonly string[]).includes(r.cell.name));
  if (presets.length === 0) return "";
  const ratios = presets.map((r) => ({ name: r.cell.name, ratio: r.ours.stepsPerSecond / r.tfjs.stepsPerSecond }));
  const short = ratios.filter((r) => r.ratio < 5);
  const list = ratios.map((r) => `${r.name} ${r.ratio.toFixed(1)}×`).join(", ");
  return short.length === 0
    ? `At the preset sizes our step is at least 5× as fast as tfjs's (${list}), as the issue asks.`
    : `The issue asks for at least 5× tfjs's speed at the preset sizes; measured: ${list}, so ${short
        .map((r) => r.name)
        .join(" and ")} fall${short.length === 1 ? "s" : ""} short.`;
}

const ATTENTION_LOOPS = ["scaledDotProduct", "scaledDotProductBackward", "softmaxRows", "softmaxWithSums", "scaledSoftmax", "scaleScores"];
const LAYER_NORM = ["layerNorm", "layerNormBackward", "addAndNorm", "normRows"];

function profileParagraph(cell: Cell, p: Profile): string {
  const shareOf = (name: string, file: string) => p.functions.find((f) => f.name === name && f.file === file)?.share ?? 0;
  // By file, not by name: the profiler may call a kernel's gemm "(anonymous)", and a step runs nothing else of either file.
  const inFile = (file: string) => p.functions.filter((f) => f.file === file).reduce((sum, f) => sum + f.share, 0);
  const inWasm = inFile("gemm.wat");
  const inRows = inFile("rows.wat");
  const copies = inFile("wasm.ts");
  const small = inFile("js.ts");
  const attention = ATTENTION_LOOPS.reduce((sum, n) => sum + shareOf(n, "attention.ts"), 0);
  const layerNorm = LAYER_NORM.reduce((sum, n) => sum + shareOf(n, "layers.ts"), 0);
  const workspace = inFile("workspace.ts");
  const gc = p.functions.find((f) => f.name === "(garbage collector)")?.share ?? 0;
  const top = p.functions
    .slice(0, 8)
    .map((f) => `\`${f.name}\`${f.file ? ` (${f.file})` : ""} ${percent(f.share)}`)
    .join(", ");
  const c = cell.config;
  return [
    `At ${cell.name} (d_model ${c.dModel}, ${c.heads} heads of d_k ${c.dK}, d_FF ${c.dFF}, ${cell.batch.length} examples of ${c.targetLen > 0 ? `${c.sourceLen} → ${c.targetLen}` : c.sourceLen} positions) one of our steps on the WebAssembly kernel takes ${(
      p.secondsPerStep * 1000
    ).toPrecision(
      3,
    )} ms under the profiler. A V8 CPU profile of the steps (the sampler behind \`node --cpu-prof\`; self time) puts ${percent(inWasm)} of the step inside the WebAssembly products (gemm.wat), ${percent(inRows)} in its row and element-wise kernels (rows.wat: LayerNorm and its backward, the softmax with its exp and its backward, the bias, residual and ReLU passes), ${percent(
      copies,
    )} in the JavaScript side of the kernel (\`kernels/wasm.ts\`: the calls, and copying the operands that live outside its memory, such as the weights, into it), ${percent(
      small,
    )} in the products too small to send there (the JavaScript kernel, \`kernels/js.ts\`), ${percent(attention)} in the JavaScript side of attention (\`attention.ts\`: the calls, and what runs outside the kernel's memory), ${percent(
      layerNorm,
    )} in LayerNorm's JavaScript side, ${percent(workspace)} in handing out the workspace's buffers (\`kernels/workspace.ts\`, zeroing those that are summed into) and ${percent(gc)} in the garbage collector. Largest self times: ${top}.`,
  ].join("\n\n");
}

function section(
  rows: readonly Row[],
  profiles: readonly { cell: Cell; profile: Profile }[],
  peakGflops: number,
  torchVersion: string | undefined,
): string {
  const cpus = os.cpus();
  const machine = `${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores, node ${process.version}, load average ${LOAD_AT_START.toFixed(
    1,
  )} at the start and ${os.loadavg()[0].toFixed(1)} at the end (the machine is shared: only ratios measured side by side compare)`;
  const parts = [
    "<!-- bench:train -->",
    "## Training steps per second",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}, with \`npm run bench\`.`,
    "",
    "A step is one full training step on one batch: forward, backward, and an Adam update with clipping by global norm. " +
      "**Ours** is `lossAndGradients` + `optimizerStep` from `src/model` (float64, hand-written backward), with its matrix products on the " +
      "WebAssembly SIMD kernel (**WASM**, `src/model/kernels/gemm.wat`, f64x2, with the step's matrices in its memory) or on the JavaScript kernel (**JS**, the fallback); the two give the same bits. " +
      `**tfjs** is the independent implementation in \`tests/support/tfjs-model.ts\` on \`@tensorflow/tfjs-core\` ${tf.version_core} with its CPU backend ` +
      "(float32, plain JavaScript): `tf.variableGrads`, clipping with tfjs ops, `tf.train.adam`; same config, data and initial weights " +
      "(the first losses agree). Both run in one thread. The preset rows train on the preset's whole training set as one batch, " +
      `the \`-L${LAYERED}\` rows the same with ${LAYERED} layers per stack (the encoder–decoder's ${LAYERED} + ${LAYERED} are ${LAYERED} encoder and ${LAYERED} decoder layers); ` +
      `the \`ed-d…-n…\` rows are encoder–decoders with 4 heads, d_k = d_model/4 and d_FF = 2·d_model on ${SIZED_BATCH} copy examples of length n ` +
      "(the decoder has one more position, for `</s>`). After a warm-up, all of them run in alternating rounds of at least " +
      `${FULL.round} s (and one step), up to ${FULL.rounds} rounds each or until each has run ${FULL.enough} s; a rate is the best round, ` +
      "the least disturbed by other work on the machine. " +
      `**PyTorch** (${torchVersion ? `torch ${torchVersion}` : "not installed on this run: `apt-get install python3-torch`"}) is \`bench/pytorch.py\` in a python3 child process whose rounds alternate with ours: ` +
      "stacks of `nn.TransformerEncoderLayer` (and `nn.TransformerDecoderLayer`) with post-LayerNorm (`norm_first=False`), LayerNorm ε 1e-5, ReLU and no dropout, the same sizes, batch and Adam with clipping; " +
      "gpt's decoder-only layers are `nn.TransformerEncoderLayer` under a causal mask and the `<pad>` key mask, which is GPT-1's Post-LN layer; " +
      "attention has no biases (`nn.MultiheadAttention(bias=False)`), as ours has none, so both models have the same parameters (the bench checks the counts); " +
      "float64, `torch.set_num_threads(1)`; its initial weights are its own. " +
      "**Product GFLOP/s** is 2 × the multiply-adds of one step's matrix products (counted by a kernel that tallies each product) times the WASM steps per second: " +
      "the rest of the step (softmax, LayerNorm, Adam) is left out, so it understates the arithmetic rate. " +
      `**Of peak** compares it with ${peakGflops.toFixed(1)} GFLOP/s, the best rate (timed before and after each row) of a tight loop of independent f64x2 multiplies and adds in WebAssembly ` +
      "(`bench/peak.wat`), which is the most our kernel's instructions can do on this core. The core itself can do more: " +
      `its /proc/cpuinfo lists ${cpuVectorFlags().join(", ") || "no vector flags"}, and fused multiply-adds on wider vectors are not in baseline WebAssembly SIMD.`,
    "",
    table(rows, peakGflops),
  ];
  const verdict = presetVerdict(rows);
  if (verdict) parts.push("", verdict);
  if (profiles.length > 0) {
    parts.push("", "### Where the time goes", "");
    parts.push(profiles.map((p) => profileParagraph(p.cell, p.profile)).join("\n\n"));
  }
  parts.push("<!-- /bench:train -->");
  return parts.join("\n");
}

const DOC = path.join(__dirname, "..", "docs", "benchmarks.md");
const START = "<!-- bench:train -->";
const END = "<!-- /bench:train -->";

/** Replaces our section of docs/benchmarks.md, keeping everything else. */
function writeSection(text: string): void {
  const old = fs.existsSync(DOC) ? fs.readFileSync(DOC, "utf8") : "# Benchmarks\n";
  const from = old.indexOf(START);
  const to = old.indexOf(END);
  const updated = from >= 0 && to > from ? old.slice(0, from) + text + old.slice(to + END.length) : `${old.trimEnd()}\n\n${text}\n`;
  fs.mkdirSync(path.dirname(DOC), { recursive: true });
  fs.writeFileSync(DOC, updated);
}

function parseArgs(argv: string[]): { quick: boolean; only?: string[] } {
  let quick = false;
  let only: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--quick") quick = true;
    else if (argv[i] === "--only") {
      const names = (argv[++i] ?? "").split(",").filter(Boolean);
      const unknown = names.filter((n) => !NAMES.includes(n));
      if (names.length === 0 || unknown.length > 0) {
        throw new Error(`--only needs row names from: ${NAMES.join(", ")}${unknown.length ? `; unknown: ${unknown.join(", ")}` : ""}`);
      }
      only = [...(only ?? []), ...names];
    } else throw new Error(`unknown argument ${argv[i]}; use --quick and --only NAME[,NAME]`);
  }
  return { quick, only };
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const budget = quick ? QUICK : FULL;
  await useTfCpu();
  const found = findPytorch();
  if (!found) console.error(PYTORCH_MISSING);
  const torch = found ? new PyTorch(found.python) : undefined;
  const torchVersion = found?.version;
  const rows: Row[] = [];
  let peakGflops = await wasmSimdPeakGflops();
  for (const name of NAMES.filter((n) => !only || only.includes(n))) {
    const cell = makeCell(name);
    process.stderr.write(`${name}: `);
    const row = await measure(cell, budget, torch);
    // The peak is timed between rows and the best kept: a single timing on a loaded machine can fall below what a row achieved.
    peakGflops = Math.max(peakGflops, await wasmSimdPeakGflops());
    process.stderr.write(
      `ours ${rate(row.ours.stepsPerSecond)}/s (${row.ours.steps} steps), JS kernel ${rate(row.oursJs.stepsPerSecond)}/s, tfjs ${rate(row.tfjs.stepsPerSecond)}/s (${row.tfjs.steps} steps), PyTorch ${row.pytorch ? `${rate(row.pytorch.stepsPerSecond)}/s` : row.pytorchNote}\n`,
    );
    rows.push(row);
  }
  torch?.close();
  const profiles: { cell: Cell; profile: Profile }[] = [];
  for (const profiled of rows.filter((r) => PROFILED.includes(r.cell.name))) {
    process.stderr.write(`profiling our step at ${profiled.cell.name}\n`);
    profiles.push({ cell: profiled.cell, profile: await profileOurStep(profiled.cell, budget) });
  }
  const text = section(rows, profiles, peakGflops, torchVersion);
  console.log(text);
  if (quick || only) console.error("\n(--quick or --only: docs/benchmarks.md left as it was)");
  else {
    writeSection(text);
    console.error(`\nwrote ${path.relative(process.cwd(), DOC)}`);
  }
}

main()
  .then(() => benchFunctions(process.argv.slice(2)))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
