/**
 * Finds the texts a user would read that a module or taskpane.html holds
 * itself instead of taking them from the language tables (src/i18n): used by
 * tests/i18n-scan.test.ts.
 */
import ts from "typescript";

/** Properties and assignments whose string a user reads. */
const SINKS = new Set([
  "title",
  "note",
  "text",
  "label",
  "hint",
  "placeholder",
  "textContent",
  "innerText",
  "ariaLabel",
  "alt",
  "summary",
  "purpose",
  "status",
]);

/** Attributes whose value a user (or a screen reader) reads, when set with setAttribute. */
const READ_ATTRIBUTES = new Set([
  "aria-label",
  "aria-description",
  "aria-roledescription",
  "aria-valuetext",
  "title",
  "placeholder",
  "alt",
]);

/**
 * Calls whose argument a user reads, by the function's name: whether argument `k` of `args` is such a text.
 * DOM nodes made of a string (createTextNode, append …), an option's text (new Option(text, value)), a dialog's
 * message, a read attribute's value, a line printed, and a built-in error's message, which the pane and the CLIs show (messageOf); a
 * ModelError's first argument is its code, not its text.
 */
const CALL_SINKS = new Map<string, (args: ts.NodeArray<ts.Expression>, k: number) => boolean>([
  ["setAttribute", (args, k) => k === 1 && ts.isStringLiteralLike(args[0]) && READ_ATTRIBUTES.has(args[0].text)],
  ["createTextNode", (_, k) => k === 0],
  ["insertAdjacentText", (_, k) => k === 1],
  ...["append", "prepend", "replaceChildren", "before", "after", "replaceWith"].map((f) => [f, () => true] as const),
  // A line the CLIs print (process.stdout.write, their `print`) or the console shows.
  ...["Option", "alert", "confirm", "prompt", "Error", "RangeError", "TypeError", "write", "print", "log", "info", "warn", "error"].map(
    (f) => [f, (_: unknown, k: number) => k === 0] as const,
  ),
]);

/** The called function's own name: `setAttribute` of `el.setAttribute(…)`, `alert` of `window.alert(…)`, `Option` of `new Option(…)`. */
function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** Symbols shown as they are in every language: names of blocks and of their math. */
const SYMBOL = /^(W[oqkv12]|b[12]|Out_[WB]|Logits|[A-Z][A-Za-z]*_[A-Za-z_0-9]+|∂loss\/∂\{\})$/;

/**
 * Strings that look like prose but no user reads as such: each with why.
 * Internal errors say what went wrong in the code; they are bugs, not messages.
 */
const ALLOWED: Record<string, string> = {
  "a column index should be a whole number ≥ 0, got {}": "a1.ts: a bug in a caller",
  'a column is written in capital letters, got "{}"': "a1.ts: a bug in a caller",
  '"{}" is not a cell address like C5': "a1.ts: a bug in a caller",
  "the block {} has {} columns but {} column formats": "plan.ts: a bug in a block builder",
  "a choice between two cells needs two formulas": "style-cells.ts: a bug in a formula style",
  "a choice between two blocks needs two formulas": "style-functions.ts: a bug in a formula style",
  "cross-attention needs an encoder layer before it": "attention.ts: a bug in the layer list",
  "{} has no sublayer before it": "norm.ts: a bug in the layer list",
  "the Overview shows the block {}, but no sheet placed it": "overview.ts: a bug in the sheet order",
  "the task pane has no element #{}": "view.ts, head-view.ts, loss-curve.ts: taskpane.html and the code out of step",
  "\"{}\" is not a sheet-qualified address like 'Encoder'!$C$5:$E$9": "address.ts: Excel's own address, a bug if not one",
  "a plan may not have a sheet named {}: the add-in keeps its settings there": "apply.ts: a bug in a plan",
  "{} has {} at row {}, column {}: only finite numbers are written to the workbook": "store.ts: the trainer's guard failed, a bug",
  "The cat sat.": "library.ts: an example of a sentence the tasks' (English) words make",
  "colour scales": "extras.ts, write.ts: a kind of extra, a key of the table's excel.extra",
  "column widths": "extras.ts, write.ts: a kind of extra, a key of the table's excel.extra",
  "frozen panes": "extras.ts, write.ts: a kind of extra, a key of the table's excel.extra",
  "{} has no sublayer before it to add and normalise: a layer must put a norm after each attention or FFN block":
    "blocks.ts: a bug in the layer list",
  "{} is cross-attention but the model has no encoder output to attend to": "blocks.ts: a bug in the layer list",
  "no decoder layer attends to {}": "transformer.ts: a bug in the layer list",
  "cannot add {}·({})ᵀ into {}": "matrix.ts: a bug in a caller of the kernels (the checked products name their operands)",
  "Aᵀ·B needs equal row counts, got {} and {}": "matrix.ts: a bug in a caller of the kernels",
  "Aᵀ·B result should be {} × {} but is {}": "matrix.ts: a bug in a caller of the kernels",
  "cannot add {} into {}": "matrix.ts: a bug in a caller of the kernels",
  "{}: the sublayer output is {} but the stream is {}": "layers.ts: a bug in the layer list (add & norm's two inputs)",
  "cannot place {} beside a block of {} rows": "matrix.ts: a bug in a caller",
  "the duty cycle should be a share in (0, 1], got {}":
    "duty-cycle.ts: the worker's guard (WorkerEngine checks the share first, in the table)",
  "the training worker was not set up": "serve-engine.ts: a bug in the worker protocol",
  "the training engine holds no weights: load them first": "stepper.ts: a bug in an engine",
  "the session is busy with a run; wait for it to finish or cancel it": "session.ts: a bug in a caller (the pane runs one at a time)",
  "the saved workbook has no part for the sheet {}": "xlsx.ts: ExcelJS out of step with the chart writer, a bug",
  "the saved workbook has no {}": "xlsx.ts: ExcelJS out of step with the chart writer, a bug",
  "a chart range should look like 'Sheet'!$B$6:$B$9, got \"{}\"": "xlsx.ts: a plan's chart range, a bug if not one",
  "Attention Lab": "xlsx.ts: the product's name, the workbook's creator",
};

/** XML markup (xlsx.ts writes the chart parts): a tag with attributes, a namespace or a closing tag, never prose. */
const MARKUP = /^\s*<(\?xml|[A-Za-z]+:|[A-Za-z]+ [a-z:A-Z]+="|\/)|^\s*<[^>]*\/>/;

interface Found {
  file: string;
  line: number;
  text: string;
}

/** The literal text of a string or template, with {} for each substitution. */
function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => `{}${s.literal.text}`).join("");
  return undefined;
}

/** Two words in a row, each with a small letter (formulas and names shout: ATTN.MASK, IF(, Enc_H1_Wq), parted by a space. */
const prose = (text: string): boolean => /\p{L}*\p{Ll}\p{L}*[,.:;!?'’…()"]*\s+["(]*\p{L}*\p{Ll}\p{L}*/u.test(text.replace(/\{\}/g, " "));

/** Class names ("attn-line attn-head-{}"): words joined by hyphens, for the style sheet. */
const CSS_CLASSES = /^([a-z0-9]+(-[a-z0-9{}]*)+\s*)+$/;

/** Where the string goes: the property or assignment target it is given to, if any. */
function sinkOf(node: ts.Node): string | undefined {
  let n: ts.Node = node;
  // Through a choice (a ? "x" : "y", a ?? "x"), a concatenation or a parenthesis, to the property or assignment that takes the value.
  const passes = (p: ts.Node): boolean =>
    (ts.isConditionalExpression(p) && p.condition !== n) ||
    ts.isParenthesizedExpression(p) ||
    (ts.isBinaryExpression(p) &&
      [ts.SyntaxKind.PlusToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(p.operatorToken.kind));
  while (passes(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isPropertyAssignment(p) && p.initializer === n) return p.name.getText();
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(p.left))
    return p.left.name.text;
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments) {
    const name = calleeName(p);
    const k = p.arguments.indexOf(n as ts.Expression);
    if (name !== undefined && k >= 0 && CALL_SINKS.get(name)?.(p.arguments, k)) return name;
  }
  return undefined;
}

export function bypasses(file: string, source: string): Found[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: Found[] = [];
  const visit = (node: ts.Node): void => {
    const text = literalText(node);
    if (text !== undefined) {
      const p = node.parent;
      const structural =
        ts.isImportDeclaration(p) ||
        ts.isExportDeclaration(p) ||
        ts.isLiteralTypeNode(p) ||
        ts.isExternalModuleReference(p) ||
        (ts.isPropertyAssignment(p) && p.name === node) ||
        (ts.isElementAccessExpression(p) && p.argumentExpression === node);
      const sink = sinkOf(node);
      const shown =
        (!CSS_CLASSES.test(text) && !MARKUP.test(text) && prose(text)) ||
        (sink !== undefined && (SINKS.has(sink) || CALL_SINKS.has(sink)) && /\p{L}{2,}/u.test(text) && !SYMBOL.test(text));
      if (!structural && shown && !(text in ALLOWED)) {
        found.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text });
      }
      if (ts.isTemplateExpression(node)) node.templateSpans.forEach((s) => visit(s.expression));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Every text of taskpane.html outside a data-i18n element: text between tags, and the attributes a user reads. */
export function htmlBypasses(html: string): string[] {
  const body = html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<head>[\s\S]*<\/head>/, "")
    .replace(/<script[\s\S]*?<\/script>/g, "");
  const found: string[] = [];
  for (const m of body.matchAll(/>([^<]*)</g)) {
    const text = m[1].trim();
    if (/\p{L}{2,}/u.test(text) && !HTML_SAME.has(text)) found.push(text);
  }
  for (const m of body.matchAll(/\s(placeholder|aria-label|title|alt)="([^"]*)"/g))
    if (/\p{L}/u.test(m[2])) found.push(`${m[1]}="${m[2]}"`);
  return found;
}

/** Text that is the same in every language: the product's name, symbols and the optimizers' names. */
const HTML_SAME = new Set(["Attention Lab", "d_model", "d_k", "Adam", "SGD", "–", "0"]);
