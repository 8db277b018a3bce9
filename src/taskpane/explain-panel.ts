/**
 * "Explain this cell" without its DOM: it follows the selection in the
 * workbook, finds the block and entry in the plan, reads the cell and its
 * inputs (the sheet's name and the names in one sync, every value in one
 * more), and keeps the explanation on screen; it reads again when the
 * workbook recalculates, and selects an input when asked. Runs in node
 * against the fake workbook.
 */
import { StateStore } from "./state-store";
import type { SheetArea } from "../excel/explain-read";
import { gradientName } from "../excel/gradients";
import { selectionCorner, type WorkbookListeners } from "../excel/attention-read";
import type { SheetRange } from "../excel/address";
import { initParams } from "../model/config";
import { rollDice } from "../model/generate";
import { Vocab } from "../model/vocab";
import { buildWorkbookPlan } from "../sheet/build";
import { rangeAddress } from "../sheet/a1";
import type { PlanBlock, WorkbookPlan } from "../sheet/plan";
import { areaKey, explainCell, needs, PlanIndex, type Area, type CellAt, type Explanation } from "./explain";
import { messageOf, t } from "../i18n";

import type { ModelInfo } from "./controller";
import { tourSteps } from "./tour";

/** This module's texts in the language in use, read when shown. */
const T = () => t().explain;

/** What the panel needs of the workbook; ExcelHost provides it. */
export interface ExplainSource {
  locateSelection(worksheetId: string): Promise<{ sheet: string; names: Map<string, SheetRange> }>;
  readAreas(areas: readonly SheetArea[]): Promise<unknown[][][]>;
  selectArea(area: SheetArea): Promise<void>;
  /** The workbook name a public block name got (`X_AL` when the user had an `X`). */
  nameOf(publicName: string): string;
  watchWorkbook(listeners: WorkbookListeners): Promise<void>;
}

export interface ExplainState {
  explanation?: Explanation;
  /** What the pane says instead of (or while it reads) an explanation. */
  message: string;
  /** Why the last read failed; the last explanation stays on screen. */
  error?: string;
}

/** The plan a build wrote, with where its sheets went (planned → actual name). */
export interface Layout {
  plan: WorkbookPlan;
  sheets: Record<string, string>;
}

/**
 * The plan of a workbook built earlier, from its settings: blocks are placed
 * by the model's shape alone (not its weights, its sentence or its dice), so
 * this places them where that build did, and in its formula style, so each
 * block's description is that of the formulas the build wrote. The Data
 * sheet's rows are the user's, so its blocks are left out here.
 */
export function layoutOf(model: ModelInfo): WorkbookPlan {
  const { config } = model;
  return buildWorkbookPlan({
    preset: model.preset,
    description: "",
    config,
    vocab: new Vocab(model.vocab),
    params: initParams(config, model.seed ?? 1),
    sentence: [],
    examples: [],
    switches: model.preset === "seed",
    ...(config.kind === "decoder-only" ? { dice: rollDice(1, config.sourceLen) } : {}),
    style: model.style ?? "cells",
    check: true,
  });
}

/** A selection as the pane compares it: the sheet and the address Excel reports, without case. */
const ownKey = (sheet: string, address: string): string => `${sheet}!${address.replace(/\$/g, "")}`.toLowerCase();

export class ExplainPanel extends StateStore<ExplainState> {
  private model?: ModelInfo;
  private layout?: Layout;
  private index?: PlanIndex;
  /** The cell explained now (and the selection's sheet id), to read again after a recalculation. */
  private shown?: { at: CellAt; sheets: Record<string, string>; worksheetId: string };
  /** Each selection starts a read; only the newest one's result is shown. */
  private generation = 0;
  /** The area the pane itself just selected: Excel may report it as a selection, which must not replace the explanation. */
  private ownSelection?: string;
  private refreshing?: Promise<void>;
  private again = false;

  constructor(private readonly source: ExplainSource) {
    super({ message: T().noModel });
  }

  /**
   * The language changed (the pane's switch): the shown cell is explained again in it; with none shown, the panel says
   * again what to select.
   */
  relanguage(): void {
    if (this.shown) void this.refresh();
    else this.set({ explanation: undefined, error: undefined, message: this.model ? T().nothing : T().noModel });
  }

  /** Listens to the workbook from now on. */
  async start(): Promise<void> {
    await this.source.watchWorkbook({
      calculated: () => this.refresh(),
      selectionChanged: (id, address) => this.selected(id, address),
    });
  }

  /** The model the pane shows, and the plan of its build when this session made it. */
  follow(model: ModelInfo | undefined, layout?: Layout): void {
    if (model === this.model && layout === this.layout) return;
    const changed =
      JSON.stringify(model?.config) !== JSON.stringify(this.model?.config) || model?.style !== this.model?.style || layout !== this.layout;
    this.model = model;
    this.layout = layout;
    if (!changed) return;
    this.index = undefined;
    this.shown = undefined;
    this.set({ explanation: undefined, error: undefined, message: model ? T().nothing : T().noModel });
  }

  /** The plan's index and its sheet mapping: the build's own, or the settings' rebuilt once. */
  private plan(): { index: PlanIndex; sheets: Record<string, string> } | undefined {
    if (!this.model) return undefined;
    this.index ??= new PlanIndex(this.layout?.plan ?? layoutOf(this.model));
    return { index: this.index, sheets: this.layout?.sheets ?? this.model.sheets ?? {} };
  }

  async selected(worksheetId: string, address: string): Promise<void> {
    const generation = ++this.generation;
    const own = this.ownSelection;
    this.ownSelection = undefined;
    const plan = this.plan();
    if (!plan) return this.set({ explanation: undefined, message: T().noModel });
    try {
      const { sheet, names } = await this.source.locateSelection(worksheetId);
      if (own === ownKey(sheet, address)) return;
      const planned = Object.entries(plan.sheets).find(([, actual]) => actual.toLowerCase() === sheet.toLowerCase())?.[0] ?? sheet;
      const corner = selectionCorner(address);
      // The training log has the rows the trainer appended since the plan was made: its name says how many.
      const rowsNow = (b: PlanBlock): number | undefined => {
        const r = b.role === "log" ? names.get(this.source.nameOf(b.key).toLowerCase()) : undefined;
        return r && r.top === b.top && r.left === b.left && r.sheet.toLowerCase() === sheet.toLowerCase() ? r.rows : undefined;
      };
      const at = corner && plan.index.at(planned, corner.row, corner.col, rowsNow);
      if (generation !== this.generation) return;
      if (!at) {
        this.shown = undefined;
        return this.set({ explanation: undefined, error: undefined, message: T().notModel(`${sheet}!${address.split(/[,]/)[0]}`) });
      }
      this.shown = { at, sheets: plan.sheets, worksheetId };
      await this.read(generation, names);
    } catch (e) {
      if (generation === this.generation) this.set({ error: T().failed(messageOf(e)) });
    }
  }

  /**
   * Reads the explained cell again (the workbook recalculated, and training may have written the gradients). A burst
   * of calculations while a read is under way costs one more read, not one each.
   */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        await this.readAgain();
      } while (this.again);
      this.refreshing = undefined;
    })();
    return this.refreshing;
  }

  private async readAgain(): Promise<void> {
    if (!this.shown) return;
    const generation = ++this.generation;
    try {
      const { names } = await this.source.locateSelection(this.shown.worksheetId);
      await this.read(generation, names);
    } catch (e) {
      if (generation === this.generation) this.set({ error: T().failed(messageOf(e)) });
    }
  }

  private async read(generation: number, names: Map<string, SheetRange>): Promise<void> {
    const plan = this.plan();
    const shown = this.shown;
    if (!plan || !shown) return;
    const { at, sheets } = shown;
    const actual = (a: Area): SheetArea => ({ ...a, sheet: sheets[a.sheet] ?? a.sheet });
    const areas = needs(plan.index, at);
    const computes = at.block.explain?.computes;
    // A weight's gradient, when the Gradients sheet has one: found through the names read with the sheet.
    let gradient: SheetArea | undefined;
    if (computes?.op === "weight") {
      const r = names.get(this.source.nameOf(gradientName(computes.param)).toLowerCase());
      if (r && at.i < r.rows && at.j < r.cols) gradient = { sheet: r.sheet, top: r.top + at.i, left: r.left + at.j, rows: 1, cols: 1 };
    }
    const values = await this.source.readAreas([...areas.map(actual), ...(gradient ? [gradient] : [])]);
    if (generation !== this.generation) return;
    const byKey = new Map(areas.map((a, k) => [areaKey(a), values[k]]));
    const explanation = explainCell(plan.index, at, (a) => byKey.get(areaKey(a)) ?? [], {
      steps: this.model ? tourSteps(this.model.config) : [],
      gradient: gradient ? values[values.length - 1][0]?.[0] : undefined,
    });
    this.set({ explanation, error: undefined, message: "" });
  }

  /** Selects input `k` of the explanation in the workbook (its sheet first); the explanation stays. */
  async selectInput(k: number): Promise<void> {
    const input = this.current.explanation?.inputs[k];
    const sheets = this.shown?.sheets;
    if (!input || !sheets) return;
    const area: SheetArea = { ...input.area, sheet: sheets[input.area.sheet] ?? input.area.sheet };
    this.ownSelection = ownKey(area.sheet, rangeAddress(area.top, area.left, area.rows, area.cols, false));
    try {
      await this.source.selectArea(area);
    } catch (e) {
      this.ownSelection = undefined;
      this.set({ error: T().failed(messageOf(e)) });
    }
  }
}
