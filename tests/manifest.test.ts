// Runs tools/validate-manifest.js on the real manifest and on broken copies:
// each kind of breakage must be reported with its own message.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const CHECKER = path.join(ROOT, "tools", "validate-manifest.js");
const MANIFEST = fs.readFileSync(path.join(ROOT, "manifest.xml"), "utf8");

function check(manifestPath: string): { status: number | null; problems: string[]; stdout: string } {
  const result = spawnSync(process.execPath, [CHECKER, manifestPath], { encoding: "utf8" });
  const problems = result.stderr.split("\n").filter((line) => /^manifest\.xml:\d+: /.test(line));
  return { status: result.status, problems, stdout: result.stdout };
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Checks a broken copy: the manifest (with `edit` applied) and a copy of
 * assets/ (then changed by `breakAssets`) in a fresh temp dir.
 */
function checkBroken(edit: ((xml: string) => string) | null, breakAssets?: (assetsDir: string) => void) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attn-manifest-"));
  tempDirs.push(dir);
  fs.cpSync(path.join(ROOT, "assets"), path.join(dir, "assets"), { recursive: true });
  const xml = edit ? edit(MANIFEST) : MANIFEST;
  if (edit) expect(xml).not.toBe(MANIFEST);
  fs.writeFileSync(path.join(dir, "manifest.xml"), xml);
  breakAssets?.(path.join(dir, "assets"));
  return check(path.join(dir, "manifest.xml"));
}

describe("validate-manifest", () => {
  test("the real manifest passes", () => {
    const result = check(path.join(ROOT, "manifest.xml"));
    expect(result.problems).toEqual([]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/structure OK/);
  });

  test("a resid missing from Resources is reported", () => {
    const result = checkBroken((xml) => xml.replace(/\s*<bt:String id="Functions.Namespace"[^>]*\/>/, ""));
    expect(result.status).toBe(1);
    expect(result.problems).toEqual([
      expect.stringMatching(/resid "Functions\.Namespace" used by <Namespace> is not defined in <Resources>/),
    ]);
  });

  test("a 33-character resid is reported", () => {
    const long = "GetStarted.LearnMoreUrl.TooLong.X";
    expect(long).toHaveLength(33);
    const result = checkBroken((xml) => xml.split('"GetStarted.LearnMoreUrl"').join(`"${long}"`));
    expect(result.status).toBe(1);
    expect(result.problems).toEqual([
      expect.stringMatching(new RegExp(`resid "${long.replace(/\./g, "\\.")}" is 33 characters long; Office allows at most 32`)),
    ]);
  });

  test("a Runtime resid that differs from the Page and FunctionFile resid is reported", () => {
    const result = checkBroken((xml) => xml.replace('<Runtime resid="Taskpane.Url"', '<Runtime resid="Functions.Script.Url"'));
    expect(result.status).toBe(1);
    expect(result.problems).toEqual([
      expect.stringMatching(
        /shared runtime resids differ \(Runtime "Functions\.Script\.Url", Page "Taskpane\.Url", FunctionFile "Taskpane\.Url"\); they must be identical/,
      ),
    ]);
  });

  test("an icon whose pixels do not match its name is reported", () => {
    const result = checkBroken(null, (assets) => fs.copyFileSync(path.join(assets, "icon-16.png"), path.join(assets, "icon-32.png")));
    expect(result.status).toBe(1);
    expect(result.problems).toEqual([expect.stringMatching(/icon-32\.png is 16x16 pixels but its name promises 32x32/)]);
  });

  test("a missing icon file is reported", () => {
    const result = checkBroken(null, (assets) => fs.rmSync(path.join(assets, "icon-80.png")));
    expect(result.status).toBe(1);
    expect(result.problems).toEqual([
      expect.stringMatching(/icon https:\/\/localhost:3000\/assets\/icon-80\.png has no file .*icon-80\.png/),
    ]);
  });

  test("the manifest asks for SharedRuntime 1.1 and CustomFunctionsRuntime 1.2", () => {
    expect(MANIFEST).toMatch(/<Set Name="SharedRuntime" MinVersion="1\.1"\/>/);
    expect(MANIFEST).toMatch(/<Set Name="CustomFunctionsRuntime" MinVersion="1\.2"\/>/);
  });

  test("CustomFunctionsRuntime below 1.2 is reported: error messages need it", () => {
    const line = MANIFEST.split("\n").findIndex((text) => text.includes('<Set Name="CustomFunctionsRuntime"')) + 1;
    const result = checkBroken((xml) =>
      xml.replace('<Set Name="CustomFunctionsRuntime" MinVersion="1.2"/>', '<Set Name="CustomFunctionsRuntime" MinVersion="1.1"/>'),
    );
    expect(result.status).toBe(1);
    expect(result.problems).toEqual([
      `manifest.xml:${line}: <Set Name="CustomFunctionsRuntime"> asks for 1.1; the add-in needs 1.2 or later: CustomFunctions.Error with a message needs it`,
    ]);
  });

  test("a manifest without SharedRuntime is reported", () => {
    const result = checkBroken((xml) => xml.replace(/\s*<Set Name="SharedRuntime" MinVersion="1\.1"\/>/, ""));
    expect(result.status).toBe(1);
    expect(result.problems).toEqual([expect.stringMatching(/<Requirements> does not ask for SharedRuntime 1\.1, which the add-in needs/)]);
  });

  test("XML that is not well-formed is reported with its line", () => {
    const result = checkBroken((xml) => xml.replace("</Permissions>", "</Permission>"));
    const line = MANIFEST.split("\n").findIndex((text) => text.includes("</Permissions>")) + 1;
    expect(result.status).toBe(1);
    expect(result.problems).toEqual([
      `manifest.xml:${line}: not well-formed XML: Expected closing tag 'Permissions' (opened in line ${line}, col 3) instead of closing tag 'Permission'.`,
    ]);
  });

  test("a bare & in an attribute value is reported, one written as &amp; is not", () => {
    const url = "https://localhost:3000/taskpane.html";
    const line = MANIFEST.split("\n").findIndex((text) => text.includes(`<SourceLocation DefaultValue="${url}"/>`)) + 1;
    const bare = checkBroken((xml) =>
      xml.replace(`<SourceLocation DefaultValue="${url}"/>`, `<SourceLocation DefaultValue="${url}?a=1&b=2"/>`),
    );
    expect(bare.status).toBe(1);
    expect(bare.problems).toEqual([
      `manifest.xml:${line}: not well-formed XML: "&" in attribute DefaultValue of <SourceLocation> starts no entity reference; write &amp;`,
    ]);
    const escaped = checkBroken((xml) =>
      xml.replace(`<SourceLocation DefaultValue="${url}"/>`, `<SourceLocation DefaultValue="${url}?a=1&amp;b=2"/>`),
    );
    expect(escaped.problems).toEqual([]);
    expect(escaped.status).toBe(0);
  });

  // Office's display languages for Spanish are es-ES and es-MX (Microsoft's list of the languages Microsoft 365 for the web
  // supports: "es-ES Spanish", "es-mx Spanish (Mexico)"), and the localization page asks for one Override per area of a
  // language family ("Using just the language name alone ... is not supported across all combinations"): one each.
  test("Spanish Office (es-ES, es-MX) gets the Spanish metadata of ATTN.* and Spanish texts", () => {
    const metadata = /<bt:Url id="Functions\.Metadata\.Url"[^>]*>([\s\S]*?)<\/bt:Url>/.exec(MANIFEST)![1];
    const overrides = [...metadata.matchAll(/<bt:Override Locale="([^"]+)" Value="([^"]+)"\/>/g)].map((m) => [m[1], m[2]]);
    expect(overrides).toEqual([
      ["es-ES", "https://localhost:3000/functions-es.json"],
      ["es-MX", "https://localhost:3000/functions-es.json"],
    ]);
    expect(MANIFEST).toContain('<bt:Override Locale="es-ES" Value="Abrir Attention Lab"/>');
  });

  test("a text left untranslated for a locale the manifest speaks is reported", () => {
    const result = checkBroken((xml) => xml.replace('\n          <bt:Override Locale="es-MX" Value="Abrir Attention Lab"/>', ""));
    expect(result.status).toBe(1);
    expect(result.problems).toEqual([
      expect.stringMatching(/"OpenButton\.Label" has no es-mx text, though the manifest is translated to es-mx \(line \d+\)/),
    ]);
  });

  test("a locale without its custom functions' metadata, and an override without a value, are reported", () => {
    const result = checkBroken((xml) =>
      xml
        .replace('\n          <bt:Override Locale="es-MX" Value="https://localhost:3000/functions-es.json"/>', "")
        .replace('<bt:Override Locale="es-ES" Value="Abrir Attention Lab"/>', '<bt:Override Locale="es-ES"/>'),
    );
    expect(result.status).toBe(1);
    expect(result.problems).toEqual([
      expect.stringMatching(/<bt:Override> of "OpenButton\.Label" needs both Locale and Value/),
      expect.stringMatching(/"OpenButton\.Label" has no es-es text/),
      expect.stringMatching(/Functions\.Metadata\.Url has no es-mx override/),
    ]);
  });

  test("a translated short string over 125 characters is reported", () => {
    const long = "Abrir Attention Lab ".repeat(6) + "123456";
    const result = checkBroken((xml) => xml.replace('Locale="es-MX" Value="Abrir Attention Lab"', `Locale="es-MX" Value="${long}"`));
    expect(result.problems).toEqual([expect.stringMatching(/the es-MX text of "OpenButton\.Label" is 126 characters; Office allows 125/)]);
  });

  test("a second root element is reported", () => {
    const lines = MANIFEST.trimEnd().split("\n").length;
    const result = checkBroken((xml) => xml.trimEnd() + "\n<OfficeApp/>\n");
    expect(result.status).toBe(1);
    expect(result.problems).toEqual([`manifest.xml:${lines + 1}: not well-formed XML: second root element <OfficeApp>`]);
  });
});
