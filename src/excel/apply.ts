/**
 * Builds a WorkbookPlan into the open workbook in a fixed number of syncs:
 *
 *   1. read the names of the sheets and of the workbook names (and, in a
 *      second sync, the rows of the very hidden sheets, where an earlier
 *      build's settings are);
 *   2. the core: queue the sheets, values and formulas a block at a time,
 *      formats, names and the hidden settings sheet, and sync once, with
 *      calculation and screen updating suspended; a plan whose commands
 *      exceed the payload limit (batch.ts) is cut into as many syncs as it
 *      needs, which none of the presets does;
 *   3. finish: recalculate (calculation was suspended), show the first
 *      sheet; the model works from here on;
 *   4. the extras (notes, colour scales, column widths, frozen panes, the
 *      loss chart), a sync for each kind (extras.ts): one that fails
 *      becomes a warning, not a failed build.
 *
 * A sheet the user already has is never touched: the plan's sheet goes to a
 * free name ("Encoder (2)") and every reference to it is rewritten. Nor is a
 * workbook name the user made: our block takes a free name (owned.ts), and
 * the settings record every sheet and name the add-in created.
 */
import type { WorkbookPlan } from "../sheet/plan";
import { intoBatches, PAYLOAD_LIMIT, runBatches } from "./batch";
import { writeExtras } from "./extras";
import { META_SHEET, metaRows, scanSettings, WorkbookMeta } from "./meta";
import { createdAfter, ownedNames, placeNames, previousMeta } from "./owned";
import { freeSheetName, renamePlan } from "./rename";
import { officeRequirements, RequirementChecker } from "./requirements";
import { features, SheetWriter } from "./write";
import { t } from "../i18n";

export interface ApplyOptions {
  /** Stored in the very hidden AttentionLab sheet for the trainer (readMeta); the sheet and name mappings are filled in here. */
  meta?: Omit<WorkbookMeta, "sheets" | "names" | "created">;
  onStatus?: (message: string) => void;
  /** Defaults to Office.context.requirements. */
  requirements?: RequirementChecker;
  /** Estimated request bytes per sync (default PAYLOAD_LIMIT, 4 MB). */
  payloadLimit?: number;
}

export interface ApplyReport {
  /** `actual` differs from `planned` when the workbook already had a sheet of that name. */
  sheets: { planned: string; actual: string }[];
  /** Public block name → the workbook name it got (differs when the user already had that name). */
  names: Record<string, string>;
  syncs: number;
  warnings: string[];
}

export async function applyPlan(context: Excel.RequestContext, plan: WorkbookPlan, options: ApplyOptions = {}): Promise<ApplyReport> {
  const status = options.onStatus ?? (() => {});
  const req = options.requirements ?? officeRequirements();
  if (plan.sheets.some((s) => s.name.toLowerCase() === META_SHEET.toLowerCase())) {
    throw new RangeError(`a plan may not have a sheet named ${META_SHEET}: the add-in keeps its settings there`);
  }

  const T = t().excel;
  status(T.reading);
  const nameItems = context.workbook.names.load("items/name,items/value");
  const scan = await scanSettings(context);
  let syncs = scan.syncs;
  const existingSheets = scan.sheets;
  const existingNames = new Set(nameItems.items.map((n) => n.name.toLowerCase()));
  const previous = previousMeta(scan.settings?.values);
  const owned = ownedNames(previous, nameItems.items);

  const taken = [...existingSheets];
  const renames = new Map<string, string>();
  for (const s of plan.sheets) {
    const actual = freeSheetName(s.name, taken);
    taken.push(actual);
    renames.set(s.name, actual);
  }
  const placed = renamePlan(plan, renames);
  const sheets = plan.sheets.map((s) => ({ planned: s.name, actual: renames.get(s.name)! }));
  const settingsSheet = scan.settings?.sheet ?? freeSheetName(META_SHEET, taken);
  const {
    names,
    replaceable,
    warning: userNames,
  } = placeNames(
    placed.names.map((n) => n.name),
    existingNames,
    owned,
  );

  const writer = new SheetWriter(context, features(req), options.payloadLimit ?? PAYLOAD_LIMIT);
  const moved = sheets.filter((s) => s.planned !== s.actual);
  if (moved.length > 0) {
    writer.warn(
      T.sheetsMoved(
        moved.map((s) => `"${s.planned}"`),
        moved.map((s) => `"${s.actual}"`),
      ),
    );
  }
  if (options.meta && !scan.settings && settingsSheet !== META_SHEET) {
    writer.warn(T.settingsMoved(META_SHEET, settingsSheet));
  }
  if (userNames) writer.warn(userNames);
  const replaced = [...names.values()].filter((n) => owned.has(n.toLowerCase()) && existingNames.has(n.toLowerCase()));
  if (replaced.length > 0) {
    const shown = replaced.slice(0, 4).join(", ");
    writer.warn(T.namesReplaced(replaced.length, `${shown}${replaced.length > 4 ? ", …" : ""}`));
  }

  for (const s of placed.sheets) writer.addSheet(s.name);
  for (const s of placed.sheets) writer.writeSheet(s);
  const blocks = new Map(placed.sheets.flatMap((s) => s.blocks.map((b) => [b.key, b] as const)));
  writer.names(
    placed.names.map((n) => ({ ...n, name: names.get(n.name)!, comment: blocks.get(n.name)?.title })),
    replaceable,
  );
  if (options.meta) {
    const mapping = Object.fromEntries(sheets.map((s) => [s.planned, s.actual]));
    const created = createdAfter(
      previous,
      owned,
      settingsSheet,
      sheets.map((s) => s.actual),
      [...names.values()],
    );
    writer.hiddenTable(
      settingsSheet,
      metaRows({ ...options.meta, sheets: mapping, names: Object.fromEntries(names), created }),
      !!scan.settings,
    );
  }

  const batches = intoBatches(writer.ops, options.payloadLimit ?? PAYLOAD_LIMIT);
  const cells = placed.sheets.reduce((n, s) => n + s.blocks.reduce((m, b) => m + b.rows * b.cols, 0), 0);
  syncs += await runBatches(
    context,
    batches,
    () => {
      context.application.suspendApiCalculationUntilNextSync();
      context.application.suspendScreenUpdatingUntilNextSync();
    },
    (k, count) => status(T.writing(placed.sheets.length, cells.toLocaleString("en-US"), count === 1 ? undefined : [k + 1, count])),
  );

  status(T.recalculating);
  // "Recalculate" computes the cells Excel has marked dirty, and a cell written while
  // calculation was suspended is one: Microsoft's own example ("Suspend calculation
  // temporarily", learn.microsoft.com/office/dev/add-ins/excel/performance) reads the
  // new result after the next sync. "Full" would recalculate every cell of every open
  // workbook, the user's others too; "FullRebuild" rebuilds their dependency chains
  // as well. Asked for explicitly, since a workbook in Manual mode would not calculate.
  context.application.calculate("Recalculate");
  const opens = placed.sheets.find((s) => s.opens) ?? placed.sheets[0];
  if (opens) writer.activate(opens.name);
  await context.sync();
  syncs += 1;
  status(T.extras);
  syncs += await writeExtras(context, writer, options.payloadLimit ?? PAYLOAD_LIMIT);
  status(T.built);
  return { sheets, syncs, warnings: writer.warnings, names: Object.fromEntries(names) };
}
