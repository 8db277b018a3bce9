/**
 * MATCH and ROW as Excel computes them, registered over HyperFormula's own,
 * so that a formula which misbehaves in Excel misbehaves in the tests too.
 *
 * - MATCH with match type 0 (Microsoft's MATCH page): text is compared
 *   ignoring case, and a text lookup value may hold wildcards: `?` is any one
 *   character, `*` any run of characters, `~` before a character makes it
 *   plain. HyperFormula's MATCH compares text literally, whatever its
 *   `useWildcards` setting (that applies to SUMIF, COUNTIF and their like),
 *   so `MATCH("c*", …, 0)` would find nothing where Excel finds "café".
 * - ROW of a range inside an array calculation (SUMPRODUCT) is the column of
 *   the range's row numbers in Excel (Microsoft's ROW page: "returns the row
 *   numbers of reference as a vertical array"); HyperFormula gives the first
 *   row only.
 *
 * Only match type 0 is modelled: the workbook uses no other.
 */
import {
  ArraySize,
  CellError,
  ErrorType,
  FunctionArgumentType,
  FunctionPlugin,
  HyperFormula,
  ImplementedFunctions,
  SimpleRangeValue,
} from "hyperformula";

type Cell = number | string | boolean | null;
type Address = { sheet: number; row: number; col: number };
type Ast = {
  type: string;
  start?: { toSimpleCellAddress(base: Address): Address };
  end?: { toSimpleCellAddress(base: Address): Address };
  reference?: { toSimpleCellAddress(base: Address): Address };
  expression?: Ast;
};
type State = { formulaAddress: Address };

/** Excel's wildcard pattern as a regular expression over the whole text, ignoring case. */
export function excelPattern(lookup: string): RegExp {
  let source = "";
  for (let i = 0; i < lookup.length; i++) {
    const ch = lookup[i];
    if (ch === "~" && i + 1 < lookup.length) source += escapeRegExp(lookup[++i]);
    else if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else source += escapeRegExp(ch);
  }
  return new RegExp(`^${source}$`, "iu");
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether `cell` is what Excel's MATCH(lookup, …, 0) stops at. */
export function excelMatches(lookup: Cell | undefined, cell: Cell | undefined): boolean {
  if (lookup === undefined || cell === undefined) return false;
  if (typeof lookup === "string") return typeof cell === "string" && excelPattern(lookup).test(cell);
  if (lookup === null) return cell === 0;
  return typeof cell === typeof lookup && cell === lookup;
}

/** A HyperFormula scalar as a plain value: numbers may come wrapped, an empty cell is a symbol; an error matches nothing. */
function plain(v: unknown): Cell | undefined {
  if (typeof v === "symbol" || v === undefined) return null;
  if (v instanceof CellError) return undefined;
  if (typeof v === "object" && v !== null) return "val" in v ? ((v as { val: unknown }).val as Cell) : undefined;
  return v as Cell;
}

const unwrap = (ast: Ast): Ast => (ast.type === "PARENTHESIS" && ast.expression ? unwrap(ast.expression) : ast);

export class ExcelLookupPlugin extends FunctionPlugin {
  static override implementedFunctions: ImplementedFunctions = {
    MATCH: {
      method: "match",
      parameters: [
        { argumentType: FunctionArgumentType.NOERROR },
        { argumentType: FunctionArgumentType.RANGE },
        { argumentType: FunctionArgumentType.NUMBER, defaultValue: 1 },
      ],
    },
    ROW: {
      method: "row",
      sizeOfResultArrayMethod: "rowSize",
      parameters: [{ argumentType: FunctionArgumentType.NOERROR, optionalArg: true }],
      doesNotNeedArgumentsToBeComputed: true,
      vectorizationForbidden: true,
      isDependentOnSheetStructureChange: true,
    },
  };

  match(ast: { args: unknown[] }, state: State): unknown {
    return this.runFunction(
      ast.args as never,
      state as never,
      this.metadata("MATCH"),
      (lookup: unknown, range: SimpleRangeValue, type: number) => {
        if (type !== 0) return new CellError(ErrorType.VALUE, `MATCH type ${type} is not modelled by the tests' Excel lookup`);
        if (range.width() > 1 && range.height() > 1) return new CellError(ErrorType.NA);
        const key = plain(lookup);
        const at = range.valuesFromTopLeftCorner().findIndex((c) => excelMatches(key, plain(c)));
        return at < 0 ? new CellError(ErrorType.NA, "Value not found.") : at + 1;
      },
    );
  }

  row(ast: { args: Ast[] }, state: State): unknown {
    const rows = this.rows(ast.args, state);
    if (rows.length === 1) return rows[0];
    return SimpleRangeValue.onlyValues(rows.map((r) => [r]));
  }

  rowSize(ast: { args: Ast[] }, state: State): ArraySize {
    return new ArraySize(1, this.rows(ast.args, state).length);
  }

  /** The 1-based row numbers the argument covers (the formula's own row when there is none). */
  private rows(args: Ast[], state: State): number[] {
    if (args.length === 0) return [state.formulaAddress.row + 1];
    const arg = unwrap(args[0]);
    if (arg.type === "CELL_REFERENCE" && arg.reference) return [arg.reference.toSimpleCellAddress(state.formulaAddress).row + 1];
    if (arg.type === "CELL_RANGE" && arg.start && arg.end) {
      const top = arg.start.toSimpleCellAddress(state.formulaAddress).row;
      const bottom = arg.end.toSimpleCellAddress(state.formulaAddress).row;
      return Array.from({ length: Math.abs(bottom - top) + 1 }, (_, i) => Math.min(top, bottom) + i + 1);
    }
    return [state.formulaAddress.row + 1];
  }
}

let registered = false;

/** Replaces HyperFormula's MATCH and ROW with Excel's, once per process. */
export function registerExcelLookup(): void {
  if (registered) return;
  HyperFormula.unregisterFunction("MATCH");
  HyperFormula.unregisterFunction("ROW");
  HyperFormula.registerFunctionPlugin(ExcelLookupPlugin, { enGB: { MATCH: "MATCH", ROW: "ROW" } });
  registered = true;
}
