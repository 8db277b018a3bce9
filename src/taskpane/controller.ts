/**
 * The task pane without its DOM: the state the view shows, the checks on
 * what the user typed, and every action (build, train, cancel, undo, reset,
 * the tour) as calls into a Host. Runs in node against a fake workbook.
 *
 * Nothing is lost without a way back: each training run, each reset and
 * each roll of the dice goes on one undo stack, newest last. A run is undone
 * by its TrainingSession (weights, optimizer state and step count); a reset
 * by writing back the weights it replaced and returning to the session it
 * interrupted; a roll by writing back the Dice cells it replaced.
 */
import { StateStore } from "./state-store";
import type { DiceWrite, WorkbookMeta } from "../excel";
import { WorkbookError } from "../excel/errors";
import { initParams, ModelConfig, Params } from "../model/config";
import { fromRows } from "../model/matrix";
import { rollDice } from "../model/generate";
import { EncodedExample } from "../model/transformer";
import { buildWorkbookPlan, type FormulaStyle, TrainingLogRow } from "../sheet/build";
import { SHEET_KINDS } from "../sheet/kinds";
import { RunReport, TrainingSession } from "../train/session";
import type { EngineFactory } from "../train/engine";
import { nextTask } from "../train/next-task";
import { EditedDuringRunError, type ParamStore } from "../train/store";
import { encodeData, sheetVocab, TokenIndex } from "./data";
import { BuildFields, checkBuild, checkSeed, checkTrain, FieldErrors, TrainFields } from "./forms";
import type { Host } from "./host";
import { embeddingFromCells, embeddingShapeProblem, LinkedEmbedding, LinkedSentence, sentenceFromCells } from "./selection";
import { TourStep, tourSteps } from "./tour";
import type { Layout } from "./explain-panel";
import { messageOf, t } from "../i18n";

export type Tone = "info" | "ok" | "warn" | "error";
export type Busy = "build" | "train" | "undo" | "reset" | "dice" | "select";

export interface ModelInfo {
  preset: string;
  config: ModelConfig;
  /** The vocabulary in id order, specials first: words as typed in cells, shown as text, never as markup. */
  vocab: readonly string[];
  /** The seed of the first weights, when the workbook recorded it. */
  seed?: number;
  /** The formula style it was built in, when the workbook recorded it (WorkbookMeta.style: absent reads as "cells"). */
  style?: FormulaStyle;
  /** Planned sheet name → its name in this workbook ("Encoder" → "Encoder (2)"), as the settings or the build say. */
  sheets?: Record<string, string>;
}

export interface PaneState {
  /** `outside`: not in Excel, every workbook action is off. */
  mode: "starting" | "outside" | "ready";
  busy?: Busy;
  status: { text: string; tone: Tone };
  /** Extra lines under the status: how to open the pane, or a list of problems. */
  details: string[];
  errors: FieldErrors;
  model?: ModelInfo;
  progress?: { done: number; total: number };
  metrics?: { step: number; loss: number; accuracy: number };
  /** The loss at the start of the last run, to show how far it moved. */
  firstLoss?: number;
  /** What Undo would bring back (weights, or the dice before a roll), or undefined when there is nothing to undo. */
  undo?: string;
  /** The Undo button's words for what it would undo: "Undo training", or "Undo the roll" after "Roll the dice". */
  undoLabel: string;
  confirmingReset: boolean;
  /** `index` −1: the tour has not started. */
  tour: { index: number; steps: TourStep[] };
  warnings: string[];
  /** The plan of this session's last build and where its sheets went, for "Explain this cell". */
  layout?: Layout;
  /** The user's cells that Build takes ("Use selection"): the sentence's, and the embedding's with its shape. */
  linked: { sentence?: string; embedding?: { where: string; rows: number; cols: number } };
}

export interface ControllerOptions {
  /** Write the weights every this many steps of a run, so the heat maps move while it trains (default 5). */
  writeEvery?: number;
  /** How many runs and resets can be undone (default 20). */
  undoDepth?: number;
  /** After this many milliseconds without an answer from Excel, the pane says it is waiting (default 3000). */
  waitNoticeMs?: number;
  /** Where training's arithmetic runs: the pane passes a Web Worker's engine; default on this thread. */
  engine?: EngineFactory;
  /** The seed of each press of "Roll the dice" (default: a fresh random one from crypto.getRandomValues). */
  diceSeed?: () => number;
}

/**
 * A new random seed for each press, from the browser's random source: a
 * seed rather than raw random numbers, so that the status can name it and
 * `npm run workbook -- --dice-seed N` writes the same dice.
 */
function freshSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

/**
 * Shown while a batch has no answer: Excel holds it while the user types in
 * a cell (every Excel.run of ours passes delayForCellEdit, and on Windows
 * clicking the pane does not end cell-edit mode, office-js #806), and on the
 * web the first sync can wait until a workbook full of custom functions has
 * calculated.
 */
export const waitingForExcel = (): string => t().status.waiting;

/** Steps to open the pane in Excel, shown as a numbered list outside Office. */
export const outsideHelp = (): string[] => t().status.outsideHelp;

/** A session and the store it trains through, which notes each read and keeps the last weights written. */
interface Trainer {
  key: string;
  session: TrainingSession;
  store: WatchedStore;
}

type Entry = { kind: "run"; trainer: Trainer; stepBefore: number; steps: number } | ResetEntry | { kind: "dice"; write: DiceWrite };
type ResetEntry = { kind: "reset"; params: Params; config: ModelConfig; trainer?: Trainer; stepBefore: number; seed: number };

/** Counts reads, so a run that failed after reading the weights still gets an undo entry. */
class WatchedStore implements ParamStore {
  reads = 0;

  constructor(private readonly inner: ParamStore) {}

  async read(): Promise<Params> {
    const p = await this.inner.read();
    this.reads += 1;
    return p;
  }

  write(params: Params): Promise<void> {
    return this.inner.write(params);
  }
}

const fmtLoss = (x: number) => x.toFixed(4);
const fmtAccuracy = (x: number) => `${(100 * x).toFixed(1)}%`;

export class Controller extends StateStore<PaneState> {
  private readonly writeEvery: number;
  private readonly undoDepth: number;
  /** What the status said when the waiting notice replaced it. */
  private beforeNotice?: Pick<PaneState, "status" | "details">;
  /** Warnings from outside an action (the training worker could not start), kept with the warnings of the run they came in. */
  private outsideWarnings: string[] = [];
  /** How many actions have begun, so that start() sees one begun while it waited. */
  private actions = 0;
  private readonly engine?: EngineFactory;
  private readonly diceSeed: () => number;
  private history: Entry[] = [];
  /** The user's cells picked with "Use selection", taken by the next Build. */
  private sentenceCells?: LinkedSentence;
  private embeddingCells?: LinkedEmbedding;
  private trainer?: Trainer;
  private abort?: AbortController;
  /** The step the weights in the workbook have reached, as the Training log numbers them; read from the log once. */
  private step?: number;

  constructor(
    private readonly host?: Host,
    options: ControllerOptions = {},
  ) {
    super({
      mode: "starting",
      status: { text: t().status.loadingOffice, tone: "info" },
      details: [],
      errors: {},
      confirmingReset: false,
      undoLabel: t().status.undoTraining,
      tour: { index: -1, steps: [] },
      warnings: [],
      linked: {},
    });
    this.writeEvery = options.writeEvery ?? 5;
    this.undoDepth = options.undoDepth ?? 20;
    this.engine = options.engine;
    this.diceSeed = options.diceSeed ?? freshSeed;
    host?.onWaiting(options.waitNoticeMs ?? 3000, (waiting) => this.waiting(waiting));
  }

  /** The status the waiting notice replaced comes back with Excel's answer, unless something newer was said meanwhile. */
  private waiting(waiting: boolean): void {
    if (waiting) {
      this.beforeNotice = { status: this.current.status, details: this.current.details };
      this.status(waitingForExcel(), "info");
    } else if (this.beforeNotice && this.current.status.text === waitingForExcel()) {
      this.set(this.beforeNotice);
    }
  }

  private status(text: string, tone: Tone, details: string[] = []): void {
    this.set({ status: { text, tone }, details });
  }

  private fail(e: unknown, what: string): void {
    if (e instanceof WorkbookError) this.status(`${what}:`, "error", e.problems);
    else this.status(`${what}: ${messageOf(e)}`, "error");
  }

  /** Shows `text` with the warnings now, and with those of the run under way when it ends. */
  warn(text: string): void {
    this.outsideWarnings.push(text);
    this.set({ warnings: [...this.current.warnings, text] });
  }

  /** Not in Excel: say how to get there; every workbook action stays off. */
  outside(reason: string): void {
    this.set({ mode: "outside", status: { text: t().status.openFromExcel(reason), tone: "info" }, details: outsideHelp() });
  }

  /** In Excel: look for a model built earlier in this workbook. */
  async start(): Promise<void> {
    const T = t().status;
    if (!this.host) return this.outside(T.noWorkbook);
    this.set({ mode: "ready" });
    this.status(T.looking, "info");
    const actions = this.actions;
    try {
      const meta = await this.host.readMeta();
      // Build is on while this waits: an action begun meanwhile says, and reads, what is newer.
      if (this.actions !== actions) return;
      if (meta) {
        this.setModel(meta);
        this.status(T.found(meta.preset), "ok");
      } else {
        this.status(T.ready, "ok");
      }
    } catch (e) {
      if (this.actions === actions) this.fail(e, T.readFailed);
    }
  }

  private setModel(
    meta: Pick<WorkbookMeta, "preset" | "config" | "vocab" | "seed"> & Partial<Pick<WorkbookMeta, "sheets" | "style">>,
  ): void {
    const before = this.current.model;
    const same = before && JSON.stringify(before.config) === JSON.stringify(meta.config);
    const sheets = meta.sheets ?? (same ? before.sheets : undefined);
    const { preset, config, seed, style } = meta;
    this.set({
      model: { preset, config, vocab: [...meta.vocab], seed, ...(style ? { style } : {}), ...(sheets ? { sheets } : {}) },
      tour: same ? this.current.tour : { index: -1, steps: tourSteps(meta.config) },
    });
  }

  private begin(busy: Busy): boolean {
    if (this.current.mode !== "ready" || this.current.busy) return false;
    this.actions += 1;
    this.set({ busy, errors: {}, confirmingReset: false });
    return true;
  }

  /**
   * "Use selection": the selected cells become the sentence (one row or column of words) or the embedding (numbers),
   * taken by the next Build. Only reads the workbook; `fields` are the Build form's, to say what shape the embedding
   * needs.
   */
  async useSelection(as: "sentence" | "embedding", fields?: BuildFields): Promise<void> {
    if (!this.host || !this.begin("select")) return;
    try {
      this.status(t().selection.reading, "info");
      const read = await this.host.readSelection();
      if (read.ours) throw new WorkbookError([t().selection.ourSheet(read.range.sheet)]);
      if (as === "sentence") {
        const s = sentenceFromCells(read.values, read.range);
        this.sentenceCells = s;
        this.set({ linked: { ...this.current.linked, sentence: s.where } });
        const trailing = s.trailing > 0 ? t().selection.trailing(s.trailing) : "";
        this.status(t().selection.sentencePicked(s.words.length, s.where, trailing), "ok");
      } else {
        const e = embeddingFromCells(read.values, read.range);
        this.embeddingCells = e;
        const shape = { where: e.where, rows: e.values.length, cols: e.values[0]?.length ?? 0 };
        this.set({ linked: { ...this.current.linked, embedding: shape } });
        const checked = fields && checkBuild(fields, this.sentenceCells?.words);
        const expected = checked?.ok ? t().selection.embeddingExpects(checked.value.config.vocabSize, checked.value.config.dModel) : "";
        this.status(t().selection.embeddingPicked(shape.rows, shape.cols, e.where, expected), "ok");
      }
    } catch (e) {
      this.fail(e, as === "sentence" ? t().selection.useSentence : t().selection.useEmbedding);
    } finally {
      this.set({ busy: undefined });
    }
  }

  /** Build goes back to the Sentence field, or to a drawn embedding. */
  forgetSelection(which: "sentence" | "embedding"): void {
    if (this.current.busy) return;
    if (which === "sentence") this.sentenceCells = undefined;
    else this.embeddingCells = undefined;
    this.set({ linked: { ...this.current.linked, [which]: undefined } });
  }

  /** The picked sentence as its cells are now: the user may have edited them since picking. */
  private async linkedSentence(): Promise<LinkedSentence | undefined> {
    const picked = this.sentenceCells;
    if (!picked) return undefined;
    let values: unknown[][];
    try {
      values = await this.host!.readCells(picked.range);
    } catch (e) {
      throw new WorkbookError([t().selection.rereadFailed(picked.where, messageOf(e))]);
    }
    return sentenceFromCells(values, picked.range);
  }

  async build(fields: BuildFields): Promise<void> {
    if (!this.host || !this.begin("build")) return;
    const T = t().status;
    try {
      const linked = await this.linkedSentence();
      const checked = checkBuild(fields, linked?.words);
      if (!checked.ok) {
        this.set({ errors: checked.errors });
        this.status(T.checkFields, "error");
        return;
      }
      const { preset, task, config, sentence, seed, style, added } = checked.value;
      const embedding = this.embeddingCells;
      const misfit = embedding && embeddingShapeProblem(embedding, config);
      if (misfit) throw new WorkbookError([misfit]);
      const params = initParams(config, seed);
      if (embedding) params.Embedding = fromRows(embedding.values, t().selection.embeddingLabel);
      this.status(T.computing, "info");
      const plan = buildWorkbookPlan({
        preset: preset.name,
        description: preset.description,
        config,
        vocab: task.vocab,
        params,
        sentence,
        ...(linked ? { sentenceCells: { sheet: linked.range.sheet, where: linked.where, cells: linked.cells } } : {}),
        ...(embedding ? { embeddingFrom: embedding.where } : {}),
        // As `npm run workbook` rolls them when --dice-seed is not given: from the build's seed (a kind without generation has no Dice).
        dice: rollDice(seed, config.sourceLen),
        examples: task.train,
        switches: preset.name === "seed",
        style,
        // Built by the add-in, so ATTN.* can recompute the per-cell blocks beside them.
        check: true,
      });
      const meta = { preset: preset.name, config, vocab: [...task.vocab.tokens], seed, style };
      const report = await this.host.build(plan, meta, (m) => this.status(m, "info"));
      // A new model: earlier snapshots belong to the sheets it replaced (which stay in the workbook, untouched).
      this.history = [];
      this.startOver();
      const sheets = Object.fromEntries(report.sheets.map((s) => [s.planned, s.actual]));
      this.setModel({ ...meta, sheets });
      this.set({
        layout: { plan, sheets },
        warnings: report.warnings,
        progress: undefined,
        metrics: undefined,
        firstLoss: undefined,
        ...this.undoState(),
      });
      this.status(T.built(report.sheets.length, preset.name, style === "cells"), "ok", [
        ...(linked
          ? [t().selection.builtLinked(linked.where), added.length > 0 ? t().selection.added(added) : t().selection.allKnown]
          : []),
        ...(embedding ? [t().selection.builtEmbedding(embedding.where)] : []),
      ]);
    } catch (e) {
      this.fail(e, T.buildFailed);
    } finally {
      this.set({ busy: undefined });
    }
  }

  /** `steps` overrides the Steps field ("Train step" passes 1). */
  async train(fields: TrainFields, steps?: number): Promise<void> {
    if (!this.host || !this.begin("train")) return;
    const abort = new AbortController();
    this.abort = abort;
    let trainer: Trainer | undefined;
    let stepBefore = 0;
    let sessionBefore = 0;
    let pushed = false;
    const T = t().status;
    try {
      this.status(T.reading, "info");
      const meta = await this.host.readMeta();
      if (!meta) throw new WorkbookError([T.noModel]);
      this.setModel(meta);
      const checked = checkTrain(fields, meta.preset, steps);
      if (!checked.ok) {
        this.set({ errors: checked.errors });
        this.status(T.checkFields, "error");
        return;
      }
      const { config } = meta;
      const data = await this.host.readData(config);
      // The words the sheets' formulas use: the Vocab block as it is now, hand edits included.
      const vocab = sheetVocab(data.vocab);
      this.setModel({ ...meta, vocab });
      const examples = encodeData(data, config, new TokenIndex(vocab));
      this.step ??= await this.host.lastLoggedStep();
      stepBefore = this.step;
      trainer = this.trainerFor(config, checked.value.optimizer, examples);
      sessionBefore = trainer.session.stepCount;
      if (abort.signal.aborted) {
        this.status(T.cancelledBefore, "info");
        return;
      }

      const total = checked.value.steps;
      const rows: TrainingLogRow[] = [];
      const t0 = performance.now();
      trainer.store.reads = 0;
      this.set({ progress: { done: 0, total }, firstLoss: undefined });
      const live = total > this.writeEvery ? T.liveWrites(this.writeEvery) : "";
      this.status(T.training(total, live), "info");
      const report = await trainer.session.run(total, {
        signal: abort.signal,
        writeEvery: this.writeEvery,
        onProgress: (p) => {
          const step = stepBefore + p.done;
          rows.push({ step, loss: p.loss, accuracy: p.accuracy, seconds: (performance.now() - t0) / 1000 });
          this.set({
            progress: { done: p.done, total },
            metrics: { step, loss: p.loss, accuracy: p.accuracy },
            firstLoss: this.current.firstLoss ?? p.loss,
          });
        },
      });
      this.pushHistory({ kind: "run", trainer, stepBefore, steps: report.steps });
      pushed = true;
      this.step = stepBefore + report.steps;
      if (report.lastLoss !== undefined && report.accuracy !== undefined) {
        this.set({ metrics: { step: this.step, loss: report.lastLoss, accuracy: report.accuracy } });
      }
      // The log and the Gradients sheet are big writes of their own: let the pane show the run's result first.
      await nextTask();
      const warnings = [...this.outsideWarnings.splice(0), ...(await this.afterRun(rows.slice(0, report.steps), report.gradients))];
      this.set({ warnings });
      this.reportRun(report, total, warnings.length > 0);
    } catch (e) {
      // A run that read the weights has left a snapshot in its session: keep it undoable, with the steps the workbook took
      // (a user's edit stops the run at a write that stored every other cell, so that step counts).
      if (trainer && !pushed && trainer.store.reads > 0) {
        const kept = trainer.session.stepCount - sessionBefore;
        this.step = stepBefore + kept;
        this.pushHistory({ kind: "run", trainer, stepBefore, steps: kept });
      }
      if (e instanceof EditedDuringRunError) this.status(EditedDuringRunError.describe(e.edits, this.step), "error");
      else this.fail(e, T.trainingStopped);
    } finally {
      this.abort = undefined;
      this.outsideWarnings = [];
      this.set({ busy: undefined });
    }
  }

  /** The session for this model, optimizer and data; a new one (fresh optimizer state) when any of them changed. */
  private trainerFor(config: ModelConfig, optimizer: TrainingSession["optimizer"], examples: EncodedExample[]): Trainer {
    const key = JSON.stringify({ config, optimizer, data: examples.map((e) => [e.source, e.target]) });
    if (this.trainer?.key === key) return this.trainer;
    // The old session stays on the undo stack, which needs only its store; its engine (a worker) goes.
    this.trainer?.session.release();
    const store = new WatchedStore(this.host!.store(config));
    this.trainer = {
      key,
      store,
      session: new TrainingSession({ store, config, train: examples, optimizer, undoDepth: this.undoDepth, engine: this.engine }),
    };
    return this.trainer;
  }

  /**
   * Appends the run to the log and writes the last step's gradients; what
   * went wrong becomes warnings, since the weights are already saved.
   */
  private async afterRun(rows: TrainingLogRow[], gradients: Params | undefined): Promise<string[]> {
    const warnings: string[] = [];
    if (rows.length === 0) return warnings;
    const T = t().status;
    this.status(T.writingLog, "info");
    try {
      warnings.push(...(await this.host!.appendLog(rows)).warnings);
    } catch (e) {
      warnings.push(T.logFailed(messageOf(e)));
    }
    if (gradients) {
      try {
        warnings.push(...(await this.host!.writeGradients(gradients)).warnings);
      } catch (e) {
        warnings.push(T.gradientsFailed(messageOf(e)));
      }
    }
    return warnings;
  }

  private reportRun(r: RunReport, total: number, warned: boolean): void {
    const T = t().status;
    const tone: Tone = r.stopped === "diverged" ? "error" : warned ? "warn" : "ok";
    const moved = r.firstLoss !== undefined && r.lastLoss !== undefined ? T.moved(fmtLoss(r.firstLoss), fmtLoss(r.lastLoss)) : "";
    const accuracy = r.accuracy !== undefined ? T.accuracy(fmtAccuracy(r.accuracy)) : ".";
    const after = `${moved}${moved ? accuracy : ""}`;
    if (r.stopped === "diverged") {
      this.status(r.message ?? T.diverged, tone);
    } else if (r.cancelled) {
      this.status(`${T.cancelled(r.steps, total, this.step!)}${after}`, tone);
    } else {
      this.status(`${T.trained(r.steps, (r.elapsedMs / 1000).toFixed(1))}${after}`, tone);
    }
  }

  cancel(): void {
    this.abort?.abort();
  }

  private pushHistory(entry: Entry): void {
    this.history.push(entry);
    if (this.history.length > this.undoDepth) this.history.shift();
    this.set(this.undoState());
  }

  private undoState(): Pick<PaneState, "undo" | "undoLabel"> {
    const top = this.history[this.history.length - 1];
    const T = t().status;
    return { undo: this.undoText(), undoLabel: top?.kind === "dice" ? T.undoRoll : T.undoTraining };
  }

  private undoText(): string | undefined {
    const T = t().status;
    const top = this.history[this.history.length - 1];
    if (!top) return undefined;
    if (top.kind === "dice") return T.undoDice(top.write.where);
    if (top.kind === "reset") return T.undoReset(top.stepBefore);
    return T.undoRun(top.steps, top.stepBefore);
  }

  /** The language changed (the pane's switch): the tour and the Undo button are told again in it; what was said stays said. */
  relanguage(): void {
    const m = this.current.model;
    this.set({ ...this.undoState(), tour: m ? { index: this.current.tour.index, steps: tourSteps(m.config) } : this.current.tour });
  }

  /** Restores the weights from before the last run or reset, or the dice from before the last roll; call again to walk further back. */
  async undo(): Promise<void> {
    const top = this.history[this.history.length - 1];
    if (!this.host || !top || !this.begin("undo")) return;
    const T = t().status;
    try {
      if (top.kind === "dice") return await this.undoRoll(top.write);
      this.status(T.restoring, "info");
      if (top.kind === "run") {
        await top.trainer.session.undo();
        this.trainer = top.trainer;
      } else {
        await this.host.store(top.config).write(top.params);
        this.trainer = top.trainer;
      }
      this.history.pop();
      this.step = top.stepBefore;
      this.set({ ...this.undoState(), metrics: undefined, progress: undefined, firstLoss: undefined });
      this.status(T.restored(top.kind === "run", top.stepBefore, this.history.length > 0), "ok");
    } catch (e) {
      if (e instanceof EditedDuringRunError) {
        this.status(T.undoKept(EditedDuringRunError.list(e.edits), e.edits.length === 1), "warn");
      } else this.fail(e, T.undoFailed);
    } finally {
      this.set({ busy: undefined });
    }
  }

  /** Puts back the Dice cells a roll replaced; a cell the user changed since the roll keeps the user's value. */
  private async undoRoll(write: DiceWrite): Promise<void> {
    const T = t().status;
    this.status(T.puttingBack, "info");
    const kept = await this.host!.restoreDice(write);
    this.history.pop();
    this.set(this.undoState());
    const again = this.history.length > 0 ? T.again : "";
    if (kept.length === 0) this.status(`${T.putBack(write.where)}${again}`, "ok");
    else this.status(`${T.putBackExcept(EditedDuringRunError.list(kept), kept.length === 1)}${again}`, "warn");
  }

  /**
   * Decoder-only: new values in the Dice cells, from a fresh seed, and the
   * values they replace on the undo stack. Nothing else in the workbook
   * changes: Temperature, Sampling_On and the prompt stay as the user left
   * them, and no other action of the pane writes the Dice cells.
   */
  async rollDice(): Promise<void> {
    const config = this.current.model?.config;
    if (!this.host || !config || !SHEET_KINDS[config.kind].generation || !this.begin("dice")) return;
    try {
      // One sync: the model the pane read at start or built; a block of another size (a workbook rebuilt elsewhere) is
      // refused by the write.
      const seed = this.diceSeed();
      const write = await this.host.writeDice(rollDice(seed, config.sourceLen));
      this.pushHistory({ kind: "dice", write });
      this.status(t().status.rolled(seed, write.where), "ok");
    } catch (e) {
      this.fail(e, t().status.rollFailed);
    } finally {
      this.set({ busy: undefined });
    }
  }

  /** "Reset weights" first asks; confirmReset does it. */
  requestReset(): void {
    if (this.current.mode !== "ready" || this.current.busy || !this.current.model) return;
    this.set({ confirmingReset: true });
  }

  cancelReset(): void {
    this.set({ confirmingReset: false });
  }

  /** Re-initialises every weight from `seedText`, after putting the current weights on the undo stack. */
  async confirmReset(seedText: string): Promise<void> {
    if (!this.host || !this.begin("reset")) return;
    const T = t().status;
    try {
      const seed = checkSeed(seedText);
      if (typeof seed === "string") {
        this.set({ errors: { seed } });
        this.status(T.checkSeed, "error");
        return;
      }
      const meta = await this.host.readMeta();
      if (!meta) throw new WorkbookError([T.noModel]);
      this.setModel(meta);
      const store = this.host.store(meta.config);
      this.status(T.savingForUndo, "info");
      const params = await store.read();
      this.step ??= await this.host.lastLoggedStep();
      const entry: ResetEntry = { kind: "reset", params, config: meta.config, trainer: this.trainer, stepBefore: this.step, seed };
      try {
        await store.write(initParams(meta.config, seed));
      } catch (e) {
        throw await this.putBack(store, entry, e);
      }
      this.resetDone(entry);
      this.set({ metrics: undefined, progress: undefined, firstLoss: undefined });
      this.status(T.resetDone(seed), "ok");
    } catch (e) {
      this.fail(e, T.resetFailed);
    } finally {
      this.set({ busy: undefined });
    }
  }

  private resetDone(entry: ResetEntry): void {
    this.pushHistory(entry);
    this.startOver();
  }

  /** New weights from elsewhere (a build, a reset): no session trains them yet (its worker goes), and the steps count from 0. */
  private startOver(): void {
    this.trainer?.session.release();
    this.trainer = undefined;
    this.step = 0;
  }

  /**
   * After a reset's write failed: Excel keeps the commands of a failed batch
   * that ran before the failing one, so some weights may be fresh. Writes
   * back the weights the reset replaced; if that fails too, the reset goes on
   * the undo stack so that Undo can try again. Returns the error to show.
   */
  private async putBack(store: ParamStore, entry: ResetEntry, e: unknown): Promise<unknown> {
    let outcome: string;
    try {
      await store.write(entry.params);
      outcome = t().status.resetPutBack;
    } catch {
      this.resetDone(entry);
      outcome = t().status.resetPartly;
    }
    return e instanceof WorkbookError ? new WorkbookError([...e.problems, outcome]) : new Error(`${messageOf(e)} ${outcome}`);
  }

  async tourNext(): Promise<void> {
    await this.tourGo(this.current.tour.index + 1);
  }

  async tourBack(): Promise<void> {
    await this.tourGo(this.current.tour.index - 1);
  }

  /** Goes to step `index` of the tour (from 0) and selects its block. */
  async tourGo(index: number): Promise<void> {
    const { steps } = this.current.tour;
    if (!this.host || this.current.mode !== "ready" || index < 0 || index >= steps.length) return;
    this.set({ tour: { index, steps } });
    try {
      await this.host.select(steps[index].key);
    } catch (e) {
      this.fail(e, t().status.couldNotShow(steps[index].key));
    }
  }
}
