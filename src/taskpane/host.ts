/**
 * What the task pane asks of the workbook, as a port: the controller talks
 * to a Host, and ExcelHost is the one that reaches Excel, through Excel.run
 * and src/excel. Tests hand the same ExcelHost a recording fake's `run`.
 */
import {
  appendLog,
  applyPlan,
  ExcelParamStore,
  restoreDice,
  writeDice,
  LOG_NAME,
  officeRequirements,
  officeRun,
  readMeta,
  readNamed,
  selectBlock,
  writeGradients,
} from "../excel";
import { actualName, type NameMap } from "../excel/owned";
import { attentionAt, readAttention, watchWorkbook } from "../excel/attention-read";
import { locateSelection, readAreas, selectArea, type SheetArea } from "../excel/explain-read";
import { readCells, readSelection, type CellsRead } from "../excel/selection";
import type { AttentionRead, AttentionTarget, WorkbookListeners } from "../excel/attention-read";
import type { ApplyReport, DiceWrite, ExcelRun, RequirementChecker, WorkbookMeta } from "../excel";
import type { SheetRange } from "../excel/address";
import type { ModelSnapshot } from "../functions/model-source";
import type { ModelConfig, Params } from "../model/config";
import { dataColumns } from "../model/presets";
import type { TrainingLogRow } from "../sheet/build";
import type { WorkbookPlan } from "../sheet/plan";
import { TRAIN_LOG_COLUMNS, trainLogColumn } from "../sheet/train-log";
import type { CellEdit, ParamStore } from "../train/store";
import type { AttentionSource } from "./attention-panel";
import type { ExplainSource } from "./explain-panel";
import { LateSyncs } from "./late-syncs";

/** The metadata the pane stores with a build; the adapter adds the sheet mapping. */
export type BuildMeta = Omit<WorkbookMeta, "sheets">;

/** A block of the Data sheet: its words ("" for an empty cell) and where it sits, to name a cell in a message. */
export interface DataBlock {
  words: string[][];
  range: SheetRange;
}

export interface Host {
  build(plan: WorkbookPlan, meta: BuildMeta, onStatus: (message: string) => void): Promise<ApplyReport>;
  store(config: ModelConfig): ParamStore;
  /** Data_Source and Data_Target, checked to have the widths the model needs, and the Vocab block the sheets' formulas look words up in. */
  /** Data_Target is absent for a decoder-only model: its targets are the texts' next tokens. */
  readData(config: ModelConfig): Promise<{ source: DataBlock; target?: DataBlock; vocab: DataBlock }>;
  appendLog(rows: readonly TrainingLogRow[]): Promise<{ warnings: string[] }>;
  /** The largest step number in the Training sheet's log (0 when it is empty), so numbering goes on after a restart. */
  lastLoggedStep(): Promise<number>;
  writeGradients(grads: Params): Promise<{ sheet: string; warnings: string[] }>;
  select(key: string): Promise<void>;
  /** Decoder-only: `dice` into the Dice block, and what they replaced. */
  writeDice(dice: readonly number[]): Promise<DiceWrite>;
  /** Puts back what `w` replaced, except cells changed since, which are returned. */
  restoreDice(w: DiceWrite): Promise<CellEdit[]>;
  readMeta(): Promise<WorkbookMeta | undefined>;
  /** `listener(true)` once Excel has not answered for `ms`, `listener(false)` when it has. */
  onWaiting(ms: number, listener: (waiting: boolean) => void): void;
  /** The selected block ("Use selection"), and `ours` when it is on a sheet the add-in wrote: read only, never written. */
  readSelection(): Promise<CellsRead & { ours: boolean }>;
  /** The values of cells picked earlier, as they are now. */
  readCells(range: SheetRange): Promise<unknown[][]>;
}

const words = (values: unknown[][]): string[][] =>
  values.map((row) => row.map((v) => (v === null || v === undefined || v === "" ? "" : String(v).trim())));

export class ExcelHost implements Host, AttentionSource, ExplainSource {
  /** Public block name → workbook name, from the last build or settings read: every read and write below goes through it. */
  private names?: NameMap;
  private readonly late = new LateSyncs();
  private readonly run: ExcelRun;

  constructor(
    run: ExcelRun = officeRun(),
    private readonly requirements: RequirementChecker = officeRequirements(),
  ) {
    this.run = this.late.watch(run);
  }

  onWaiting(ms: number, listener: (waiting: boolean) => void): void {
    this.late.listen(ms, listener);
  }

  async build(plan: WorkbookPlan, meta: BuildMeta, onStatus: (message: string) => void): Promise<ApplyReport> {
    const report = await this.run((context) => applyPlan(context, plan, { meta, onStatus, requirements: this.requirements }));
    this.names = report.names;
    return report;
  }

  store(config: ModelConfig): ParamStore {
    return new ExcelParamStore(config, this.run, undefined, this.names);
  }

  readData(config: ModelConfig): Promise<{ source: DataBlock; target?: DataBlock; vocab: DataBlock }> {
    const columns = dataColumns(config);
    return this.run(async (context) => {
      const read = await readNamed(context, [
        { name: actualName(this.names, "Data_Source"), cols: columns.source },
        ...(columns.target > 0 ? [{ name: actualName(this.names, "Data_Target"), cols: columns.target }] : []),
        { name: actualName(this.names, "Vocab"), rows: config.vocabSize, cols: 1 },
      ]);
      const block = (b: (typeof read)[number]): DataBlock => ({ words: words(b.values), range: b.range });
      const [source, vocab] = [read[0], read[read.length - 1]];
      return { source: block(source), target: columns.target > 0 ? block(read[1]) : undefined, vocab: block(vocab) };
    });
  }

  async appendLog(rows: readonly TrainingLogRow[]): Promise<{ warnings: string[] }> {
    const report = await this.run((context) => appendLog(context, rows, { names: this.names }));
    return { warnings: report.warnings };
  }

  lastLoggedStep(): Promise<number> {
    return this.run(async (context) => {
      const [log] = await readNamed(context, [{ name: actualName(this.names, LOG_NAME), cols: TRAIN_LOG_COLUMNS.length }]);
      const j = trainLogColumn("step");
      return log.values.reduce<number>((most, row) => (typeof row[j] === "number" && row[j] > most ? row[j] : most), 0);
    });
  }

  async writeGradients(grads: Params): Promise<{ sheet: string; warnings: string[] }> {
    const report = await this.run((context) => writeGradients(context, grads, { requirements: this.requirements }));
    return { sheet: report.sheet, warnings: report.warnings };
  }

  select(key: string): Promise<void> {
    return this.run((context) => selectBlock(context, key, this.names));
  }

  writeDice(dice: readonly number[]): Promise<DiceWrite> {
    return this.run((context) => writeDice(context, dice, this.names));
  }

  restoreDice(w: DiceWrite): Promise<CellEdit[]> {
    return this.run((context) => restoreDice(context, w, this.names));
  }

  readSelection(): Promise<CellsRead & { ours: boolean }> {
    return this.run(async (context) => {
      const read = await readSelection(context);
      // Settings that cannot be read name no sheet as ours; their sheet is very hidden, and so cannot be selected.
      const meta = await readMeta(context).catch(() => undefined);
      const ours = meta?.created?.sheets ?? Object.values(meta?.sheets ?? {});
      return { ...read, ours: ours.some((s) => s.toLowerCase() === read.range.sheet.toLowerCase()) };
    });
  }

  readCells(range: SheetRange): Promise<unknown[][]> {
    return this.run((context) => readCells(context, range));
  }

  async readMeta(): Promise<WorkbookMeta | undefined> {
    const meta = await this.run((context) => readMeta(context));
    this.names = meta?.names;
    return meta;
  }

  readAttention(config: ModelConfig, target: AttentionTarget): Promise<AttentionRead> {
    return this.run((context) => readAttention(context, config, target, this.names));
  }

  attentionAt(
    targets: readonly AttentionTarget[],
    worksheetId: string,
    address: string,
  ): Promise<{ block: string; head: number } | undefined> {
    return this.run((context) => attentionAt(context, targets, worksheetId, address, this.names));
  }

  watchWorkbook(listeners: WorkbookListeners): Promise<void> {
    return this.run((context) => watchWorkbook(context, listeners));
  }

  locateSelection(worksheetId: string): Promise<{ sheet: string; names: Map<string, SheetRange> }> {
    return this.run((context) => locateSelection(context, worksheetId));
  }

  readAreas(areas: readonly SheetArea[]): Promise<unknown[][][]> {
    return this.run((context) => readAreas(context, areas));
  }

  selectArea(area: SheetArea): Promise<void> {
    return this.run((context) => selectArea(context, area));
  }

  nameOf(publicName: string): string {
    return actualName(this.names, publicName);
  }

  /** The workbook's model for ATTN.GENERATE: its settings and its weights, read by name; undefined when there is none. */
  async readModel(): Promise<ModelSnapshot | undefined> {
    const meta = await this.readMeta();
    return meta && { config: meta.config, params: await this.store(meta.config).read(), vocab: meta.vocab };
  }
}
