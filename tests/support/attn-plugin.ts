/**
 * The ATTN.* library registered in HyperFormula as custom functions, so the
 * `functions` formula style can be evaluated by a real formula engine. Each
 * function calls src/functions/library.ts, the same code Excel runs.
 */
import {
  ArraySize,
  CellError,
  ErrorType,
  FunctionArgument,
  FunctionArgumentType,
  FunctionPlugin,
  HyperFormula,
  ImplementedFunctions,
  SimpleRangeValue,
} from "hyperformula";
import * as lib from "../../src/functions/library";

type Ast = { type: string; value?: unknown; args?: Ast[] };
type State = unknown;
type Value = unknown;

/** A range argument as a plain 2-D array; scalars pass through; omitted args stay undefined. */
function plain(v: Value): unknown {
  if (v instanceof SimpleRangeValue)
    return v.rawData().map((row) => row.map((x) => (typeof x === "object" && x !== null && "val" in x ? (x as { val: unknown }).val : x)));
  if (typeof v === "object" && v !== null && "val" in v) return (v as { val: unknown }).val;
  return v;
}

/** A library result (numbers or words) as the array HyperFormula spills. */
function result(out: unknown[][]): SimpleRangeValue {
  return SimpleRangeValue.onlyValues(out as Parameters<typeof SimpleRangeValue.onlyValues>[0]);
}

/** The size of an argument as the size of a new array (an argument's size may say it is a reference). */
const sized = (s: ArraySize): ArraySize => new ArraySize(s.width, s.height);

const RANGE: FunctionArgument = { argumentType: FunctionArgumentType.RANGE };
const OPTIONAL_RANGE: FunctionArgument = { argumentType: FunctionArgumentType.RANGE, optionalArg: true };
const NUMBER: FunctionArgument = { argumentType: FunctionArgumentType.NUMBER };
const OPTIONAL_STRING: FunctionArgument = { argumentType: FunctionArgumentType.STRING, optionalArg: true };
const OPTIONAL_BOOLEAN: FunctionArgument = { argumentType: FunctionArgumentType.BOOLEAN, optionalArg: true };
const OPTIONAL_NUMBER: FunctionArgument = { argumentType: FunctionArgumentType.NUMBER, optionalArg: true };

/** name → [library function, parameters, size rule from the arguments' sizes] */
const FUNCTIONS: Record<
  string,
  { fn: (...a: unknown[]) => unknown[][]; params: FunctionArgument[]; size: (sizes: ArraySize[], ast: Ast) => ArraySize }
> = {
  "ATTN.LINEAR": { fn: lib.linear as never, params: [RANGE, RANGE, OPTIONAL_RANGE], size: ([x, w]) => new ArraySize(w.width, x.height) },
  "ATTN.SCORE": { fn: lib.score as never, params: [RANGE, RANGE, OPTIONAL_BOOLEAN], size: ([q, k]) => new ArraySize(k.height, q.height) },
  "ATTN.SOFTMAX": { fn: lib.softmax as never, params: [RANGE, OPTIONAL_RANGE], size: ([s]) => sized(s) },
  "ATTN.PROBS": { fn: lib.probs as never, params: [RANGE], size: ([s]) => sized(s) },
  "ATTN.LAYERNORM": { fn: lib.layernorm as never, params: [RANGE, OPTIONAL_RANGE, OPTIONAL_RANGE], size: ([x]) => sized(x) },
  "ATTN.SAMPLE": {
    fn: lib.sample as never,
    params: [RANGE, RANGE, RANGE, OPTIONAL_NUMBER, OPTIONAL_NUMBER],
    size: ([p]) => new ArraySize(1, p.height),
  },
  "ATTN.ARGMAX": { fn: lib.argmax as never, params: [RANGE, RANGE], size: ([p]) => new ArraySize(1, p.height) },
  "ATTN.WEIGHTS": {
    fn: lib.weights as never,
    params: [RANGE, RANGE, RANGE, OPTIONAL_RANGE, OPTIONAL_RANGE],
    size: ([x, , , , kv]) => new ArraySize((kv ?? x).height, x.height),
  },
  "ATTN.HEAD": {
    fn: lib.head as never,
    params: [RANGE, RANGE, RANGE, RANGE, OPTIONAL_RANGE, OPTIONAL_RANGE],
    size: ([x, , , wv]) => new ArraySize(wv.width, x.height),
  },
  "ATTN.FFN": {
    fn: lib.ffn as never,
    params: [RANGE, RANGE, RANGE, RANGE, RANGE],
    size: ([x, , , w2]) => new ArraySize(w2.width, x.height),
  },
  "ATTN.MASK": {
    fn: lib.mask as never,
    params: [NUMBER, OPTIONAL_STRING, OPTIONAL_RANGE],
    size: (sizes, ast) => {
      const n = Number(ast.args?.[0]?.value);
      return new ArraySize(sizes[2] && sizes[2].width > 1 ? sizes[2].width : n, n);
    },
  },
};

export class AttnPlugin extends FunctionPlugin {
  static override implementedFunctions: ImplementedFunctions = Object.fromEntries(
    Object.entries(FUNCTIONS).map(([name, spec]) => [
      name,
      {
        method: "call",
        sizeOfResultArrayMethod: "size",
        parameters: spec.params,
        vectorizationForbidden: true,
        enableArrayArithmeticForArguments: true,
      },
    ]),
  );

  call(ast: Ast & { procedureName: string }, state: State): Value {
    const spec = FUNCTIONS[ast.procedureName];
    return this.runFunction(ast.args as never, state as never, this.metadata(ast.procedureName), (...args: Value[]) => {
      try {
        return result(spec.fn(...args.map(plain)));
      } catch (e) {
        return new CellError(ErrorType.VALUE, e instanceof Error ? e.message : String(e));
      }
    });
  }

  size(ast: Ast & { procedureName: string }, state: State): ArraySize {
    const spec = FUNCTIONS[ast.procedureName];
    const sizes = (ast.args ?? []).map((a) => this.arraySizeForAst(a as never, state as never));
    return spec.size(sizes, ast);
  }
}

let registered = false;

/** Registers ATTN.* once per process. */
export function registerAttn(): void {
  if (registered) return;
  HyperFormula.registerFunctionPlugin(AttnPlugin, {
    enGB: Object.fromEntries(Object.keys(FUNCTIONS).map((name) => [name, name])),
  });
  registered = true;
}
