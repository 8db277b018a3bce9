/**
 * Turns plan sheets into queued Excel commands (Ops): values and formulas a
 * block at a time as 2-D arrays, then the block's look (title, labels,
 * number format, fill), names and the hidden table: the core, without which
 * the model does not work. The extras (notes, colour scales, column widths,
 * frozen panes, charts) are kept apart, by kind, for extras.ts to write after
 * the core. Shared by the build (apply.ts) and the Gradients sheet.
 */
import { columnLetters, rangeAddress } from "../sheet/a1";
import { FILLS, LABEL_FONT, SCALES, TEXT_FONTS, TITLE_FONT } from "../sheet/look";
import { blockRect, columnFormats, isFormula, PlanBlock, PlanCell, PlanChart, PlanSheet } from "../sheet/plan";
import { parseSheetRange, SheetRange } from "./address";
import { Op, op, PAYLOAD_LIMIT, rowChunks } from "./batch";
import { API, excelApi, RequirementChecker } from "./requirements";
import type { Extra } from "./extras";
import { colourScaleCriteria, columnWidthPoints, setFont } from "./style";
import { t } from "../i18n";

/** What this Excel can do beyond the floor (requirements.ts), decided once from the requirement sets. */
export interface Features {
  notes: "notes" | "comments";
}

export function features(req: RequirementChecker): Features {
  return { notes: excelApi(req, API.notes) ? "notes" : "comments" };
}

export const WARNINGS = {
  /** In the language in use (src/i18n). */
  get notesAsComments(): string {
    return t().excel.notesAsComments;
  },
};

/** Charts the adapter made carry this prefix in their name, so the log can find and extend them. */
export const CHART_PREFIX = "AttentionLab: ";

type ExcelCell = string | number | boolean | null;

/** A plan cell as Excel's 2-D arrays take it: a formula with its "=", null to leave the cell as it is. */
export function excelCell(c: PlanCell): ExcelCell {
  return isFormula(c) ? `=${c.formula}` : c;
}

const a1 = (top: number, left: number, rows = 1, cols = 1): string => rangeAddress(top, left, rows, cols, false);

export class SheetWriter {
  /** The core: sheets, values, formulas, formats, names, the hidden table. */
  readonly ops: Op[] = [];
  /** What the build can do without, by kind, in the order it was queued. */
  readonly extras = new Map<Extra, Op[]>();
  private readonly warned: string[] = [];
  private readonly proxies = new Map<string, Excel.Worksheet>();
  private readonly charts: { chart: Excel.Chart; plan: PlanChart }[] = [];

  constructor(
    private readonly context: Excel.RequestContext,
    readonly can: Features,
    private readonly limit = PAYLOAD_LIMIT,
  ) {}

  get warnings(): string[] {
    return [...this.warned];
  }

  warn(message: string): void {
    if (!this.warned.includes(message)) this.warned.push(message);
  }

  private extra(kind: Extra, o: Op): void {
    const list = this.extras.get(kind) ?? [];
    list.push(o);
    this.extras.set(kind, list);
  }

  /** The worksheet proxy for a sheet name, once an earlier op has made or fetched it. */
  private sheet(name: string): Excel.Worksheet {
    let ws = this.proxies.get(name);
    if (!ws) {
      ws = this.context.workbook.worksheets.getItem(name);
      this.proxies.set(name, ws);
    }
    return ws;
  }

  private range(r: SheetRange): Excel.Range {
    return this.sheet(r.sheet).getRange(a1(r.top, r.left, r.rows, r.cols));
  }

  addSheet(name: string): void {
    this.ops.push(op(() => this.proxies.set(name, this.context.workbook.worksheets.add(name)), name));
  }

  /** Texts, blocks, widths, frozen panes and charts of one sheet already added. */
  writeSheet(s: PlanSheet): void {
    for (const t of s.texts) {
      this.ops.push(
        op(() => {
          const r = this.sheet(s.name).getRange(a1(t.row, t.col));
          r.values = [[t.text]];
          setFont(r, TEXT_FONTS[t.style]);
        }, t.text),
      );
    }
    for (const b of s.blocks) this.writeBlock(b);
    this.columnWidths(s);
    this.freeze(s);
    for (const c of s.charts) this.chart(s.name, c);
  }

  private writeBlock(b: PlanBlock): void {
    const rect = blockRect(b);
    const width = rect.cells[0]?.length ?? 0;
    const grid = rect.cells.map((row) => row.map(excelCell));
    for (const { start, rows } of rowChunks(grid, this.limit)) {
      const part = grid.slice(start, start + rows);
      this.ops.push(
        op(() => {
          this.sheet(b.sheet).getRange(a1(rect.top + start, rect.left, rows, width)).formulas = part;
        }, part),
      );
    }
    const title = a1(rect.top, rect.left);
    const labelCols = b.rowLabels ? 1 : 0;
    this.ops.push(op(() => setFont(this.sheet(b.sheet).getRange(title), TITLE_FONT)));
    if (b.colLabels && b.cols > 0)
      this.ops.push(
        op(() => {
          const labels = this.sheet(b.sheet).getRange(a1(rect.top + 1, rect.left + labelCols, 1, b.cols));
          setFont(labels, LABEL_FONT);
          if (b.shrinkColLabels) labels.format.shrinkToFit = true;
        }),
      );
    if (b.rowLabels && b.rows > 0)
      this.ops.push(op(() => setFont(this.sheet(b.sheet).getRange(a1(b.top, b.left - 1, b.rows, 1)), LABEL_FONT)));
    if (b.rows > 0 && b.cols > 0) this.styleData(b);
    if (b.note) this.note(b.sheet, title, b.note);
  }

  /** Styles go on every data cell, empty ones too: an empty input cell is where the user types. */
  private styleData(b: PlanBlock): void {
    const data = a1(b.top, b.left, b.rows, b.cols);
    const perColumn = columnFormats(b);
    if (perColumn) {
      const formats = Array.from({ length: b.rows }, () => [...perColumn]);
      this.ops.push(
        op(() => {
          this.sheet(b.sheet).getRange(data).numberFormat = formats;
        }, formats),
      );
    }
    const fill = FILLS[b.role];
    if (fill) {
      this.ops.push(
        op(() => {
          this.sheet(b.sheet).getRange(data).format.fill.color = fill;
        }),
      );
    }
    if (b.heatmap) {
      const criteria = colourScaleCriteria(SCALES[b.heatmap]);
      // Two commands (add, then criteria), each naming the range's sheet and address.
      const scalePayload = [criteria, b.sheet, data, b.sheet, data];
      this.extra(
        "colour scales",
        op(
          () => {
            const cf = this.sheet(b.sheet).getRange(data).conditionalFormats.add("ColorScale");
            cf.colorScale.criteria = criteria;
          },
          ...scalePayload,
        ),
      );
    }
  }

  private note(sheet: string, cell: string, text: string): void {
    if (this.can.notes === "notes") {
      this.extra(
        "notes",
        op(() => this.sheet(sheet).notes.add(cell, text), text),
      );
    } else {
      this.extra(
        "notes",
        op(() => this.context.workbook.comments.add(this.sheet(sheet).getRange(cell), text), text),
      );
    }
  }

  /** Runs of equal widths become one range ("B:D"), so a sheet takes a handful of commands, not one per column. */
  private columnWidths(s: PlanSheet): void {
    if (s.columnWidths.length === 0) return;
    let start = 0;
    s.columnWidths.forEach((w, j) => {
      const last = j === s.columnWidths.length - 1;
      if (!last && s.columnWidths[j + 1] === w) return;
      const cols = `${columnLetters(start)}:${columnLetters(j)}`;
      const points = columnWidthPoints(w);
      this.extra(
        "column widths",
        op(() => {
          this.sheet(s.name).getRange(cols).format.columnWidth = points;
        }),
      );
      start = j + 1;
    });
  }

  private freeze(s: PlanSheet): void {
    const f = s.freeze;
    if (!f || (f.rows === 0 && f.cols === 0)) return;
    this.extra(
      "frozen panes",
      op(() => {
        const panes = this.sheet(s.name).freezePanes;
        if (f.rows > 0 && f.cols > 0) panes.freezeAt(a1(0, 0, f.rows, f.cols));
        else if (f.rows > 0) panes.freezeRows(f.rows);
        else panes.freezeColumns(f.cols);
      }),
    );
  }

  /**
   * The chart is made from its first series' values; its series are named
   * and given their x values in `finishCharts`, after a sync has told how many
   * series Excel made (none, when the log is still empty).
   */
  private chart(sheet: string, c: PlanChart): void {
    if (c.series.length === 0) return;
    const values = parseSheetRange(c.series[0].values);
    this.extra(
      "charts",
      op(() => {
        const chart = this.sheet(sheet).charts.add("Line", this.range(values), "Columns");
        chart.name = CHART_PREFIX + c.title;
        chart.title.text = c.title;
        chart.legend.visible = c.series.length > 1;
        chart.setPosition(a1(c.top, c.left), a1(c.top + c.height - 1, c.left + c.width - 1));
        chart.series.load("count");
        this.charts.push({ chart, plan: c });
      }, c),
    );
  }

  /** Queues the series' names and ranges of the charts made earlier; call after their batch is synced. */
  finishCharts(): void {
    for (const { chart, plan } of this.charts) {
      const made = chart.series.count;
      const x = parseSheetRange(plan.categories);
      plan.series.forEach((s, k) => {
        const series = k < made ? chart.series.getItemAt(k) : chart.series.add(s.name);
        series.name = s.name;
        if (k >= made) series.setValues(this.range(parseSheetRange(s.values)));
        series.setXAxisValues(this.range(x));
      });
    }
  }

  /**
   * Workbook names for blocks; a name that already exists (an earlier build)
   * is deleted first, so that it points at the new sheets.
   */
  names(names: readonly { name: string; sheet: string; range: string; comment?: string }[], existing: ReadonlySet<string>): void {
    for (const n of names) {
      const address = n.range.replace(/\$/g, "");
      this.ops.push(
        op(() => {
          const collection = this.context.workbook.names;
          if (existing.has(n.name.toLowerCase())) collection.getItem(n.name).delete();
          collection.add(n.name, this.sheet(n.sheet).getRange(address), n.comment);
        }, n),
      );
    }
  }

  /** The very hidden key/value sheet, made or emptied, then filled as text. */
  hiddenTable(sheet: string, rows: string[][], exists: boolean): void {
    this.ops.push(
      op(() => {
        if (exists) {
          const ws = this.sheet(sheet);
          ws.getRange().clear();
          ws.visibility = "VeryHidden";
        } else {
          const ws = this.context.workbook.worksheets.add(sheet);
          this.proxies.set(sheet, ws);
          ws.visibility = "VeryHidden";
        }
      }),
    );
    const address = a1(0, 0, rows.length, rows[0]?.length ?? 1);
    const text = rows.map((r) => r.map(() => "@"));
    this.ops.push(
      op(
        () => {
          const r = this.sheet(sheet).getRange(address);
          r.numberFormat = text;
          r.values = rows;
        },
        rows,
        text,
      ),
    );
  }

  activate(sheet: string): void {
    this.sheet(sheet).activate();
  }
}
