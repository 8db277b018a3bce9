/**
 * The language tables (src/i18n): the Spanish table has every key of the
 * English one and no other, each of the same kind (a text, a list of the same
 * length, or a function of as many arguments), and every text is written out.
 * The compiler checks the keys too (es is typed Strings); this test also
 * catches a table built at run time and a key typed as optional.
 */
import { en } from "../src/i18n/en";
import { es } from "../src/i18n/es";
import { CLI_TABLES } from "../src/i18n/cli";
import { languageOf, language, setLanguage, t, TABLES, withLanguage } from "../src/i18n";
import { check } from "../src/excel/named";
import { checkBuild } from "../src/taskpane/forms";
import * as lib from "../src/functions/library";
import { explainCell, PlanIndex } from "../src/taskpane/explain";
import { sentenceFromCells } from "../src/taskpane/selection";
import { build } from "./support/builds";
import { PlanEngine } from "./support/engine";
import { readsAsEnglish, tableTexts } from "./support/english-sieve";

type Node = unknown;

/** Every path of `a` that `b` lacks or holds as something else; functions are called with sample arguments. */
function differences(a: Node, b: Node, path: string, out: string[]): string[] {
  const kind = (x: Node) => (Array.isArray(x) ? "array" : x === null ? "null" : typeof x);
  if (kind(a) !== kind(b)) {
    out.push(`${path}: ${kind(a)} in one table, ${kind(b)} in the other`);
    return out;
  }
  if (typeof a === "function" && typeof b === "function") {
    if (a.length !== b.length) out.push(`${path}: takes ${a.length} arguments in one table, ${b.length} in the other`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: ${a.length} lines in one table, ${b.length} in the other`);
    a.forEach((x, i) => differences(x, b[i], `${path}[${i}]`, out));
  } else if (typeof a === "object" && a !== null) {
    const ka = Object.keys(a);
    const kb = Object.keys(b as object);
    for (const k of ka) if (!kb.includes(k)) out.push(`${path}.${k}: missing`);
    for (const k of kb) if (!ka.includes(k)) out.push(`${path}.${k}: only in one table`);
    for (const k of ka)
      if (kb.includes(k)) differences((a as Record<string, Node>)[k], (b as Record<string, Node>)[k], `${path}.${k}`, out);
  } else if (typeof a === "string" && (a.trim() === "" || (b as string).trim() === "")) {
    out.push(`${path}: empty`);
  }
  return out;
}

/** Every text of a table with its path (not the texts functions make). */
function texts(x: Node, path = ""): [string, string][] {
  if (typeof x === "string") return [[path, x]];
  if (Array.isArray(x)) return x.flatMap((y, i) => texts(y, `${path}[${i}]`));
  if (typeof x === "object" && x !== null) return Object.entries(x).flatMap(([k, v]) => texts(v, path ? `${path}.${k}` : k));
  return [];
}

/**
 * Texts that are the same in both languages: symbols, names and words Spanish
 * uses as they are. Any other Spanish text equal to the English one was left
 * untranslated.
 */
// The CLIs' table lives apart (src/i18n/cli.ts, out of the pane's bundle); the checks read it as each table's "cli" part.
const EN = { ...en, cli: CLI_TABLES.en };
const ES = { ...es, cli: CLI_TABLES.es };

const SAME_IN_BOTH = new Set(["html.tokens", "tour.embedding", "tour.softmax", "forms.dModel", "forms.dK"]);

describe("the language tables", () => {
  test("the Spanish table has exactly the English table's keys, each of the same kind", () => {
    expect(differences(EN, ES, "", [])).toEqual([]);
  });

  test("the comparison finds a missing key, an extra key, a shorter list and a function of other arity", () => {
    const notes: Record<string, unknown> = { ...es.notes, extra: "x", guide: es.notes.guide.slice(1) };
    delete notes.tokens;
    const broken = { ...es, notes, tour: { ...es.tour, qkvText: (q: string) => q } };
    expect(differences(en, broken, "", [])).toEqual([
      ".notes.tokens: missing",
      ".notes.extra: only in one table",
      ".notes.guide: 5 lines in one table, 4 in the other",
      ".notes.guide[4]: string in one table, undefined in the other",
      ".tour.qkvText: takes 3 arguments in one table, 1 in the other",
    ]);
  });

  test("every Spanish text is translated, apart from symbols and words Spanish keeps", () => {
    const english = new Map(texts(EN));
    const same = texts(ES)
      .filter(([path, text]) => english.get(path) === text)
      .map(([path]) => path)
      .filter((path) => !SAME_IN_BOTH.has(path));
    expect(same).toEqual([]);
  });

  test("no Spanish text reads as English, while the same sieve catches most of the English table", () => {
    const english = tableTexts(EN).filter((x) => readsAsEnglish(x.text));
    expect(english.length).toBeGreaterThan(tableTexts(EN).length / 2);
    expect(tableTexts(ES).filter((x) => readsAsEnglish(x.text))).toEqual([]);
  });

  test("texts that formulas show hold no double quote, which would end the formula's string", () => {
    for (const table of Object.values(TABLES)) {
      for (const key of ["inputEmpty", "inputUnknown", "noInput", "emptyCell", "notASwitch", "badTemperature"] as const) {
        expect(table.sheet[key]).not.toContain('"');
      }
    }
  });

  test("functions of the Spanish table agree in number and accents (a sample against hand-written Spanish)", () => {
    expect(es.tour.multiHeadText(1, "", "")).toMatch(/^Este modelo tiene 1 cabeza, /);
    expect(es.tour.multiHeadText(4, "", "")).toMatch(/^Este modelo tiene 4 cabezas, /);
    expect(es.stacks({ kind: "encoder-decoder", layers: 2 })).toBe("2 capas de codificador y 2 capas de decodificador");
    expect(es.stacks({ kind: "encoder", layers: 1 })).toBe("1 capa de codificador");
    expect(es.pane.trainN("1")).toBe("Entrenar 1 paso");
    expect(es.sheet.headAttn(2)).toBe("Cabeza 2: pesos de atención");
  });
});

describe("the language in use", () => {
  afterEach(() => setLanguage("en"));

  test("Office's display language picks Spanish for any Spanish, English for anything else", () => {
    expect(["es-ES", "es-MX", "es-419", "ES", "es_es"].map(languageOf)).toEqual(["es", "es", "es", "es", "es"]);
    expect(["en-US", "fr-FR", "", undefined, "eso"].map(languageOf)).toEqual(["en", "en", "en", "en", "en"]);
  });

  test("a second copy of the module (the functions' bundle beside the pane's) sees the language the first one set", () => {
    let other: typeof import("../src/i18n") | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      other = require("../src/i18n") as typeof import("../src/i18n");
    });
    expect(other!.setLanguage).not.toBe(setLanguage);
    setLanguage("es");
    expect(other!.t().html.build).toBe("Construir");
    other!.setLanguage("en");
    expect(t().html.build).toBe("Build");
  });

  test("withLanguage puts the language back, also when its function throws", () => {
    expect(withLanguage("es", () => t().html.build)).toBe("Construir");
    expect(language()).toBe("en");
    expect(() =>
      withLanguage("es", () => {
        throw new Error("x");
      }),
    ).toThrow("x");
    expect(language()).toBe("en");
    setLanguage("es");
    expect(t().html.build).toBe("Construir");
  });
});

describe("messages in the language in use", () => {
  afterEach(() => setLanguage("en"));
  const block = { range: { sheet: "Encoder", top: 4, left: 2, rows: 2, cols: 1 }, values: [[0.5], [""]] };

  test("the Excel adapter's check of a weight block", () => {
    expect(check({ name: "Enc_Wo", numeric: true }, block)).toEqual(["Enc_Wo needs a number in Encoder!C6 but it is empty."]);
    setLanguage("es");
    expect(check({ name: "Enc_Wo", numeric: true }, block)).toEqual(["Enc_Wo necesita un número en Encoder!C6, pero está vacía."]);
    expect(check({ name: "Enc_Wo", rows: 3 }, block)).toEqual([
      "Enc_Wo debería ser de 3 × 1, pero el rango con nombre abarca 2 × 1 (Encoder!C5:C6).",
    ]);
  });

  test("the pane's field checks", () => {
    const fields = { preset: "encoder", task: "reverse", sentence: "", dModel: "0", heads: "2", dK: "8", seed: "1", style: "cells" };
    setLanguage("es");
    const checked = checkBuild(fields);
    expect(checked.ok ? {} : checked.errors).toEqual({ dModel: 'El campo d_model debe ser un número entero de 1 a 64, no "0".' });
  });

  test("an ATTN function's message in its cell", () => {
    const Q = [[1, 2]];
    const K = [[1, 2, 3]];
    expect(() => lib.score(Q, K)).toThrow("K has 3 columns but Q has 2; a score is the dot product of a row of Q and a row of K");
    setLanguage("es");
    expect(() => lib.score(Q, K)).toThrow(
      "K tiene 3 columnas pero Q tiene 2; una puntuación es el producto escalar de una fila de Q y una fila de K",
    );
    expect(() => lib.softmax([[1, 2]], [[0, 0]])).toThrow(/^mask oculta todas las claves a todas las consultas/);
  });

  test("Explain this cell and Use selection", () => {
    const built = build("seed");
    const engine = new PlanEngine(built.plan);
    const x = new PlanIndex(built.plan);
    const vocab = x.block("Vocab");
    // The vocabulary's row 2 is the start marker <s> (rows 1–3 are <pad>, <s>, </s>: the Vocab note).
    const explain = () =>
      explainCell(x, x.at(vocab.sheet, vocab.top + 1, vocab.left)!, (a) => engine.area(a.sheet, a.top, a.left, a.rows, a.cols));
    expect(explain().what).toBe('Word 2 of the vocabulary, "<s>": the words that Tokens may hold.');
    const range = { sheet: "Sheet1", top: 0, left: 0, rows: 1, cols: 2 };
    expect(() => sentenceFromCells([["a", true]], range)).toThrow("Expected a word in Sheet1!B1, but it holds TRUE.");
    setLanguage("es");
    expect(explain().what).toBe('Palabra 2 del vocabulario, "<s>": las palabras que puede contener Tokens.');
    expect(() => sentenceFromCells([["a", true]], range)).toThrow("Se esperaba una palabra en Sheet1!B1, pero contiene VERDADERO.");
    expect(() => sentenceFromCells([["a", 4]], range)).toThrow("Se esperaba una palabra en Sheet1!B1, pero contiene el número 4.");
  });
});
