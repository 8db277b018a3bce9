/**
 * ATTN.* described in Spanish, as Microsoft's "Localize custom functions"
 * asks: dist/functions-es.json is dist/functions.json (made from the JSDoc)
 * with every function's and parameter's description from
 * src/i18n/functions.es.json, and nothing else changed: the same ids, names,
 * parameters and types, so formulas work in either language. The build fails
 * when the table and the functions differ (tools/localize-functions.js).
 */
import fs from "fs";
import path from "path";
import spanish from "../src/i18n/functions.es.json";

// CommonJS, for webpack.config.js.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { localizeFunctions } = require("../tools/localize-functions") as {
  localizeFunctions(metadata: Metadata, table: Table, lang: string): Metadata;
};

interface Parameter {
  name: string;
  description?: string;
  [key: string]: unknown;
}
interface Metadata {
  functions: { id: string; name: string; description?: string; parameters: Parameter[]; [key: string]: unknown }[];
}
type Table = Record<string, { description: string; parameters: Record<string, string> }>;

const DIST = path.join(__dirname, "..", "dist");
function load(file: string): Metadata {
  const p = path.join(DIST, file);
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: run npm run build first (npm test builds before jest)`);
  return JSON.parse(fs.readFileSync(p, "utf8")) as Metadata;
}

/** Microsoft's limit on a description (tests/functions-metadata.test.ts holds the English to it too). */
const MAX_DESCRIPTION = 128;

describe("dist/functions-es.json", () => {
  const en = load("functions.json");
  const es = load("functions-es.json");

  test("is functions.json with other descriptions: the same functions, names, parameters, types and flags", () => {
    const withoutDescriptions = (m: Metadata) =>
      JSON.parse(JSON.stringify(m, (key, value: unknown) => (key === "description" ? undefined : value))) as unknown;
    expect(withoutDescriptions(es)).toEqual(withoutDescriptions(en));
  });

  test("every description is Spanish: the table's, not the English one, and within Excel's limit", () => {
    for (const [i, f] of es.functions.entries()) {
      const english = en.functions[i];
      expect([f.id, f.description]).toEqual([f.id, spanish[f.id as keyof typeof spanish].description]);
      expect([f.id, f.description]).not.toEqual([f.id, english.description]);
      expect(f.description!.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
      f.parameters.forEach((p, j) => {
        expect([f.id, p.name, p.description]).not.toEqual([f.id, p.name, english.parameters[j].description]);
        expect([f.id, p.name, p.description!.length <= MAX_DESCRIPTION]).toEqual([f.id, p.name, true]);
      });
    }
    expect(es.functions.find((f) => f.id === "HEAD")!.description).toBe(
      "Una cabeza de atención: los pesos de atención por los valores V = Xkv·Wv (Xkv = X si se omite).",
    );
  });
});

describe("localizeFunctions", () => {
  const metadata: Metadata = {
    functions: [
      { id: "A", name: "A", description: "a", parameters: [{ name: "x", description: "x" }] },
      { id: "B", name: "B", description: "b", parameters: [] },
    ],
  };

  test("replaces the descriptions and nothing else", () => {
    const table: Table = { A: { description: "á", parameters: { x: "equis" } }, B: { description: "be", parameters: {} } };
    expect(localizeFunctions(metadata, table, "es")).toEqual({
      functions: [
        { id: "A", name: "A", description: "á", parameters: [{ name: "x", description: "equis" }] },
        { id: "B", name: "B", description: "be", parameters: [] },
      ],
    });
  });

  test("names each function or parameter the table lacks or has in excess", () => {
    const table: Table = { A: { description: "á", parameters: { y: "ye" } }, C: { description: "ce", parameters: {} } };
    expect(() => localizeFunctions(metadata, table, "es")).toThrow(
      [
        "functions.es.json and the functions differ:",
        "  C is in the es table but is no function",
        "  A has no parameter y, which the es table describes",
        "  A's parameter x has no es description",
        "  B has no es description",
      ].join("\n"),
    );
  });
});
