/**
 * dist/functions.json, which custom-functions-metadata-plugin writes from the
 * JSDoc of src/functions/functions.ts during the webpack build, is what Excel
 * reads: every function and parameter needs a description (Excel's help),
 * ranges must be declared as matrices, and the results spill as matrices.
 */
import fs from "fs";
import path from "path";

interface Parameter {
  name: string;
  description?: string;
  type?: string;
  dimensionality?: string;
  optional?: boolean;
}

interface FunctionMetadata {
  id: string;
  name: string;
  description?: string;
  parameters: Parameter[];
  result: { type?: string; dimensionality?: string };
}

const METADATA = path.join(__dirname, "..", "dist", "functions.json");

/** Every function with its parameters in order: a name ending in "?" is optional; "[]" marks a range. */
const EXPECTED: Record<string, string[]> = {
  VERSION: [],
  TOKENS: ["sentence"],
  POSENC: ["positions", "dims", "encodedDims?"],
  EMBED: ["tokens[]", "vocab[]", "embedding[]"],
  SCORE: ["Q[]", "K[]", "scaled?"],
  SOFTMAX: ["scores[]", "mask[]?"],
  WEIGHTS: ["X[]", "Wq[]", "Wk[]", "mask[]?", "Xkv[]?"],
  HEAD: ["X[]", "Wq[]", "Wk[]", "Wv[]", "mask[]?", "Xkv[]?"],
  MULTIHEAD: ["X[]", "Wq[]", "Wk[]", "Wv[]", "Wo[]", "heads", "mask[]?", "Xkv[]?"],
  LAYERNORM: ["X[]", "gamma[]?", "beta[]?"],
  LINEAR: ["X[]", "W[]", "b[]?"],
  FFN: ["X[]", "W1[]", "b1[]", "W2[]", "b2[]"],
  PROBS: ["logits[]"],
  LOSS: ["logits[]", "targets[]", "vocab[]"],
  ARGMAX: ["probs[]", "vocab[]"],
  SAMPLE: ["probs[]", "vocab[]", "dice[]", "temperature?", "topK?"],
  MASK: ["n", "kind?", "padding[]?"],
  GENERATE: ["prompt[]", "maxTokens?", "after[]?"],
};

/**
 * The Microsoft 365 manifest schema for custom functions caps a function's
 * description at 128 characters (and a parameter's at 128 or 512, by
 * version); we hold both to the smaller.
 */
const MAX_DESCRIPTION = 128;

interface Metadata {
  functions: FunctionMetadata[];
  allowErrorForDataTypeAny?: boolean;
  allowCustomDataForDataTypeAny?: boolean;
}

function load(): Metadata {
  if (!fs.existsSync(METADATA)) {
    throw new Error(`${METADATA} is missing: run npm run build first (npm test builds before jest)`);
  }
  return JSON.parse(fs.readFileSync(METADATA, "utf8")) as Metadata;
}

describe("dist/functions.json", () => {
  const metadata = load();
  const functions = metadata.functions;

  /**
   * Microsoft's custom-functions-json page: allowErrorForDataTypeAny (default
   * false) lets errors into `any` parameters; a Microsoft engineer in
   * office-js #4385: allowCustomDataForDataTypeAny "can cover both rich data
   * types and rich errors". custom-functions-metadata 2.x writes the latter
   * as true unless the build takes it out. Without either, Excel gives the
   * argument's error itself and never calls the function (README, "Errors and
   * blank cells").
   */
  test("lets no error value or data type into an argument", () => {
    expect({
      allowErrorForDataTypeAny: metadata.allowErrorForDataTypeAny,
      allowCustomDataForDataTypeAny: metadata.allowCustomDataForDataTypeAny,
    }).toEqual({
      allowErrorForDataTypeAny: undefined,
      allowCustomDataForDataTypeAny: undefined,
    });
  });
  const byId = new Map(functions.map((f) => [f.id, f]));

  test("lists exactly the ATTN functions, with upper-case ids and names", () => {
    expect(functions.map((f) => f.id).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const f of functions) {
      expect(f.id).toMatch(/^[A-Z][A-Z0-9]*$/);
      expect(f.name).toBe(f.id);
    }
  });

  test.each(Object.entries(EXPECTED))("%s has its parameters in order, described, ranges as matrices", (id, params) => {
    const f = byId.get(id)!;
    expect(f.description?.trim()).toBeTruthy();
    expect(f.description!.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
    expect(f.parameters.map((p) => `${p.name}${p.dimensionality === "matrix" ? "[]" : ""}${p.optional ? "?" : ""}`)).toEqual(params);
    for (const p of f.parameters) {
      expect({ name: p.name, described: Boolean(p.description?.trim()) }).toEqual({ name: p.name, described: true });
      expect(p.description!.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
      expect(p.description!.startsWith("Optional.")).toBe(Boolean(p.optional));
    }
  });

  test("every function but VERSION returns a matrix: numbers, or text for TOKENS, ARGMAX, SAMPLE and GENERATE", () => {
    for (const f of functions) {
      if (f.id === "VERSION") {
        expect(f.result).toEqual({ type: "string" });
        continue;
      }
      const type = ["TOKENS", "ARGMAX", "SAMPLE", "GENERATE"].includes(f.id) ? "string" : "number";
      expect({ id: f.id, ...f.result }).toEqual({ id: f.id, dimensionality: "matrix", type });
    }
  });
});
