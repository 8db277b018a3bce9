/**
 * A recording fake of the Excel JavaScript API subset that src/excel uses,
 * with the proxy semantics of the real one:
 *
 * - commands are queued and run, in order, only at `context.sync()`; each
 *   sync is counted and recorded (command names and estimated bytes);
 * - a property is readable only after `load` and a sync (PropertyNotLoaded
 *   otherwise); `*OrNullObject` proxies know `isNullObject` after a sync;
 * - arguments travel as JSON, as they do to the host (NaN becomes null, and
 *   null in a 2-D array leaves its cell unchanged);
 * - strings are entered as Excel enters them: "=…" is a formula, "12" a
 *   number, "TRUE" a boolean, unless the cell's number format is text ("@");
 * - a failing command fails its sync with the error code Excel uses
 *   (ItemNotFound, ItemAlreadyExists, InvalidArgument, InvalidReference,
 *   ApiNotFound for a requirement set the host lacks,
 *   RequestPayloadSizeLimitExceeded over 5 MB); commands before it stay done,
 *   the ones after it are not run; `failCommand` makes a given command fail
 *   as a host that reports a set and still lacks a call does (NotImplemented);
 * - while the user edits a cell (`enterEditMode`), a sync of a batch run
 *   without `{ delayForCellEdit: true }` fails with
 *   InvalidOperationInCellEditMode and runs nothing; with it, the sync waits
 *   until `exitEditMode` (Excel.RunOptions); `holdSyncs` makes every sync
 *   wait, as Excel on the web does while it calculates;
 * - a host has at least ExcelApi 1.10, the floor of every Excel that loads
 *   the add-in (src/excel/requirements.ts);
 * - events: `onCalculated` (ExcelApi 1.8) and `onSelectionChanged`
 *   (WorksheetCollection 1.9, Worksheet 1.7) take handlers with `add`, which
 *   register at the sync; `calculate` and `userSelects` stand for Excel
 *   finishing a calculation and the user selecting cells, and call each
 *   handler with WorksheetCalculatedEventArgs / WorksheetSelectionChangedEventArgs
 *   (learn.microsoft.com/javascript/api/excel/excel.worksheetcalculatedeventargs,
 *   …/excel.worksheetselectionchangedeventargs): the sheet's id, and the
 *   address without the sheet (`address` of a calculation from ExcelApi 1.11).
 *
 * It calculates nothing: a formula cell reads as "" unless a test gives it a
 * value. Tests inspect the result through `grid`, `cell`, `names` and the
 * other read-outs. No node APIs, so a browser page can use it as
 * `window.Excel` too (`fake.run` stands for `Excel.run`).
 */
import { columnIndex, columnLetters } from "../../src/sheet/a1";

export type CellValue = number | string | boolean;

export interface FakeCell {
  value?: CellValue;
  /** Without the leading "=". */
  formula?: string;
  numberFormat?: string;
  fill?: string;
  font?: { bold?: boolean; italic?: boolean; size?: number; color?: string };
  /** RangeFormat.shrinkToFit (ExcelApi 1.7): the text shrinks to fit the column's width. */
  shrinkToFit?: boolean;
}

interface Rect {
  top: number;
  left: number;
  rows: number;
  cols: number;
}

export interface SheetModel {
  id: number;
  name: string;
  visibility: "Visible" | "Hidden" | "VeryHidden";
  cells: Map<string, FakeCell>;
  /** Column index → width in points. */
  columnWidths: Map<number, number>;
  frozen?: { rows: number; cols: number };
  conditionalFormats: { address: string; type: string; criteria?: unknown }[];
  /** Cell address ("B4") → text. */
  notes: Map<string, string>;
  charts: ChartModel[];
  deleted: boolean;
}

/** A workbook's contents as plain data (JSON, so a page's fake can hand it to node): `FakeExcel.workbookCells`. */
export interface WorkbookCells {
  /** Sheet name → its cells as Excel shows their contents: a formula with "=", else the value; null when empty. */
  sheets: Record<string, (CellValue | null)[][]>;
  /** Lower-case name → its reference ("'Encoder 2'!$C$5:$E$9", or "#REF!"). */
  names: Record<string, string>;
}

export interface NameModel {
  name: string;
  /** Undefined once the sheet is deleted: the name then refers to #REF!. */
  sheet?: SheetModel;
  rect: Rect;
  comment?: string;
}

export interface SeriesModel {
  name: string;
  values?: { sheet: SheetModel; rect: Rect };
  xValues?: { sheet: SheetModel; rect: Rect };
}

export interface ChartModel {
  name: string;
  type: string;
  title?: string;
  legendVisible?: boolean;
  position?: { start: string; end?: string };
  series: SeriesModel[];
}

export interface Batch {
  /** Names of the commands, e.g. "Range.formulas Encoder!B5:D9". */
  ops: string[];
  bytes: number;
}

export interface FakeExcelOptions {
  /** The host supports ExcelApi 1.1 … 1.apiVersion (default 18; at least 10, the floor in src/excel/requirements.ts). */
  apiVersion?: number;
  /** Request size the host accepts, in bytes of JSON (default 5 000 000, Excel on the web's 5 MB). */
  payloadLimit?: number;
}

export class FakeExcelError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "RichApi.Error";
  }
}

/** The lowest ExcelApi of a host that loads the add-in; kept here too, so the fake does not take it from the code it tests. */
const API_FLOOR = 10;
const CELL_EDIT_MESSAGE =
  "Excel is in cell-editing mode. Please exit the edit mode by pressing ENTER or TAB or selecting another cell, and then try again.";

type FakeEvent = "calculated" | "selectionChanged";
interface EventArgs {
  calculated: Excel.WorksheetCalculatedEventArgs;
  selectionChanged: Excel.WorksheetSelectionChangedEventArgs;
}

type FakeBatch<T> = (context: Excel.RequestContext) => Promise<T>;
/** Excel.run's forms run(batch) and run(options, batch). */
export interface FakeRun {
  <T>(batch: FakeBatch<T>): Promise<T>;
  <T>(options: Excel.RunOptions, batch: FakeBatch<T>): Promise<T>;
}

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const MAX_ROWS = 1048576;
const MAX_COLS = 16384;
/** Bytes a command costs beyond its arguments in the fake's count (the adapter assumes more). */
const COMMAND_BYTES = 100;

const key = (row: number, col: number): string => `${row},${col}`;
const a1 = (row: number, col: number): string => `${columnLetters(col)}${row + 1}`;
const rectA1 = (r: Rect): string =>
  r.rows === 1 && r.cols === 1 ? a1(r.top, r.left) : `${a1(r.top, r.left)}:${a1(r.top + r.rows - 1, r.left + r.cols - 1)}`;
const absA1 = (r: Rect): string => {
  const abs = (row: number, col: number) => `$${columnLetters(col)}$${row + 1}`;
  return r.rows === 1 && r.cols === 1 ? abs(r.top, r.left) : `${abs(r.top, r.left)}:${abs(r.top + r.rows - 1, r.left + r.cols - 1)}`;
};

/** A sheet name as Excel writes it in an address: quoted when it must be. */
export function sheetRef(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** Parses "C5", "$C$5:$E$9", "B:D" (whole columns), "3:4" (whole rows), optionally after "Sheet!" or "'Sheet'!". */
export function parseAddress(address: string): { sheet?: string; rect: Rect } {
  const m = /^(?:(?:'((?:[^']|'')+)'|([^'!]+))!)?(.+)$/.exec(address.replace(/^=/, ""));
  if (!m) throw new FakeExcelError("InvalidArgument", `"${address}" is not an address`);
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
  const part = m[3].replace(/\$/g, "");
  let r: RegExpExecArray | null;
  if ((r = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(part))) {
    const c1 = columnIndex(r[1]);
    const r1 = Number(r[2]) - 1;
    const c2 = r[3] ? columnIndex(r[3]) : c1;
    const r2 = r[4] ? Number(r[4]) - 1 : r1;
    return { sheet, rect: { top: Math.min(r1, r2), left: Math.min(c1, c2), rows: Math.abs(r2 - r1) + 1, cols: Math.abs(c2 - c1) + 1 } };
  }
  if ((r = /^([A-Z]+):([A-Z]+)$/.exec(part))) {
    const c1 = columnIndex(r[1]);
    const c2 = columnIndex(r[2]);
    return { sheet, rect: { top: 0, left: Math.min(c1, c2), rows: MAX_ROWS, cols: Math.abs(c2 - c1) + 1 } };
  }
  if ((r = /^(\d+):(\d+)$/.exec(part))) {
    const r1 = Number(r[1]) - 1;
    const r2 = Number(r[2]) - 1;
    return { sheet, rect: { top: Math.min(r1, r2), left: 0, rows: Math.abs(r2 - r1) + 1, cols: MAX_COLS } };
  }
  throw new FakeExcelError("InvalidArgument", `"${address}" is not an address the fake understands`);
}

/** What a cell holds after Excel enters `v` (a string through the grid): a formula, a number, a boolean or text. */
export function enterValue(v: CellValue, textFormat = false): { value?: CellValue; formula?: string } {
  if (typeof v !== "string") return { value: v };
  if (v === "") return {};
  if (textFormat) return { value: v };
  if (v.startsWith("=") && v.length > 1) return { formula: v.slice(1) };
  const t = v.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return { value: Number(t) };
  if (/^(true|false)$/i.test(t)) return { value: t.toLowerCase() === "true" };
  return { value: v };
}

function jsonCopy<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function parseProps(spec?: string | string[] | { select?: string }): string[] {
  const text = spec === undefined ? "" : typeof spec === "string" ? spec : Array.isArray(spec) ? spec.join(",") : (spec.select ?? "");
  return text
    .split(",")
    .map((p) => p.trim().replace(/^items\//, ""))
    .filter((p) => p.length > 0);
}

// ---------------------------------------------------------------------------
// The host: the workbook's state, the sync log and the test read-outs.
// ---------------------------------------------------------------------------

export class FakeExcel {
  readonly apiVersion: number;
  readonly payloadLimit: number;
  readonly sheets: SheetModel[] = [];
  readonly nameModels = new Map<string, NameModel>();
  readonly comments: { sheet: SheetModel; cell: string; content: string }[] = [];
  /** One entry per sync, with the commands it ran. */
  readonly batches: Batch[] = [];
  active?: SheetModel;
  selection?: { sheet: SheetModel; address: string };
  /** The type of every Application.calculate, in order. */
  readonly calculations: string[] = [];
  /** Syncs that waited for the user to leave a cell (delayForCellEdit), and syncs that failed because the user was in one. */
  readonly cellEdit = { delayed: 0, rejected: 0 };
  private nextSheetId = 1;
  private editing?: ReturnType<typeof gate>;
  private held?: ReturnType<typeof gate>;
  private delayedListeners: (() => void)[] = [];
  private readonly failing = new Map<string, string>();
  /** Event handlers registered by the add-in, with the sheet they were added on (none: the worksheet collection's). */
  readonly handlers: { [E in FakeEvent]: { sheet?: SheetModel; handler: (args: EventArgs[E]) => Promise<unknown> }[] } = {
    calculated: [],
    selectionChanged: [],
  };

  /** Office.context.requirements as this host answers it. */
  readonly requirements = {
    isSetSupported: (name: string, minVersion?: string): boolean => {
      if (name !== "ExcelApi") return false;
      const m = /^1\.(\d+)$/.exec(String(minVersion ?? "1.1"));
      return !!m && Number(m[1]) <= this.apiVersion;
    },
  };

  constructor(options: FakeExcelOptions = {}) {
    this.apiVersion = options.apiVersion ?? 18;
    if (this.apiVersion < API_FLOOR)
      throw new Error(
        `no Excel that loads the add-in has ExcelApi 1.${this.apiVersion}: SharedRuntime 1.1 comes with 1.${API_FLOOR} or later`,
      );
    this.payloadLimit = options.payloadLimit ?? 5_000_000;
  }

  get syncs(): number {
    return this.batches.length;
  }

  /** A fresh request context, as Excel.run gives each batch function. */
  context(options: Excel.RunOptions = {}): Excel.RequestContext {
    return new FakeContext(this, options) as unknown as Excel.RequestContext;
  }

  /** Excel.run over this fake: run(batch) or run(options, batch). */
  run: FakeRun = (<T>(first: Excel.RunOptions | FakeBatch<T>, second?: FakeBatch<T>): Promise<T> => {
    if (typeof first === "function") return first(this.context());
    if (!second) throw new TypeError("Excel.run(options, batch) needs its batch function");
    return second(this.context(first));
  }) as FakeRun;

  // ---- the user and the host's own work ----

  get editMode(): boolean {
    return this.editing !== undefined;
  }

  /** The user starts typing in a cell. */
  enterEditMode(): void {
    this.editing ??= gate();
  }

  /** The user presses Enter: the batches that waited go on. */
  exitEditMode(): void {
    const e = this.editing;
    this.editing = undefined;
    e?.open();
  }

  /** Resolves when the next sync starts to wait for the user to leave the cell. */
  nextDelayedSync(): Promise<void> {
    return new Promise((resolve) => this.delayedListeners.push(resolve));
  }

  /** Every sync from now on waits (Excel busy calculating) until the returned function is called. */
  holdSyncs(): () => void {
    const held = (this.held ??= gate());
    return () => {
      if (this.held === held) this.held = undefined;
      held.open();
    };
  }

  /** Makes every command whose name starts with `prefix` ("NoteCollection.add") fail at its sync with `code`. */
  failCommand(prefix: string, code = "NotImplemented"): void {
    this.failing.set(prefix, code);
  }

  /** Waits while syncs are held or the user edits a cell; throws for a batch that may not wait. */
  async admit(delayForCellEdit: boolean): Promise<void> {
    while (this.held || this.editing) {
      if (this.held) {
        await this.held.opened;
        continue;
      }
      if (!delayForCellEdit) {
        this.cellEdit.rejected += 1;
        throw new FakeExcelError("InvalidOperationInCellEditMode", CELL_EDIT_MESSAGE);
      }
      this.cellEdit.delayed += 1;
      const listeners = this.delayedListeners;
      this.delayedListeners = [];
      for (const l of listeners) l();
      await this.editing!.opened;
    }
  }

  /** The error code a command is made to fail with, if any. */
  failureOf(command: string): string | undefined {
    for (const [prefix, code] of this.failing) if (command.startsWith(prefix)) return code;
    return undefined;
  }

  /** What a page needs to run the task pane on this fake: assign these to window.Excel and window.Office. */
  globals(): {
    Excel: { run: FakeExcel["run"] };
    Office: { context: { requirements: FakeExcel["requirements"] }; onReady: () => Promise<{ host: string; platform: string }> };
  } {
    return {
      Excel: { run: this.run },
      Office: { context: { requirements: this.requirements }, onReady: () => Promise.resolve({ host: "Excel", platform: "OfficeOnline" }) },
    };
  }

  /**
   * Excel finished calculating `address` on `sheet`: its cells now show `values` (formula cells keep their
   * formulas), and every onCalculated handler of the workbook and of that sheet is called. Excel does not wait
   * for handlers; this resolves when theirs have settled, so a test can look at what they did.
   */
  async calculate(sheet: string, address: string, values: CellValue[][]): Promise<void> {
    const s = this.sheetOrThrow(sheet);
    const { rect } = parseAddress(address);
    values.forEach((row, i) =>
      row.forEach((v, j) => {
        const k = key(rect.top + i, rect.left + j);
        s.cells.set(k, { ...(s.cells.get(k) ?? {}), value: v });
      }),
    );
    const args = {
      type: "WorksheetCalculated" as const,
      worksheetId: String(s.id),
      ...(this.apiVersion >= 11 ? { address: rectA1(rect) } : {}),
    } as Excel.WorksheetCalculatedEventArgs;
    await this.fire("calculated", s, args);
  }

  /**
   * The user selects `address` on `sheet` (which becomes active); every onSelectionChanged handler of the workbook and
   * of that sheet is called. Several areas (Ctrl+click) are written "B2:D2,F5": the address lists them, comma-separated.
   */
  async userSelects(sheet: string, address: string): Promise<void> {
    const s = this.sheetOrThrow(sheet);
    const areas = address.split(",").map((a) => rectA1(parseAddress(a.trim()).rect));
    this.active = s;
    this.selection = { sheet: s, address: areas.join(",") };
    await this.fire("selectionChanged", s, { type: "WorksheetSelectionChanged", worksheetId: String(s.id), address: areas.join(",") });
  }

  /**
   * What Workbook.getSelectedRange finds at its sync: the one selected rectangle. With several areas selected it
   * throws InvalidSelection ("If there are multiple ranges selected, this method will throw an error",
   * learn.microsoft.com/javascript/api/excel/excel.workbook#excel-excel-workbook-getselectedrange-member(1); the code
   * office-js-docs-pr #2477 reports). Excel always has a selection: without one set, A1 of the active sheet.
   */
  selectedRect(): Located {
    const sheet = this.selection?.sheet ?? this.active ?? this.sheets.find((s) => s.visibility === "Visible");
    if (!sheet) throw new FakeExcelError("ItemNotFound", "The requested resource doesn't exist. (no sheet)");
    const address = this.selection?.sheet === sheet ? this.selection.address : "A1";
    if (address.includes(","))
      throw new FakeExcelError("InvalidSelection", "The current selection is invalid for this operation. (several areas are selected)");
    return { sheet, rect: parseAddress(address).rect };
  }

  private async fire<E extends FakeEvent>(event: E, sheet: SheetModel, args: EventArgs[E]): Promise<void> {
    const listeners = this.handlers[event].filter((h) => !h.sheet || h.sheet === sheet) as {
      handler: (args: EventArgs[E]) => Promise<unknown>;
    }[];
    await Promise.allSettled(listeners.map((h) => h.handler(jsonCopy(args))));
  }

  // ---- setting the scene ----

  /** A sheet the user already has, with optional contents ("A1" → value, or "=formula"). */
  addSheet(name: string, cells: Record<string, CellValue> = {}): SheetModel {
    const s = this.createSheet(name);
    for (const [address, v] of Object.entries(cells)) this.setCell(name, address, v);
    return s;
  }

  setCell(sheet: string, address: string, v: CellValue): void {
    const s = this.sheetOrThrow(sheet);
    const { rect } = parseAddress(address);
    const cell = s.cells.get(key(rect.top, rect.left)) ?? {};
    delete cell.value;
    delete cell.formula;
    Object.assign(cell, enterValue(v));
    s.cells.set(key(rect.top, rect.left), cell);
  }

  addName(name: string, sheet: string, address: string): void {
    this.nameModels.set(name.toLowerCase(), { name, sheet: this.sheetOrThrow(sheet), rect: parseAddress(address).rect });
  }

  deleteName(name: string): void {
    this.nameModels.delete(name.toLowerCase());
  }

  /** What deleting a sheet in Excel does: its names turn into #REF!. */
  deleteSheet(name: string): void {
    const s = this.sheetOrThrow(name);
    s.deleted = true;
    this.sheets.splice(this.sheets.indexOf(s), 1);
    for (const n of this.nameModels.values()) if (n.sheet === s) n.sheet = undefined;
  }

  // ---- read-outs ----

  sheet(name: string): SheetModel | undefined {
    return this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  sheetOrThrow(name: string): SheetModel {
    const s = this.sheet(name);
    if (!s) throw new FakeExcelError("ItemNotFound", `The requested resource doesn't exist. (sheet ${name})`);
    return s;
  }

  cell(sheet: string, address: string): FakeCell | undefined {
    const { rect } = parseAddress(address);
    return this.sheetOrThrow(sheet).cells.get(key(rect.top, rect.left));
  }

  /** A name's reference, "'Encoder (2)'!$C$5:$E$9", or "#REF!". */
  nameRef(name: string): string | undefined {
    const n = this.nameModels.get(name.toLowerCase());
    if (!n) return undefined;
    return n.sheet ? `${sheetRef(n.sheet.name)}!${absA1(n.rect)}` : "#REF!";
  }

  /** Every cell of a sheet as Excel shows its contents: a formula with "=", else the value; null when empty. */
  grid(sheet: string): (CellValue | null)[][] {
    const s = this.sheetOrThrow(sheet);
    const out: (CellValue | null)[][] = [];
    for (const [k, c] of s.cells) {
      const content = c.formula !== undefined ? `=${c.formula}` : c.value;
      if (content === undefined) continue;
      const [row, col] = k.split(",").map(Number);
      while (out.length <= row) out.push([]);
      const line = out[row];
      while (line.length <= col) line.push(null);
      line[col] = content;
    }
    return out;
  }

  /** The whole workbook as `grid` shows each sheet, with every name's reference by its lower-case text: what a formula engine reads. */
  workbookCells(): WorkbookCells {
    return {
      sheets: Object.fromEntries(this.sheets.map((s) => [s.name, this.grid(s.name)])),
      names: Object.fromEntries([...this.nameModels.keys()].map((k) => [k, this.nameRef(k)!])),
    };
  }

  // ---- used by the proxies ----

  createSheet(name: string): SheetModel {
    if (name.length === 0 || name.length > 31 || /[[\]:*?/\\]/.test(name) || /^'|'$/.test(name)) {
      throw new FakeExcelError("InvalidArgument", `"${name}" is not a valid sheet name`);
    }
    if (this.sheet(name)) throw new FakeExcelError("ItemAlreadyExists", `A sheet named "${name}" already exists.`);
    const s: SheetModel = {
      id: this.nextSheetId++,
      name,
      visibility: "Visible",
      cells: new Map(),
      columnWidths: new Map(),
      conditionalFormats: [],
      notes: new Map(),
      charts: [],
      deleted: false,
    };
    this.sheets.push(s);
    return s;
  }

  write(sheet: SheetModel, rect: Rect, grid: unknown, what: "values" | "formulas" | "numberFormat"): void {
    if (!Array.isArray(grid) || grid.length !== rect.rows || grid.some((row) => !Array.isArray(row) || row.length !== rect.cols)) {
      throw new FakeExcelError(
        "InvalidArgument",
        `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${rectA1(rect)} is ${rect.rows} × ${rect.cols}).`,
      );
    }
    (grid as unknown[][]).forEach((row, i) =>
      row.forEach((v, j) => {
        if (v === null) return;
        const k = key(rect.top + i, rect.left + j);
        const cell = sheet.cells.get(k) ?? {};
        if (what === "numberFormat") {
          cell.numberFormat = String(v);
        } else {
          delete cell.value;
          delete cell.formula;
          Object.assign(cell, enterValue(v as CellValue, cell.numberFormat === "@"));
        }
        sheet.cells.set(k, cell);
      }),
    );
  }

  read(sheet: SheetModel, rect: Rect, what: "values" | "formulas" | "numberFormat"): unknown[][] {
    if (rect.rows * rect.cols > 5_000_000)
      throw new FakeExcelError("RangeExceedsLimit", "The cell count in range has exceeded the maximum supported number.");
    return Array.from({ length: rect.rows }, (_, i) =>
      Array.from({ length: rect.cols }, (_, j) => {
        const c = sheet.cells.get(key(rect.top + i, rect.left + j));
        if (what === "numberFormat") return c?.numberFormat ?? "General";
        if (what === "formulas" && c?.formula !== undefined) return `=${c.formula}`;
        return c?.value ?? "";
      }),
    );
  }

  /** Runs `f` on every existing or new cell of a modest rectangle (formats). */
  eachCell(sheet: SheetModel, rect: Rect, f: (cell: FakeCell) => void): void {
    if (rect.rows * rect.cols > 1_000_000) throw new Error(`the fake formats at most a million cells at a time, not ${rectA1(rect)}`);
    for (let i = 0; i < rect.rows; i++) {
      for (let j = 0; j < rect.cols; j++) {
        const k = key(rect.top + i, rect.left + j);
        const cell = sheet.cells.get(k) ?? {};
        f(cell);
        sheet.cells.set(k, cell);
      }
    }
  }

  usedRect(sheet: SheetModel, valuesOnly: boolean): Rect {
    let top = Infinity;
    let left = Infinity;
    let bottom = -1;
    let right = -1;
    for (const [k, c] of sheet.cells) {
      if (valuesOnly && c.value === undefined && c.formula === undefined) continue;
      const [row, col] = k.split(",").map(Number);
      top = Math.min(top, row);
      left = Math.min(left, col);
      bottom = Math.max(bottom, row);
      right = Math.max(right, col);
    }
    return bottom < 0 ? { top: 0, left: 0, rows: 1, cols: 1 } : { top, left, rows: bottom - top + 1, cols: right - left + 1 };
  }
}

// ---------------------------------------------------------------------------
// Request context and proxies.
// ---------------------------------------------------------------------------

interface Command {
  name: string;
  since: number;
  bytes: number;
  run: () => void;
}

class FakeContext {
  readonly workbook: WorkbookProxy;
  readonly application: ApplicationProxy;
  private queue: Command[] = [];

  constructor(
    readonly host: FakeExcel,
    private readonly options: Excel.RunOptions = {},
  ) {
    this.workbook = new WorkbookProxy(this);
    this.application = new ApplicationProxy(this);
  }

  enqueue(name: string, since: number, run: () => void, ...payload: unknown[]): void {
    let bytes = COMMAND_BYTES;
    for (const p of payload) bytes += JSON.stringify(p)?.length ?? 0;
    this.queue.push({ name, since, bytes, run });
  }

  async sync(): Promise<void> {
    const commands = this.queue;
    this.queue = [];
    await Promise.resolve();
    await this.host.admit(this.options.delayForCellEdit === true);
    const bytes = commands.reduce((n, c) => n + c.bytes, 0);
    this.host.batches.push({ ops: commands.map((c) => c.name), bytes });
    if (bytes > this.host.payloadLimit) {
      throw new FakeExcelError("RequestPayloadSizeLimitExceeded", `The request payload size (${bytes} bytes) has exceeded the limit.`);
    }
    for (const c of commands) {
      if (c.since > this.host.apiVersion)
        throw new FakeExcelError("ApiNotFound", `${c.name} needs ExcelApi 1.${c.since}; this host has 1.${this.host.apiVersion}.`);
      const failure = this.host.failureOf(c.name);
      if (failure) throw new FakeExcelError(failure, `This operation is not implemented. (${c.name})`);
      c.run();
    }
  }
}

abstract class ProxyBase {
  protected readonly loadedProps = new Map<string, unknown>();
  protected abstract readonly kind: string;

  constructor(protected readonly ctx: FakeContext) {}

  get context(): FakeContext {
    return this.ctx;
  }

  /** The value of a loaded property, computed when the load runs at sync. */
  protected abstract snapshot(prop: string): unknown;

  load(spec?: string | string[] | { select?: string }): this {
    const props = parseProps(spec);
    this.ctx.enqueue(`${this.kind}.load ${props.join(",")}`, 1, () => this.takeProps(props));
    return this;
  }

  /** Takes the values of `props` now (a load, or a collection's load of its items). */
  takeProps(props: string[]): void {
    for (const p of props) this.loadedProps.set(p, this.snapshot(p));
  }

  protected loaded<T>(prop: string): T {
    if (!this.loadedProps.has(prop)) {
      throw new FakeExcelError(
        "PropertyNotLoaded",
        `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      );
    }
    return this.loadedProps.get(prop) as T;
  }

  protected queue(name: string, since: number, run: () => void, ...payload: unknown[]): void {
    this.ctx.enqueue(`${this.kind}.${name}`, since, run, ...payload);
  }
}

/** A proxy for one object of the fake workbook, found again each time a command runs. */
abstract class ModelProxy<M> extends ProxyBase {
  constructor(
    ctx: FakeContext,
    protected readonly resolve: () => M,
  ) {
    super(ctx);
  }
}

class WorkbookProxy {
  readonly worksheets: WorksheetCollectionProxy;
  readonly names: NamedItemCollectionProxy;
  readonly comments: CommentCollectionProxy;

  constructor(private readonly ctx: FakeContext) {
    this.worksheets = new WorksheetCollectionProxy(ctx);
    this.names = new NamedItemCollectionProxy(ctx);
    this.comments = new CommentCollectionProxy(ctx);
  }

  /** ExcelApi 1.1; the range is found when its commands run, and several selected areas fail the sync (FakeExcel.selectedRect). */
  getSelectedRange(): RangeProxy {
    return new RangeProxy(this.ctx, () => this.ctx.host.selectedRect());
  }
}

class ApplicationProxy extends ProxyBase {
  protected readonly kind = "Application";

  protected snapshot(): unknown {
    return undefined;
  }

  suspendApiCalculationUntilNextSync(): void {
    this.queue("suspendApiCalculationUntilNextSync", 6, () => {});
  }

  suspendScreenUpdatingUntilNextSync(): void {
    this.queue("suspendScreenUpdatingUntilNextSync", 9, () => {});
  }

  calculate(type: string): void {
    this.queue(`calculate ${type}`, 1, () => this.ctx.host.calculations.push(type));
  }
}

// ---- events ----

/** OfficeExtension.EventHandlers: `add` and `remove` are commands, done at the next sync. */
class EventHandlersProxy<E extends FakeEvent> {
  constructor(
    private readonly ctx: FakeContext,
    private readonly event: E,
    private readonly name: string,
    private readonly since: number,
    private readonly sheet?: () => SheetModel,
  ) {}

  add(handler: (args: EventArgs[E]) => Promise<unknown>): { context: FakeContext; remove: () => void } {
    this.ctx.enqueue(`${this.name}.add`, this.since, () => {
      (this.ctx.host.handlers[this.event] as { sheet?: SheetModel; handler: typeof handler }[]).push({ sheet: this.sheet?.(), handler });
    });
    return { context: this.ctx, remove: () => this.remove(handler) };
  }

  remove(handler: (args: EventArgs[E]) => Promise<unknown>): void {
    this.ctx.enqueue(`${this.name}.remove`, this.since, () => {
      const list = this.ctx.host.handlers[this.event] as { handler: unknown }[];
      const k = list.findIndex((h) => h.handler === handler);
      if (k >= 0) list.splice(k, 1);
    });
  }
}

// ---- worksheets ----

class WorksheetCollectionProxy extends ProxyBase {
  protected readonly kind = "WorksheetCollection";

  protected snapshot(prop: string): unknown {
    return prop;
  }

  override load(spec?: string | string[] | { select?: string }): this {
    const props = parseProps(spec);
    this.ctx.enqueue(`WorksheetCollection.load ${props.join(",")}`, 1, () => {
      const items = this.ctx.host.sheets.map((s) => {
        const p = new WorksheetProxy(this.ctx, () => s);
        p.takeProps(props);
        return p;
      });
      this.loadedProps.set("items", items);
    });
    return this;
  }

  get items(): WorksheetProxy[] {
    return this.loaded("items");
  }

  add(name?: string): WorksheetProxy {
    let made: SheetModel | undefined;
    this.queue(
      `add ${name}`,
      1,
      () => {
        const host = this.ctx.host;
        let n = name;
        for (let k = host.sheets.length + 1; n === undefined; k++) if (!host.sheet(`Sheet${k}`)) n = `Sheet${k}`;
        made = host.createSheet(n);
      },
      name,
    );
    return new WorksheetProxy(this.ctx, () => made ?? null);
  }

  /** By name or by id, as Excel's getItem(key) finds a sheet. */
  getItem(key: string): WorksheetProxy {
    return new WorksheetProxy(this.ctx, () => {
      const host = this.ctx.host;
      return host.sheet(key) ?? host.sheets.find((s) => String(s.id) === key) ?? host.sheetOrThrow(key);
    });
  }

  get onCalculated(): EventHandlersProxy<"calculated"> {
    return new EventHandlersProxy(this.ctx, "calculated", "WorksheetCollection.onCalculated", 8);
  }

  get onSelectionChanged(): EventHandlersProxy<"selectionChanged"> {
    return new EventHandlersProxy(this.ctx, "selectionChanged", "WorksheetCollection.onSelectionChanged", 9);
  }

  getItemOrNullObject(name: string): WorksheetProxy {
    const p = new WorksheetProxy(this.ctx, () => this.ctx.host.sheet(name) ?? null);
    p.resolveNull(4);
    return p;
  }
}

class WorksheetProxy extends ModelProxy<SheetModel | null> {
  protected readonly kind = "Worksheet";
  private isNull?: boolean;

  /** The sheet this proxy stands for, at the time a command runs. */
  model(): SheetModel {
    const s = this.resolve();
    if (!s || s.deleted) throw new FakeExcelError("ItemNotFound", "The requested resource doesn't exist. (worksheet)");
    return s;
  }

  resolveNull(since: number): void {
    this.ctx.enqueue("Worksheet.getItemOrNullObject", since, () => {
      this.isNull = this.resolve() === null;
    });
  }

  get isNullObject(): boolean {
    if (this.isNull === undefined) throw new FakeExcelError("PropertyNotLoaded", "isNullObject is known only after context.sync()");
    return this.isNull;
  }

  protected snapshot(prop: string): unknown {
    const s = this.model();
    if (prop === "name") return s.name;
    if (prop === "visibility") return s.visibility;
    if (prop === "id") return String(s.id);
    throw new Error(`the fake cannot load Worksheet.${prop}`);
  }

  get name(): string {
    return this.loaded("name");
  }

  get visibility(): string {
    return this.loaded("visibility");
  }

  set visibility(v: string) {
    this.queue(
      `visibility ${v}`,
      2,
      () => {
        this.model().visibility = v as SheetModel["visibility"];
      },
      v,
    );
  }

  getRange(address?: string): RangeProxy {
    const rect = address === undefined ? { top: 0, left: 0, rows: MAX_ROWS, cols: MAX_COLS } : parseAddress(address).rect;
    if (address !== undefined && parseAddress(address).sheet !== undefined)
      throw new FakeExcelError("InvalidArgument", `Worksheet.getRange takes an address without a sheet, got ${address}`);
    return new RangeProxy(this.ctx, () => ({ sheet: this.model(), rect }));
  }

  getUsedRange(valuesOnly?: boolean): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const sheet = this.model();
      return { sheet, rect: this.ctx.host.usedRect(sheet, !!valuesOnly) };
    });
  }

  activate(): void {
    this.queue("activate", 1, () => {
      this.ctx.host.active = this.model();
    });
  }

  // Navigation properties return the same proxy each time, as Office.js's do.
  private panes?: FreezePanesProxy;
  private noteList?: NoteCollectionProxy;
  private chartList?: ChartCollectionProxy;

  get onCalculated(): EventHandlersProxy<"calculated"> {
    return new EventHandlersProxy(this.ctx, "calculated", "Worksheet.onCalculated", 8, () => this.model());
  }

  get onSelectionChanged(): EventHandlersProxy<"selectionChanged"> {
    return new EventHandlersProxy(this.ctx, "selectionChanged", "Worksheet.onSelectionChanged", 7, () => this.model());
  }

  get freezePanes(): FreezePanesProxy {
    return (this.panes ??= new FreezePanesProxy(this.ctx, () => this.model()));
  }

  get notes(): NoteCollectionProxy {
    return (this.noteList ??= new NoteCollectionProxy(this.ctx, () => this.model()));
  }

  get charts(): ChartCollectionProxy {
    return (this.chartList ??= new ChartCollectionProxy(this.ctx, () => this.model()));
  }
}

class FreezePanesProxy extends ProxyBase {
  protected readonly kind = "WorksheetFreezePanes";

  constructor(
    ctx: FakeContext,
    private readonly sheet: () => SheetModel,
  ) {
    super(ctx);
  }

  protected snapshot(): unknown {
    return undefined;
  }

  freezeRows(count = 1): void {
    this.queue(`freezeRows ${count}`, 7, () => {
      this.sheet().frozen = { rows: count, cols: 0 };
    });
  }

  freezeColumns(count = 1): void {
    this.queue(`freezeColumns ${count}`, 7, () => {
      this.sheet().frozen = { rows: 0, cols: count };
    });
  }

  freezeAt(range: string): void {
    this.queue(`freezeAt ${range}`, 7, () => {
      const r = parseAddress(range).rect;
      this.sheet().frozen = { rows: r.top + r.rows, cols: r.left + r.cols };
    });
  }
}

// ---- ranges ----

interface Located {
  sheet: SheetModel;
  rect: Rect;
}

class RangeProxy extends ProxyBase {
  protected readonly kind = "Range";

  constructor(
    ctx: FakeContext,
    readonly locate: () => Located,
  ) {
    super(ctx);
  }

  protected snapshot(prop: string): unknown {
    const { sheet, rect } = this.locate();
    const host = this.ctx.host;
    switch (prop) {
      case "values":
      case "formulas":
      case "numberFormat":
        return host.read(sheet, rect, prop);
      case "address":
        return `${sheetRef(sheet.name)}!${rectA1(rect)}`;
      default:
        throw new Error(`the fake cannot load Range.${prop}`);
    }
  }

  private set(what: "values" | "formulas" | "numberFormat", grid: unknown[][]): void {
    const sent = jsonCopy(grid);
    this.ctx.enqueue(
      `Range.${what} ${this.describe()}`,
      1,
      () => {
        const { sheet, rect } = this.locate();
        this.ctx.host.write(sheet, rect, sent, what);
      },
      grid,
    );
  }

  /** The address for the log, when it can be known before the sync. */
  private describe(): string {
    try {
      const { sheet, rect } = this.locate();
      return `${sheetRef(sheet.name)}!${rectA1(rect)}`;
    } catch {
      return "(pending)";
    }
  }

  get values(): unknown[][] {
    return this.loaded("values");
  }

  set values(v: unknown[][]) {
    this.set("values", v);
  }

  get formulas(): unknown[][] {
    return this.loaded("formulas");
  }

  set formulas(v: unknown[][]) {
    this.set("formulas", v);
  }

  get numberFormat(): unknown[][] {
    return this.loaded("numberFormat");
  }

  set numberFormat(v: unknown[][]) {
    this.set("numberFormat", v);
  }

  get address(): string {
    return this.loaded("address");
  }

  private formatProxy?: RangeFormatProxy;
  private formats?: ConditionalFormatCollectionProxy;
  private sheetProxy?: WorksheetProxy;

  get format(): RangeFormatProxy {
    return (this.formatProxy ??= new RangeFormatProxy(this.ctx, this.locate));
  }

  get conditionalFormats(): ConditionalFormatCollectionProxy {
    return (this.formats ??= new ConditionalFormatCollectionProxy(this.ctx, this.locate));
  }

  get worksheet(): WorksheetProxy {
    return (this.sheetProxy ??= new WorksheetProxy(this.ctx, () => this.locate().sheet));
  }

  select(): void {
    this.queue("select", 1, () => {
      const { sheet, rect } = this.locate();
      if (this.ctx.host.active !== sheet)
        throw new FakeExcelError(
          "InvalidSelection",
          "The current selection is invalid for this operation: the range is not on the active sheet.",
        );
      this.ctx.host.selection = { sheet, address: rectA1(rect) };
    });
  }

  clear(): void {
    this.queue("clear", 1, () => {
      const { sheet, rect } = this.locate();
      for (const k of [...sheet.cells.keys()]) {
        const [row, col] = k.split(",").map(Number);
        if (row >= rect.top && row < rect.top + rect.rows && col >= rect.left && col < rect.left + rect.cols) sheet.cells.delete(k);
      }
    });
  }
}

class RangeFormatProxy extends ProxyBase {
  protected readonly kind = "RangeFormat";

  constructor(
    ctx: FakeContext,
    private readonly locate: () => Located,
  ) {
    super(ctx);
  }

  protected snapshot(): unknown {
    return undefined;
  }

  get fill(): { color: string } {
    const locate = this.locate;
    const ctx = this.ctx;
    return {
      set color(v: string) {
        ctx.enqueue(
          "RangeFill.color",
          1,
          () => {
            const { sheet, rect } = locate();
            ctx.host.eachCell(sheet, rect, (c) => (c.fill = v));
          },
          v,
        );
      },
      get color(): string {
        throw new FakeExcelError("PropertyNotLoaded", "RangeFill.color is not loaded");
      },
    };
  }

  set shrinkToFit(v: boolean) {
    this.ctx.enqueue(
      "RangeFormat.shrinkToFit",
      1,
      () => {
        const { sheet, rect } = this.locate();
        this.ctx.host.eachCell(sheet, rect, (c) => (c.shrinkToFit = v));
      },
      v,
    );
  }

  get shrinkToFit(): boolean {
    throw new FakeExcelError("PropertyNotLoaded", "RangeFormat.shrinkToFit is not loaded");
  }

  get font(): { bold: boolean; italic: boolean; size: number; color: string } {
    const locate = this.locate;
    const ctx = this.ctx;
    const setter = (prop: "bold" | "italic" | "size" | "color") => (v: never) =>
      ctx.enqueue(
        `RangeFont.${prop}`,
        1,
        () => {
          const { sheet, rect } = locate();
          ctx.host.eachCell(sheet, rect, (c) => (c.font = { ...c.font, [prop]: v }));
        },
        v,
      );
    const unread = (): never => {
      throw new FakeExcelError("PropertyNotLoaded", "RangeFont properties are not loaded");
    };
    return {
      set bold(v: boolean) {
        setter("bold")(v as never);
      },
      get bold(): boolean {
        return unread();
      },
      set italic(v: boolean) {
        setter("italic")(v as never);
      },
      get italic(): boolean {
        return unread();
      },
      set size(v: number) {
        setter("size")(v as never);
      },
      get size(): number {
        return unread();
      },
      set color(v: string) {
        setter("color")(v as never);
      },
      get color(): string {
        return unread();
      },
    };
  }

  set columnWidth(points: number) {
    this.queue(
      `columnWidth ${points}`,
      2,
      () => {
        const { sheet, rect } = this.locate();
        for (let j = 0; j < rect.cols; j++) sheet.columnWidths.set(rect.left + j, points);
      },
      points,
    );
  }

  get columnWidth(): number {
    return this.loaded("columnWidth");
  }
}

class ConditionalFormatCollectionProxy extends ProxyBase {
  protected readonly kind = "ConditionalFormatCollection";

  constructor(
    ctx: FakeContext,
    private readonly locate: () => Located,
  ) {
    super(ctx);
  }

  protected snapshot(): unknown {
    return undefined;
  }

  add(type: string): { colorScale: { criteria: unknown } } {
    let made: SheetModel["conditionalFormats"][number] | undefined;
    this.queue(
      `add ${type}`,
      6,
      () => {
        const { sheet, rect } = this.locate();
        made = { address: rectA1(rect), type };
        sheet.conditionalFormats.push(made);
      },
      type,
    );
    const ctx = this.ctx;
    return {
      colorScale: {
        set criteria(v: unknown) {
          const sent = jsonCopy(v);
          ctx.enqueue(
            "ColorScaleConditionalFormat.criteria",
            6,
            () => {
              if (!made) throw new FakeExcelError("InvalidArgument", "the conditional format was not made");
              if (made.type !== "ColorScale")
                throw new FakeExcelError("InvalidArgument", `a ${made.type} conditional format has no colour scale`);
              made.criteria = sent;
            },
            v,
          );
        },
        get criteria(): unknown {
          throw new FakeExcelError("PropertyNotLoaded", "criteria is not loaded");
        },
      },
    };
  }
}

// ---- names ----

class NamedItemCollectionProxy extends ProxyBase {
  protected readonly kind = "NamedItemCollection";

  protected snapshot(): unknown {
    return undefined;
  }

  override load(spec?: string | string[] | { select?: string }): this {
    const props = parseProps(spec);
    this.ctx.enqueue(`NamedItemCollection.load ${props.join(",")}`, 1, () => {
      const items = [...this.ctx.host.nameModels.values()].map((n) => {
        const p = new NamedItemProxy(this.ctx, () => n);
        p.takeProps(props);
        return p;
      });
      this.loadedProps.set("items", items);
    });
    return this;
  }

  get items(): NamedItemProxy[] {
    return this.loaded("items");
  }

  add(name: string, reference: RangeProxy | string, comment?: string): NamedItemProxy {
    this.queue(
      `add ${name}`,
      4,
      () => {
        const host = this.ctx.host;
        if (!/^[A-Za-z_\\][A-Za-z0-9_.\\]*$/.test(name) || /^[A-Za-z]{1,3}\d+$/.test(name) || /^[RrCc]$/.test(name)) {
          throw new FakeExcelError("InvalidArgument", `"${name}" is not a valid name`);
        }
        if (host.nameModels.has(name.toLowerCase())) throw new FakeExcelError("ItemAlreadyExists", `The name ${name} already exists.`);
        let target: Located;
        if (typeof reference === "string") {
          const p = parseAddress(reference);
          if (!p.sheet) throw new FakeExcelError("InvalidArgument", "a name's reference needs its sheet");
          target = { sheet: host.sheetOrThrow(p.sheet), rect: p.rect };
        } else {
          target = reference.locate();
        }
        host.nameModels.set(name.toLowerCase(), { name, sheet: target.sheet, rect: target.rect, comment });
      },
      name,
      comment,
    );
    return this.getItem(name);
  }

  getItem(name: string): NamedItemProxy {
    return new NamedItemProxy(this.ctx, () => {
      const n = this.ctx.host.nameModels.get(name.toLowerCase());
      if (!n) throw new FakeExcelError("ItemNotFound", `The requested resource doesn't exist. (name ${name})`);
      return n;
    });
  }
}

class NamedItemProxy extends ModelProxy<NameModel> {
  protected readonly kind = "NamedItem";

  protected snapshot(prop: string): unknown {
    const n = this.resolve();
    const ref = n.sheet ? `${sheetRef(n.sheet.name)}!${absA1(n.rect)}` : "#REF!";
    switch (prop) {
      case "name":
        return n.name;
      case "type":
        return n.sheet ? "Range" : "Error";
      case "value":
        return ref;
      case "formula":
        return `=${ref}`;
      case "comment":
        return n.comment ?? "";
      default:
        throw new Error(`the fake cannot load NamedItem.${prop}`);
    }
  }

  get name(): string {
    return this.loaded("name");
  }

  get type(): string {
    return this.loaded("type");
  }

  get value(): unknown {
    return this.loaded("value");
  }

  getRange(): RangeProxy {
    return new RangeProxy(this.ctx, () => {
      const n = this.resolve();
      if (!n.sheet) throw new FakeExcelError("InvalidReference", `The name ${n.name} refers to #REF!.`);
      return { sheet: n.sheet, rect: n.rect };
    });
  }

  delete(): void {
    this.queue("delete", 4, () => {
      this.ctx.host.nameModels.delete(this.resolve().name.toLowerCase());
    });
  }
}

// ---- notes and comments ----

function singleCell(host: FakeExcel, cell: RangeProxy | string, fallbackSheet?: () => SheetModel): { sheet: SheetModel; address: string } {
  let target: Located;
  if (typeof cell === "string") {
    const p = parseAddress(cell);
    if (!p.sheet && !fallbackSheet) throw new FakeExcelError("InvalidArgument", `"${cell}" must include the sheet name`);
    target = { sheet: p.sheet ? host.sheetOrThrow(p.sheet) : fallbackSheet!(), rect: p.rect };
  } else {
    target = cell.locate();
  }
  if (target.rect.rows !== 1 || target.rect.cols !== 1)
    throw new FakeExcelError("InvalidArgument", "A note or comment goes on a single cell.");
  return { sheet: target.sheet, address: a1(target.rect.top, target.rect.left) };
}

class NoteCollectionProxy extends ProxyBase {
  protected readonly kind = "NoteCollection";

  constructor(
    ctx: FakeContext,
    private readonly sheet: () => SheetModel,
  ) {
    super(ctx);
  }

  protected snapshot(): unknown {
    return undefined;
  }

  add(cell: RangeProxy | string, content: string): void {
    this.queue(
      "add",
      18,
      () => {
        const { sheet, address } = singleCell(this.ctx.host, cell, this.sheet);
        if (sheet !== this.sheet()) throw new FakeExcelError("InvalidArgument", "The note's cell is on another sheet.");
        sheet.notes.set(address, content);
      },
      content,
    );
  }
}

class CommentCollectionProxy extends ProxyBase {
  protected readonly kind = "CommentCollection";

  protected snapshot(): unknown {
    return undefined;
  }

  add(cell: RangeProxy | string, content: string): void {
    this.queue(
      "add",
      10,
      () => {
        const { sheet, address } = singleCell(this.ctx.host, cell);
        this.ctx.host.comments.push({ sheet, cell: address, content });
      },
      content,
    );
  }
}

// ---- charts ----

class ChartCollectionProxy extends ProxyBase {
  protected readonly kind = "ChartCollection";

  constructor(
    ctx: FakeContext,
    private readonly sheet: () => SheetModel,
  ) {
    super(ctx);
  }

  protected snapshot(): unknown {
    return undefined;
  }

  override load(spec?: string | string[] | { select?: string }): this {
    const props = parseProps(spec);
    this.ctx.enqueue(`ChartCollection.load ${props.join(",")}`, 1, () => {
      const sheet = this.sheet();
      const items = sheet.charts.map((c) => {
        const p = new ChartProxy(this.ctx, () => c);
        p.takeProps(props);
        return p;
      });
      this.loadedProps.set("items", items);
    });
    return this;
  }

  get items(): ChartProxy[] {
    return this.loaded("items");
  }

  /** Like Excel: one series per non-empty column (seriesBy "Columns"); an empty source makes a chart with no series. */
  add(type: string, source: RangeProxy, seriesBy?: string): ChartProxy {
    let made: ChartModel | undefined;
    this.queue(
      `add ${type}`,
      1,
      () => {
        const sheet = this.sheet();
        const { sheet: srcSheet, rect } = source.locate();
        const values = this.ctx.host.read(srcSheet, rect, "values");
        const byRows = seriesBy === "Rows";
        const count = byRows ? rect.rows : rect.cols;
        const series: SeriesModel[] = [];
        for (let k = 0; k < count; k++) {
          const cells = byRows ? values[k] : values.map((row) => row[k]);
          if (cells.every((v) => v === "")) continue;
          const r = byRows ? { ...rect, top: rect.top + k, rows: 1 } : { ...rect, left: rect.left + k, cols: 1 };
          series.push({ name: `Series${series.length + 1}`, values: { sheet: srcSheet, rect: r } });
        }
        made = { name: `Chart ${sheet.charts.length + 1}`, type, series };
        sheet.charts.push(made);
      },
      type,
      seriesBy,
    );
    return new ChartProxy(this.ctx, () => {
      if (!made) throw new FakeExcelError("ItemNotFound", "the chart was not made");
      return made;
    });
  }
}

class ChartProxy extends ModelProxy<ChartModel> {
  protected readonly kind = "Chart";

  protected snapshot(prop: string): unknown {
    if (prop === "name") return this.resolve().name;
    throw new Error(`the fake cannot load Chart.${prop}`);
  }

  get name(): string {
    return this.loaded("name");
  }

  set name(v: string) {
    this.queue(
      `name ${v}`,
      1,
      () => {
        this.resolve().name = v;
      },
      v,
    );
  }

  get title(): { text: string } {
    const ctx = this.ctx;
    const resolve = this.resolve;
    return {
      set text(v: string) {
        ctx.enqueue(
          "ChartTitle.text",
          1,
          () => {
            resolve().title = v;
          },
          v,
        );
      },
      get text(): string {
        throw new FakeExcelError("PropertyNotLoaded", "ChartTitle.text is not loaded");
      },
    };
  }

  get legend(): { visible: boolean } {
    const ctx = this.ctx;
    const resolve = this.resolve;
    return {
      set visible(v: boolean) {
        ctx.enqueue(
          "ChartLegend.visible",
          1,
          () => {
            resolve().legendVisible = v;
          },
          v,
        );
      },
      get visible(): boolean {
        throw new FakeExcelError("PropertyNotLoaded", "ChartLegend.visible is not loaded");
      },
    };
  }

  setPosition(start: string, end?: string): void {
    this.queue(
      "setPosition",
      1,
      () => {
        this.resolve().position = { start, end };
      },
      start,
      end,
    );
  }

  setData(source: RangeProxy, seriesBy?: string): void {
    this.queue(
      "setData",
      1,
      () => {
        const chart = this.resolve();
        const { sheet, rect } = source.locate();
        const values = this.ctx.host.read(sheet, rect, "values");
        chart.series = [];
        const byRows = seriesBy === "Rows";
        const count = byRows ? rect.rows : rect.cols;
        for (let k = 0; k < count; k++) {
          const cells = byRows ? values[k] : values.map((row) => row[k]);
          if (cells.every((v) => v === "")) continue;
          const r = byRows ? { ...rect, top: rect.top + k, rows: 1 } : { ...rect, left: rect.left + k, cols: 1 };
          chart.series.push({ name: `Series${chart.series.length + 1}`, values: { sheet, rect: r } });
        }
      },
      seriesBy,
    );
  }

  private seriesList?: SeriesCollectionProxy;

  get series(): SeriesCollectionProxy {
    return (this.seriesList ??= new SeriesCollectionProxy(this.ctx, this.resolve));
  }
}

class SeriesCollectionProxy extends ProxyBase {
  protected readonly kind = "ChartSeriesCollection";

  constructor(
    ctx: FakeContext,
    private readonly chart: () => ChartModel,
  ) {
    super(ctx);
  }

  protected snapshot(prop: string): unknown {
    if (prop === "count") return this.chart().series.length;
    throw new Error(`the fake cannot load ChartSeriesCollection.${prop}`);
  }

  get count(): number {
    return this.loaded("count");
  }

  getItemAt(index: number): SeriesProxy {
    return new SeriesProxy(this.ctx, () => {
      const s = this.chart().series[index];
      if (!s) throw new FakeExcelError("ItemNotFound", `The chart has no series ${index}.`);
      return s;
    });
  }

  add(name?: string): SeriesProxy {
    let made: SeriesModel | undefined;
    this.queue(
      "add",
      7,
      () => {
        made = { name: name ?? `Series${this.chart().series.length + 1}` };
        this.chart().series.push(made);
      },
      name,
    );
    return new SeriesProxy(this.ctx, () => {
      if (!made) throw new FakeExcelError("ItemNotFound", "the series was not made");
      return made;
    });
  }
}

class SeriesProxy extends ModelProxy<SeriesModel> {
  protected readonly kind = "ChartSeries";

  protected snapshot(): unknown {
    return undefined;
  }

  set name(v: string) {
    this.queue(
      "name",
      1,
      () => {
        this.resolve().name = v;
      },
      v,
    );
  }

  get name(): string {
    return this.loaded("name");
  }

  setValues(source: RangeProxy): void {
    this.queue("setValues", 7, () => {
      this.resolve().values = source.locate();
    });
  }

  setXAxisValues(source: RangeProxy): void {
    this.queue("setXAxisValues", 7, () => {
      this.resolve().xValues = source.locate();
    });
  }
}
