/**
 * No text a user reads bypasses the language tables (src/i18n): the
 * TypeScript of the translated modules, read as a syntax tree, holds no
 * string that reads like prose (two words or more), and no text at all where
 * the pane or a sheet shows one (a title, a note, a label, textContent …, or
 * an argument that is shown: setAttribute("aria-label", …), createTextNode,
 * new Option(text), alert, a printed line, an Error's message),
 * outside a short list of symbols, formulas and programming errors.
 * taskpane.html holds no text of its own either: its elements get theirs
 * from the table through data-i18n attributes.
 */
import fs from "node:fs";
import path from "node:path";
import { en } from "../src/i18n/en";
import { bypasses, htmlBypasses } from "./support/string-scan";

const ROOT = path.join(__dirname, "..");

/**
 * Every module of src/ but the kernels (src/model/kernels: arithmetic, and no message a user reads) and
 * src/model/messages.ts, the model's English, which the tables refer to (src/i18n/en.ts) and translate.
 */
function scanned(): string[] {
  const dir = (d: string) =>
    fs
      .readdirSync(path.join(ROOT, d))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => path.join(d, f));
  return [
    ...dir("src/sheet"),
    ...dir("src/sheet/blocks"),
    ...dir("src/sheet/sheets"),
    ...dir("src/taskpane"),
    ...dir("src/excel"),
    ...dir("src/functions"),
    ...dir("src/model").filter((f) => f !== path.join("src/model", "messages.ts")),
    ...dir("src/train"),
    ...dir("src/cli"),
  ];
}

describe("no user-facing string bypasses the language tables", () => {
  test("the scan covers the model, the trainer, the CLIs and the settings check", () => {
    const files = scanned();
    expect(files.filter((f) => f.startsWith("src/model")).length).toBeGreaterThan(15);
    for (const f of ["src/model/config.ts", "src/train/session.ts", "src/train/stepper.ts", "src/cli/workbook.ts", "src/cli/args.ts"])
      expect(files).toContain(f);
    expect(files).toContain("src/excel/meta-check.ts");
    expect(files).not.toContain("src/model/messages.ts");
  });

  test.each(scanned().map((f) => [f]))("%s", (file) => {
    expect(bypasses(file, fs.readFileSync(path.join(ROOT, file), "utf8"))).toEqual([]);
  });

  test("taskpane.html: every text comes from the table, by a key the English table has", () => {
    const html = fs.readFileSync(path.join(ROOT, "src/taskpane/taskpane.html"), "utf8");
    expect(htmlBypasses(html)).toEqual([]);
    const keys = [...html.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThan(30);
    expect(keys.filter((k) => typeof (en.html as Record<string, unknown>)[k] !== "string")).toEqual([]);
  });

  test("the scan finds a planted string: prose, a title, a template, a word handed to a call that shows it, and text in the HTML", () => {
    const planted = [
      "const a = 1;",
      'const spec = { key: "X", title: "Embedding", note: NOTES.x };',
      'el.textContent = ok ? "Done" : `Trained ${n} steps`;',
      'throw new Error("the weights are missing");',
      'import { t } from "../some module";',
      'const f = `IF(${x}>0,"on","off")`;',
      'const s = { title: "Wo" };',
      "throw new RangeError(`layers should be a whole number from 1 to ${MAX_LAYERS}, got ${layers}`);",
      'const xml = `<c:ser><c:idx val="${i}"/></c:ser>` + `<Relationship Id="${id}" Target="${t}"/>`;',
      'print(`${replaced ? "replaced" : "wrote"} ${target} (through the link ${file})`);',
      // One word handed to a call that shows it: an attribute a screen reader reads, a text node, an option, a dialog, a line, an error.
      'el.setAttribute("aria-label", "Word"); el.setAttribute("title", ok ? "Yes" : "No");',
      'input.setAttribute("placeholder", "Word"); img.setAttribute("alt", "Picture");',
      'el.setAttribute("class", "attn-line"); el.setAttribute("data-key", "value"); el.setAttribute("aria-hidden", "true");',
      'li.append(document.createTextNode("Word")); el.append("Words", b);',
      'select.add(new Option("Adamax", "adamax"));',
      'window.alert("Stop"); if (confirm("Sure?")) x();',
      'process.stdout.write("Done\\n"); throw new Error("Cancelled");',
      'throw new ModelError("padFlags", n);',
    ].join("\n");
    expect(bypasses("planted.ts", planted).map((x) => [x.line, x.text])).toEqual([
      [2, "Embedding"],
      [3, "Done"],
      [3, "Trained {} steps"],
      [4, "the weights are missing"],
      [8, "layers should be a whole number from 1 to {}, got {}"],
      [10, "{} {} (through the link {})"],
      [11, "Word"],
      [11, "Yes"],
      [11, "No"],
      [12, "Word"],
      [12, "Picture"],
      [14, "Word"],
      [14, "Words"],
      [15, "Adamax"],
      [16, "Stop"],
      [16, "Sure?"],
      [17, "Done\n"],
      [17, "Cancelled"],
    ]);
    expect(htmlBypasses('<body><h2 data-i18n="build"></h2><p>Press Build</p><input placeholder="a word" /></body>')).toEqual([
      "Press Build",
      'placeholder="a word"',
    ]);
  });
});
