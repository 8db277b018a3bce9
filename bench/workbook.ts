/**
 * `npm run bench:workbook`: for each preset and 1 to 4 layers per stack, the
 * exported workbook's formula count, file size, and how long LibreOffice
 * takes to load and recalculate it, net of LibreOffice's own start-up (the
 * time to open an empty .xlsx).
 * Each time is the median of 3 runs. The table goes into docs/benchmarks.md
 * between its bench:workbook markers.
 */
import fs from "fs";
import os from "os";
import path from "path";
import ExcelJS from "exceljs";
import { buildTrained, formulaCount } from "../src/cli/workbook";
import { parseWorkbookArgs } from "../src/cli/workbook-args";
import { writePlanXlsx } from "../src/cli/xlsx";
import { PRESET_NAMES } from "../src/model/presets";
import { LibreOfficeProfile, libreOfficeVersion } from "../tests/support/libreoffice";

const RUNS = 3;
/** Layers per stack: an encoder–decoder of N has N encoder and N decoder layers. */
const LAYERS = [1, 2, 3, 4];
const DOC = path.resolve(__dirname, "..", "docs", "benchmarks.md");
const START = "<!-- bench:workbook -->";
const END = "<!-- /bench:workbook -->";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function medianTime(profile: LibreOfficeProfile, file: string): number {
  return median(Array.from({ length: RUNS }, () => profile.timeLoadAndRecalculate(file)));
}

async function main(): Promise<void> {
  const version = libreOfficeVersion();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attention-lab-bench-"));
  const profile = new LibreOfficeProfile();
  try {
    const empty = path.join(dir, "empty.xlsx");
    const blank = new ExcelJS.Workbook();
    blank.addWorksheet("Sheet1");
    await blank.xlsx.writeFile(empty);
    profile.timeLoadAndRecalculate(empty); // the first start fills the fresh profile: not timed
    const startup = medianTime(profile, empty);
    console.log(`LibreOffice start-up (empty .xlsx): ${(startup / 1000).toFixed(2)} s`);

    const rows: string[] = [];
    for (const preset of PRESET_NAMES) {
      for (const layers of LAYERS) {
        const o = parseWorkbookArgs(["--preset", preset, "--train-steps", "0", "--layers", String(layers)]);
        if ("error" in o) throw new Error(o.error);
        const { plan } = await buildTrained(o);
        const file = path.join(dir, `${preset}-${layers}.xlsx`);
        await writePlanXlsx(plan, file);
        const bytes = fs.statSync(file).size;
        const net = medianTime(profile, file) - startup;
        const row = `| ${preset} | ${layers} | ${formulaCount(plan).toLocaleString("en-US")} | ${(bytes / 1024).toFixed(0)} KiB | ${(net / 1000).toFixed(2)} s |`;
        console.log(row);
        rows.push(row);
      }
    }

    const cpu = os.cpus();
    const section = [
      START,
      "## Workbook export: size and LibreOffice recalculation",
      "",
      "`npm run bench:workbook`: each preset's workbook as `npm run workbook -- --train-steps 0 --layers N` writes it (training adds only its log rows),",
      `the cells holding a formula, the file's size, and LibreOffice's time to load it and recalculate every formula (median of ${RUNS} runs,`,
      "minus the median time to open an empty .xlsx, LibreOffice's start-up).",
      "",
      "| preset | layers per stack | formula cells | file size | LibreOffice load + recalculate |",
      "| --- | ---: | ---: | ---: | ---: |",
      ...rows,
      "",
      `Machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${os.platform()} ${os.release()}; node ${process.version}; ${version};`,
      `LibreOffice start-up ${(startup / 1000).toFixed(2)} s; ${new Date().toISOString().slice(0, 10)}.`,
      END,
    ].join("\n");
    writeSection(section);
    console.log(`updated ${DOC}`);
  } finally {
    profile.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Replaces the section between the markers, or appends it; the rest of the file stays as it is. */
function writeSection(section: string): void {
  fs.mkdirSync(path.dirname(DOC), { recursive: true });
  const old = fs.existsSync(DOC) ? fs.readFileSync(DOC, "utf8") : "# Benchmarks\n";
  const start = old.indexOf(START);
  const end = old.indexOf(END);
  const next =
    start >= 0 && end > start ? old.slice(0, start) + section + old.slice(end + END.length) : `${old.replace(/\n*$/, "\n\n")}${section}\n`;
  fs.writeFileSync(DOC, next);
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
