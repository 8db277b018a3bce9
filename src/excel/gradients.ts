/**
 * The gradients of the last training step on a sheet of their own, one block
 * per weight, laid out like the weights and with the same diverging colour
 * scale, each block named Grad_<weight>. Three syncs: two to find the
 * sheets, the names and the settings (which say which names the add-in
 * made), one to write; the sheet is made the first time (and again, under a
 * free name, if the model's sizes changed), and recorded in the settings.
 */
import type { Params } from "../model/config";
import { toRows } from "../model/matrix";
import { rangeAddress } from "../sheet/a1";
import { Fill, SheetLayout } from "../sheet/layout";
import { NUMBER_FORMATS } from "../sheet/look";
import type { PlanBlock, WorkbookPlan } from "../sheet/plan";
import { parseSheetRange } from "./address";
import { intoBatches, op, PAYLOAD_LIMIT, runBatches } from "./batch";
import { writeExtras } from "./extras";
import { metaRows, scanSettings } from "./meta";
import { actualName, createdAfter, ownedNames, placeNames, previousMeta } from "./owned";
import { freeSheetName } from "./rename";
import { officeRequirements, RequirementChecker } from "./requirements";
import { features, SheetWriter } from "./write";
import { t } from "../i18n";

export const GRADIENTS_SHEET = "Gradients";

export function gradientName(param: string): string {
  return `Grad_${param}`;
}

export interface GradientsReport {
  sheet: string;
  /** True when this call made the sheet. */
  created: boolean;
  syncs: number;
  warnings: string[];
}

/** Blocks in bands: the weights of one head side by side, a LayerNorm's γ and β, a feed-forward's W1 b1 W2 b2. */
function bandOf(param: string): string {
  const cut = param.lastIndexOf("_");
  return cut < 0 ? param : param.slice(0, cut);
}

/** The Gradients sheet as a plan: one named block per parameter, in the order of `grads`. */
export function gradientPlan(grads: Params, sheet: string): WorkbookPlan {
  const fills: { block: PlanBlock; fill: Fill }[] = [];
  const layout = new SheetLayout(sheet, t().excel.gradientsPurpose, fills);
  const bands: string[][] = [];
  for (const name of Object.keys(grads)) {
    const last = bands[bands.length - 1];
    if (last && bandOf(last[0]) === bandOf(name)) last.push(name);
    else bands.push([name]);
  }
  for (const names of bands) {
    layout.band(
      names.map((name) => ({
        spec: {
          key: gradientName(name),
          title: `∂loss/∂${name}`,
          note: t().excel.gradientNote(name),
          role: "computed" as const,
          rows: grads[name].rows,
          cols: grads[name].cols,
          numberFormat: NUMBER_FORMATS.precise,
          heatmap: "diverging" as const,
        },
        fill: () => {
          const g = toRows(grads[name]);
          return { cells: g, values: g };
        },
      })),
    );
  }
  for (const { block, fill } of fills) Object.assign(block, fill());
  const s = layout.sheet;
  return { sheets: [s], names: s.blocks.map((b) => ({ name: b.key, sheet, range: rangeAddress(b.top, b.left, b.rows, b.cols) })) };
}

export async function writeGradients(
  context: Excel.RequestContext,
  grads: Params,
  options: { requirements?: RequirementChecker; payloadLimit?: number } = {},
): Promise<GradientsReport> {
  const nameItems = context.workbook.names.load("items/name,items/type,items/value");
  const scan = await scanSettings(context);
  const meta = previousMeta(scan.settings?.values);
  const owned = ownedNames(meta, nameItems.items);
  // Only names the add-in made are written through: a user's own Grad_… name is never touched.
  const existing = new Map(nameItems.items.map((n) => [n.name.toLowerCase(), n]));
  const entries = Object.entries(grads);
  const mapped = entries.map(([name]) => actualName(meta?.names, gradientName(name)));
  const placed = entries.map(([, m], k) => {
    const item = existing.get(mapped[k].toLowerCase());
    if (!item || item.type !== "Range" || !owned.has(mapped[k].toLowerCase())) return undefined;
    try {
      const r = parseSheetRange(String(item.value).replace(/^=/, ""));
      return r.rows === m.rows && r.cols === m.cols ? r : undefined;
    } catch {
      return undefined;
    }
  });

  const limit = options.payloadLimit ?? PAYLOAD_LIMIT;
  if (entries.length > 0 && placed.every((r) => r !== undefined)) {
    const ops = entries.map(([, m], k) => {
      const g = toRows(m);
      return op(() => {
        context.workbook.names.getItem(mapped[k]).getRange().values = g;
      }, g);
    });
    const syncs = await runBatches(context, intoBatches(ops, limit), () => {});
    return { sheet: placed[0]!.sheet, created: false, syncs: scan.syncs + syncs, warnings: [] };
  }

  const sheet = freeSheetName(GRADIENTS_SHEET, scan.sheets);
  const writer = new SheetWriter(context, features(options.requirements ?? officeRequirements()), limit);
  if (placed.some((r) => r !== undefined)) writer.warn(t().excel.gradientsMoved(sheet));
  const plan = gradientPlan(grads, sheet);
  const { names, replaceable, warning } = placeNames(
    plan.names.map((n) => n.name),
    new Set(existing.keys()),
    owned,
  );
  if (warning) writer.warn(warning);
  writer.addSheet(sheet);
  writer.writeSheet(plan.sheets[0]);
  writer.names(
    plan.names.map((n) => ({ ...n, name: names.get(n.name)! })),
    replaceable,
  );
  if (scan.settings && meta) {
    const created = createdAfter(meta, owned, scan.settings.sheet, [sheet], [...names.values()]);
    writer.hiddenTable(scan.settings.sheet, metaRows({ ...meta, names: { ...meta.names, ...Object.fromEntries(names) }, created }), true);
  }
  const syncs = await runBatches(context, intoBatches(writer.ops, limit), () => {});
  const extras = await writeExtras(context, writer, limit);
  return { sheet, created: true, syncs: scan.syncs + syncs + extras, warnings: writer.warnings };
}
