/**
 * Writes a WorkbookPlan as an .xlsx file with ExcelJS: the same sheets,
 * formulas, names, formats, heat maps and notes the Excel adapter applies.
 * Every formula carries the value src/model computed for it as its cached
 * result, so a reader that does not recalculate still shows the right
 * numbers; `fullCalcOnLoad` asks Excel to recalculate anyway.
 *
 * ExcelJS cannot write charts, so the plan's charts are added to the saved
 * package afterwards as minimal DrawingML line charts (see addCharts).
 */
import { promises as fs } from "fs";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { cellAddress, parseCell, rangeAddress } from "../sheet/a1";
import { ColourScale, DEFAULT_FONT, FILLS, FontLook, LABEL_FONT, SCALES, TEXT_FONTS, TITLE_FONT } from "../sheet/look";
import { blockRect, columnFormats, isFormula, PlanBlock, PlanChart, PlanSheet, PlanValue, WorkbookPlan } from "../sheet/plan";

/** ExcelJS takes colours as ARGB: the look's "#RRGGBB", opaque. */
function argb(hex: string): { argb: string } {
  return { argb: `FF${hex.slice(1)}` };
}

/** The look's font with the default face and size filled in (DEFAULT_FONT says why). */
function font(look: FontLook): Partial<ExcelJS.Font> {
  const { color, ...rest } = look;
  const full = { ...DEFAULT_FONT, ...rest };
  return color === undefined ? full : { ...full, color: argb(color) };
}

const CFVO_TYPE = { number: "num", lowest: "min", highest: "max" } as const;

function colourScale(scale: ColourScale): Pick<ExcelJS.ColorScaleRuleType, "cfvo" | "color"> {
  const points = scale.mid ? [scale.min, scale.mid, scale.max] : [scale.min, scale.max];
  return {
    cfvo: points.map((p) => (p.kind === "number" ? { type: CFVO_TYPE[p.kind], value: p.value } : { type: CFVO_TYPE[p.kind] })),
    color: points.map((p) => argb(p.color)),
  };
}

export async function writePlanXlsx(plan: WorkbookPlan, file: string): Promise<void> {
  await fs.writeFile(file, await planXlsxBuffer(plan));
}

/** The .xlsx package as bytes. */
export async function planXlsxBuffer(plan: WorkbookPlan): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Attention Lab";
  workbook.calcProperties.fullCalcOnLoad = true;
  for (const s of plan.sheets) writeSheet(workbook.addWorksheet(s.name), s);
  const opens = plan.sheets.findIndex((s) => s.opens);
  // The tab Excel and LibreOffice show first. No sheet says tabSelected, so none is grouped with it.
  if (opens >= 0) workbook.views = [{ x: 0, y: 0, width: 12000, height: 24000, firstSheet: 0, activeTab: opens, visibility: "visible" }];
  for (const n of plan.names) workbook.definedNames.add(`${quote(n.sheet)}!${n.range}`, n.name);
  const saved = Buffer.from(await workbook.xlsx.writeBuffer());
  return plan.sheets.some((s) => s.charts.length > 0) ? addCharts(saved, plan) : saved;
}

function writeSheet(ws: ExcelJS.Worksheet, s: PlanSheet): void {
  s.columnWidths.forEach((w, j) => {
    ws.getColumn(j + 1).width = w;
  });
  if (s.freeze) ws.views = [{ state: "frozen", xSplit: s.freeze.cols, ySplit: s.freeze.rows }];
  for (const t of s.texts) {
    const cell = ws.getCell(t.row + 1, t.col + 1);
    cell.value = t.text;
    cell.font = font(TEXT_FONTS[t.style]);
  }
  // Excel wants each conditional format of a sheet to have its own priority.
  s.blocks.forEach((b, k) => writeBlock(ws, b, k + 1));
}

function writeBlock(ws: ExcelJS.Worksheet, b: PlanBlock, priority: number): void {
  const rect = blockRect(b);
  const labelCols = b.rowLabels ? 1 : 0;
  const fill = FILLS[b.role];
  const formats = columnFormats(b);
  rect.cells.forEach((row, i) =>
    row.forEach((c, j) => {
      if (c === null) return;
      const cell = ws.getCell(rect.top + i + 1, rect.left + j + 1);
      cell.value = isFormula(c) ? formulaValue(c.formula, rect.values[i][j]) : c;
      const inData = i >= 2 && j >= labelCols;
      if (i === 0 && j === 0) {
        cell.font = font(TITLE_FONT);
        if (b.note) cell.note = b.note;
      } else if (!inData) {
        cell.font = font(LABEL_FONT);
        if (i === 1 && j >= labelCols && b.shrinkColLabels) cell.alignment = { shrinkToFit: true };
      }
    }),
  );
  // Styles go on every data cell, empty ones too: an empty input cell is where the user types.
  for (let i = 0; i < b.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      const cell = ws.getCell(b.top + i + 1, b.left + j + 1);
      if (formats) cell.numFmt = formats[j];
      if (fill) cell.fill = { type: "pattern", pattern: "solid", fgColor: argb(fill) };
    }
  }
  if (b.heatmap) {
    ws.addConditionalFormatting({
      ref: rangeAddress(b.top, b.left, b.rows, b.cols, false),
      rules: [{ type: "colorScale", priority, ...colourScale(SCALES[b.heatmap]) }],
    });
  }
}

function formulaValue(formula: string, cached: PlanValue): ExcelJS.CellFormulaValue {
  return cached === null ? { formula } : { formula, result: cached };
}

function quote(sheet: string): string {
  return `'${sheet.replace(/'/g, "''")}'`;
}

// ---- charts: DrawingML parts added to the package ExcelJS wrote ----

const NS = {
  rels: "http://schemas.openxmlformats.org/package/2006/relationships",
  r: "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
  chart: "http://schemas.openxmlformats.org/drawingml/2006/chart",
  a: "http://schemas.openxmlformats.org/drawingml/2006/main",
  xdr: "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
};
const REL_DRAWING = `${NS.r}/drawing`;
const REL_CHART = `${NS.r}/chart`;
const CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml";
const CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
/** Elements of a worksheet that must come after <drawing> (ECMA-376 CT_Worksheet order). */
const AFTER_DRAWING = [
  "legacyDrawing",
  "legacyDrawingHF",
  "drawingHF",
  "picture",
  "oleObjects",
  "controls",
  "webPublishItems",
  "tableParts",
  "extLst",
];

/**
 * One drawing per sheet that has charts, one chart part per chart, the
 * relationships that tie them to the sheet, and their content types.
 */
async function addCharts(saved: Buffer, plan: WorkbookPlan): Promise<Buffer> {
  const zip = await JSZip.loadAsync(saved);
  const sheetFiles = await sheetPartsByName(zip);
  const values = cellValues(plan);
  let contentTypes = await text(zip, "[Content_Types].xml");
  let drawingNo = freeNumber(zip, "xl/drawings/drawing");
  let chartNo = freeNumber(zip, "xl/charts/chart");

  for (const s of plan.sheets) {
    if (s.charts.length === 0) continue;
    const sheetPart = sheetFiles.get(s.name);
    if (!sheetPart) throw new Error(`the saved workbook has no part for the sheet ${s.name}`);
    const drawingPart = `xl/drawings/drawing${drawingNo}.xml`;
    const anchors: string[] = [];
    const drawingRels: string[] = [];
    s.charts.forEach((chart, k) => {
      const chartPart = `xl/charts/chart${chartNo}.xml`;
      zip.file(chartPart, chartXml(chart, values));
      contentTypes = addOverride(contentTypes, chartPart, CT_CHART);
      drawingRels.push(relXml(`rId${k + 1}`, REL_CHART, `../charts/chart${chartNo}.xml`));
      anchors.push(anchorXml(chart, k + 1, `rId${k + 1}`));
      chartNo += 1;
    });
    zip.file(
      drawingPart,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
        `<xdr:wsDr xmlns:xdr="${NS.xdr}" xmlns:a="${NS.a}">${anchors.join("")}</xdr:wsDr>`,
    );
    zip.file(relsPath(drawingPart), relsXml(drawingRels));
    contentTypes = addOverride(contentTypes, drawingPart, CT_DRAWING);

    const sheetRelsPart = relsPath(sheetPart);
    const existing = zip.file(sheetRelsPart) ? await text(zip, sheetRelsPart) : relsXml([]);
    const rId = freeRelId(existing);
    zip.file(
      sheetRelsPart,
      existing.replace("</Relationships>", `${relXml(rId, REL_DRAWING, `../drawings/drawing${drawingNo}.xml`)}</Relationships>`),
    );
    zip.file(sheetPart, insertDrawing(await text(zip, sheetPart), rId));
    drawingNo += 1;
  }
  zip.file("[Content_Types].xml", contentTypes);
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

async function text(zip: JSZip, part: string): Promise<string> {
  const f = zip.file(part);
  if (!f) throw new Error(`the saved workbook has no ${part}`);
  return f.async("string");
}

/** Sheet name → its part ("xl/worksheets/sheet3.xml"), through workbook.xml and its relationships. */
async function sheetPartsByName(zip: JSZip): Promise<Map<string, string>> {
  const workbook = await text(zip, "xl/workbook.xml");
  const rels = await text(zip, "xl/_rels/workbook.xml.rels");
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], "Id");
    const target = attr(m[0], "Target");
    if (id && target) targets.set(id, target.startsWith("/") ? target.slice(1) : `xl/${target}`);
  }
  const parts = new Map<string, string>();
  for (const m of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const name = attr(m[0], "name");
    const target = targets.get(attr(m[0], "r:id") ?? "");
    if (name !== undefined && target) parts.set(unescapeXml(name), target);
  }
  return parts;
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

function freeNumber(zip: JSZip, prefix: string): number {
  let n = 1;
  while (zip.file(`${prefix}${n}.xml`)) n += 1;
  return n;
}

function freeRelId(rels: string): string {
  const used = new Set([...rels.matchAll(/\sId="([^"]*)"/g)].map((m) => m[1]));
  let n = 1;
  while (used.has(`rId${n}`)) n += 1;
  return `rId${n}`;
}

function relsPath(part: string): string {
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash)}/_rels/${part.slice(slash + 1)}.rels`;
}

function relsXml(rels: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.rels}">${rels.join("")}</Relationships>`;
}

function relXml(id: string, type: string, target: string): string {
  return `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`;
}

function addOverride(contentTypes: string, part: string, type: string): string {
  return contentTypes.replace("</Types>", `<Override PartName="/${part}" ContentType="${type}"/></Types>`);
}

/** <drawing r:id> in its place: before the first element the schema puts after it. */
function insertDrawing(sheetXml: string, rId: string): string {
  const tag = `<drawing r:id="${rId}"/>`;
  const withNs = /<worksheet\b[^>]*\sxmlns:r=/.test(sheetXml) ? sheetXml : sheetXml.replace("<worksheet", `<worksheet xmlns:r="${NS.r}"`);
  let at = withNs.lastIndexOf("</worksheet>");
  for (const name of AFTER_DRAWING) {
    const i = withNs.search(new RegExp(`<${name}[\\s>/]`));
    if (i >= 0 && i < at) at = i;
  }
  return withNs.slice(0, at) + tag + withNs.slice(at);
}

function anchorXml(chart: PlanChart, id: number, rId: string): string {
  const marker = (row: number, col: number) =>
    `<xdr:col>${col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${row}</xdr:row><xdr:rowOff>0</xdr:rowOff>`;
  return (
    `<xdr:twoCellAnchor editAs="oneCell">` +
    `<xdr:from>${marker(chart.top, chart.left)}</xdr:from>` +
    `<xdr:to>${marker(chart.top + chart.height, chart.left + chart.width)}</xdr:to>` +
    `<xdr:graphicFrame macro="">` +
    `<xdr:nvGraphicFramePr><xdr:cNvPr id="${id + 1}" name="Chart ${id}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
    `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>` +
    `<a:graphic><a:graphicData uri="${NS.chart}">` +
    `<c:chart xmlns:c="${NS.chart}" xmlns:r="${NS.r}" r:id="${rId}"/></a:graphicData></a:graphic>` +
    `</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`
  );
}

type ValueLookup = (sheet: string, row: number, col: number) => PlanValue;

/** The value the plan gives each cell, for the charts' cached points. */
function cellValues(plan: WorkbookPlan): ValueLookup {
  const bySheet = new Map<string, Map<string, PlanValue>>();
  for (const s of plan.sheets) {
    const cells = new Map<string, PlanValue>();
    for (const b of s.blocks) {
      const rect = blockRect(b);
      rect.values.forEach((row, i) => row.forEach((v, j) => cells.set(cellAddress(rect.top + i, rect.left + j), v)));
    }
    bySheet.set(s.name, cells);
  }
  return (sheet, row, col) => bySheet.get(sheet)?.get(cellAddress(row, col)) ?? null;
}

/** "'Training'!$B$6:$B$9" → its sheet and the cells of its one row or column. */
function rangeCells(ref: string): { sheet: string; cells: { row: number; col: number }[] } {
  const m = /^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]+\$?\d+)(?::(\$?[A-Z]+\$?\d+))?$/.exec(ref);
  if (!m) throw new RangeError(`a chart range should look like 'Sheet'!$B$6:$B$9, got "${ref}"`);
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
  const a = parseCell(m[3]);
  const b = m[4] ? parseCell(m[4]) : a;
  const cells: { row: number; col: number }[] = [];
  for (let row = Math.min(a.row, b.row); row <= Math.max(a.row, b.row); row++) {
    for (let col = Math.min(a.col, b.col); col <= Math.max(a.col, b.col); col++) cells.push({ row, col });
  }
  return { sheet, cells };
}

/** A numRef with its cached points, so a reader that does not recalculate still draws the line. */
function numRef(ref: string, values: ValueLookup): string {
  const { sheet, cells } = rangeCells(ref);
  const points = cells
    .map(({ row, col }, i) => {
      const v = values(sheet, row, col);
      return typeof v === "number" ? `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>` : "";
    })
    .join("");
  return (
    `<c:numRef><c:f>${escapeXml(ref)}</c:f><c:numCache><c:formatCode>General</c:formatCode>` +
    `<c:ptCount val="${cells.length}"/>${points}</c:numCache></c:numRef>`
  );
}

function chartXml(chart: PlanChart, values: ValueLookup): string {
  const CAT_AX = 500000001;
  const VAL_AX = 500000002;
  const series = chart.series
    .map(
      (s, i) =>
        `<c:ser><c:idx val="${i}"/><c:order val="${i}"/><c:tx><c:v>${escapeXml(s.name)}</c:v></c:tx>` +
        `<c:marker><c:symbol val="none"/></c:marker>` +
        `<c:cat>${numRef(chart.categories, values)}</c:cat><c:val>${numRef(s.values, values)}</c:val><c:smooth val="0"/></c:ser>`,
    )
    .join("");
  const title =
    `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>${escapeXml(chart.title)}</a:t></a:r></a:p></c:rich></c:tx>` +
    `<c:overlay val="0"/></c:title>`;
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<c:chartSpace xmlns:c="${NS.chart}" xmlns:a="${NS.a}" xmlns:r="${NS.r}">` +
    `<c:roundedCorners val="0"/>` +
    `<c:chart>${title}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>` +
    `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series}<c:marker val="1"/>` +
    `<c:axId val="${CAT_AX}"/><c:axId val="${VAL_AX}"/></c:lineChart>` +
    `<c:catAx><c:axId val="${CAT_AX}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/>` +
    `<c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/><c:crossAx val="${VAL_AX}"/><c:crosses val="autoZero"/>` +
    `<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>` +
    `<c:valAx><c:axId val="${VAL_AX}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/>` +
    `<c:majorGridlines/><c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/><c:crossAx val="${CAT_AX}"/>` +
    `<c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>` +
    `</c:plotArea><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>`
  );
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function unescapeXml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
