/**
 * The head view, in the manner of bertviz: the query tokens in a column on
 * the left, the keys on the right, and a line from each query to each key it
 * may attend to whose opacity is the weight the sheet shows. Pad keys and a
 * causal block's later keys get no line (their weight is 0 by definition).
 * "All heads" draws every head in its own colour. Hovering or focusing a
 * token lights its lines; the largest weights are also a list, for screen
 * readers and for anyone who wants the numbers.
 *
 * Styles come from taskpane.css by class and from SVG presentation
 * attributes (stroke-opacity), never a style attribute: the pane's CSP
 * (style-src 'self') refuses inline styles.
 */
import { attends, type AttentionRead } from "../excel/attention-read";
import type { AttentionPanel, HeadChoice, PanelState } from "./attention-panel";
import { t } from "../i18n";
import { tokenName } from "./token-names";

const SVG = "http://www.w3.org/2000/svg";
/** Height of a token's row in CSS pixels; `.attn-token` in taskpane.css has the same height, so lines meet their tokens. */
const ROW = 24;
/** The SVG's own width units; it stretches to the column between the tokens (lines keep their width: non-scaling-stroke). */
const WIDTH = 100;
/** How many weights the list names. */
const LISTED = 8;
/** Heads with a colour class of their own (`attn-head-1` …); further heads reuse them. */
const COLOURS = 8;

export interface Weight {
  head: number;
  query: number;
  key: number;
  weight: number;
}

/** The weights drawn for `head` (every head for "all"): one per query–key pair the block lets attend, where the cell holds a number. */
export function drawnWeights(read: AttentionRead, head: HeadChoice): Weight[] {
  const heads = head === "all" ? read.weights.map((_, h) => h + 1) : [head];
  const out: Weight[] = [];
  for (const h of heads) {
    const grid = read.weights[h - 1] ?? [];
    grid.forEach((row, i) =>
      row.forEach((w, j) => {
        if (w !== null && attends(read, i, j)) out.push({ head: h, query: i, key: j, weight: w });
      }),
    );
  }
  return out;
}

const fmt = (w: number): string => w.toFixed(2);
const shownWord = (word: string, k: number): string => word || t().pane.emptyToken(k + 1);
/** A token in the words of a weight: with its position when its word appears more than once, so two lines never read the same. */
const tokenText = (words: readonly string[], k: number): string => tokenName(words, k) || shownWord(words[k], k);
const headText = (h: number, withHead: boolean): string => (withHead ? t().pane.weightHead(h) : "");

/** "cat → eats 0.62": a weight in words, with its head when several are shown. */
export function describeWeight(read: AttentionRead, w: Weight, withHead: boolean): string {
  const [query, key] = [tokenText(read.queries, w.query), tokenText(read.keys, w.key)];
  return `${query} → ${key} ${fmt(w.weight)}${headText(w.head, withHead)}`;
}

/** The `n` largest of `weights`, largest first; ties in reading order. */
export function largest(weights: readonly Weight[], n: number): Weight[] {
  return [...weights].sort((a, b) => b.weight - a.weight).slice(0, n);
}

/** ": attends most to eats 0.62", or ": is attended most by cat 0.62" for a key: a token's strongest line, for its label. */
function strongest(read: AttentionRead, weights: readonly Weight[], side: "query" | "key", k: number, withHead: boolean): string {
  const best = largest(
    weights.filter((w) => (side === "query" ? w.query : w.key) === k),
    1,
  )[0];
  if (!best) return "";
  const other = side === "query" ? tokenText(read.keys, best.key) : tokenText(read.queries, best.query);
  const verb = side === "query" ? t().pane.attendsMost : t().pane.attendedMost;
  return `: ${verb} ${other} ${fmt(best.weight)}${headText(best.head, withHead)}`;
}

function byId<T extends Element>(doc: Document, id: string): T {
  const el = doc.getElementById(id);
  if (!el) throw new Error(`the task pane has no element #${id}`);
  return el as unknown as T;
}

export class HeadView {
  private readonly block: HTMLSelectElement;
  private readonly head: HTMLSelectElement;
  private readonly svg: SVGSVGElement;
  private readonly title: SVGTitleElement;
  private readonly desc: SVGDescElement;
  private readonly lines: SVGGElement;
  private readonly queries: HTMLElement;
  private readonly keys: HTMLElement;
  private readonly list: HTMLElement;
  private readonly note: HTMLElement;
  private shownTargets?: PanelState["targets"];
  /** The token whose lines are lit, kept across redraws. */
  private lit?: { side: "query" | "key"; k: number };

  constructor(private readonly doc: Document) {
    this.block = byId(doc, "attn-block");
    this.head = byId(doc, "attn-head");
    this.svg = byId(doc, "attn-svg");
    this.title = byId(doc, "attn-svg-title");
    this.desc = byId(doc, "attn-svg-desc");
    this.lines = byId(doc, "attn-lines");
    this.queries = byId(doc, "attn-queries");
    this.keys = byId(doc, "attn-keys");
    this.list = byId(doc, "attn-top");
    this.note = byId(doc, "attn-note");
    this.render({ targets: [], head: 1 });
  }

  /** Wires the pickers to `panel` and renders its state from now on. */
  attach(panel: AttentionPanel): void {
    const choose = () => void panel.choose(this.block.value, this.head.value === "all" ? "all" : Number(this.head.value));
    this.block.addEventListener("change", choose);
    this.head.addEventListener("change", choose);
    panel.subscribe((s) => this.render(s));
  }

  private option(value: string, text: string): HTMLOptionElement {
    const o = this.doc.createElement("option");
    o.value = value;
    o.textContent = text;
    return o;
  }

  /** Every text again, in the language now in use. */
  relanguage(s: PanelState): void {
    this.shownTargets = undefined;
    this.head.replaceChildren();
    this.render(s);
  }

  render(s: PanelState): void {
    const T = t().pane;
    if (s.targets !== this.shownTargets) {
      this.shownTargets = s.targets;
      this.block.replaceChildren(...s.targets.map((x) => this.option(x.block, `${x.block} (${T.role[x.role]})`)));
    }
    const target = s.targets.find((t) => t.block === s.block);
    const heads = target?.heads ?? 0;
    if (this.head.options.length !== heads + (heads > 1 ? 1 : 0)) {
      this.head.replaceChildren(
        ...Array.from({ length: heads }, (_, h) => this.option(String(h + 1), T.headOption(h + 1))),
        ...(heads > 1 ? [this.option("all", T.allHeads)] : []),
      );
    }
    this.block.value = s.block ?? "";
    this.head.value = String(s.head);
    this.block.disabled = this.head.disabled = !target;

    const read = s.read && s.read.target.block === s.block ? s.read : undefined;
    this.draw(read, s.head);
    this.note.textContent = s.error ?? (target ? (read ? this.missing(read) : T.readingWeights) : T.noAttention);
    this.note.hidden = this.note.textContent === "";
  }

  /** Says how many shown cells hold no number, which get no line (Excel may still be calculating, or a cell shows an error). */
  private missing(read: AttentionRead): string {
    const n = read.weights.flat(2).filter((w) => w === null).length;
    return n === 0 ? "" : t().pane.missingCells(n);
  }

  private draw(read: AttentionRead | undefined, head: HeadChoice): void {
    const weights = read ? drawnWeights(read, head) : [];
    const rows = read ? Math.max(read.queries.length, read.keys.length, 1) : 0;
    this.svg.setAttribute("viewBox", `0 0 ${WIDTH} ${rows * ROW}`);
    this.svg.setAttribute("height", String(rows * ROW));
    const all = head === "all";
    this.lines.replaceChildren(
      ...weights.map((w) => {
        const line = this.doc.createElementNS(SVG, "line");
        line.setAttribute("x1", "0");
        line.setAttribute("y1", String((w.query + 0.5) * ROW));
        line.setAttribute("x2", String(WIDTH));
        line.setAttribute("y2", String((w.key + 0.5) * ROW));
        line.setAttribute("stroke-opacity", String(Math.min(1, Math.max(0, w.weight))));
        line.setAttribute("vector-effect", "non-scaling-stroke");
        line.setAttribute("class", `attn-line attn-head-${((w.head - 1) % COLOURS) + 1}`);
        line.dataset.query = String(w.query);
        line.dataset.key = String(w.key);
        line.dataset.head = String(w.head);
        return line;
      }),
    );
    this.tokens(this.queries, read?.queries ?? [], "query", read, weights, all);
    this.tokens(this.keys, read?.keys ?? [], "key", read, weights, all);

    const top = largest(weights, LISTED);
    this.list.replaceChildren(
      ...top.map((w) => {
        const li = this.doc.createElement("li");
        li.textContent = read ? describeWeight(read, w, all) : "";
        return li;
      }),
    );
    const T = t().pane;
    this.title.textContent = T.attentionOf(read ? T.shownHeads(read.target.block, head) : T.noBlock);
    this.desc.textContent = read
      ? T.linesDesc(read.queries.length, read.keys.length) +
        (top.length > 0 ? T.largestDesc(describeWeight(read, top[0], all), top.length) : "")
      : T.noWeights;
    this.light(this.lit?.side, this.lit?.k);
  }

  /** One focusable button per token; hovering or focusing it lights its lines and dims the rest. */
  private tokens(
    column: HTMLElement,
    words: readonly string[],
    side: "query" | "key",
    read: AttentionRead | undefined,
    weights: readonly Weight[],
    all: boolean,
  ): void {
    // A redraw (the workbook recalculated) keeps the keyboard on the token it was on.
    const was = Array.from(column.querySelectorAll("button")).indexOf(this.doc.activeElement as HTMLButtonElement);
    column.replaceChildren(
      ...words.map((word, k) => {
        const li = this.doc.createElement("li");
        const b = this.doc.createElement("button");
        b.type = "button";
        b.className = `attn-token attn-${side}`;
        b.textContent = shownWord(word, k);
        b.setAttribute(
          "aria-label",
          `${t().pane.tokenLabel(shownWord(word, k), side, k + 1)}${read ? strongest(read, weights, side, k, all) : ""}`,
        );
        const light = () => this.light(side, k);
        b.addEventListener("mouseenter", light);
        b.addEventListener("focus", light);
        b.addEventListener("mouseleave", () => this.light());
        b.addEventListener("blur", () => this.light());
        li.append(b);
        return li;
      }),
    );
    if (was >= 0) column.querySelectorAll("button")[was]?.focus();
  }

  /** Lights the lines of token `k` on `side`; with no token, every line shows as drawn. */
  private light(side?: "query" | "key", k?: number): void {
    this.lit = side === undefined ? undefined : { side, k: k! };
    this.svg.classList.toggle("attn-focused", side !== undefined);
    for (const line of Array.from(this.lines.children) as SVGLineElement[]) {
      line.classList.toggle("attn-lit", side !== undefined && line.dataset[side] === String(k));
    }
    for (const b of Array.from(this.doc.querySelectorAll<HTMLElement>(".attn-token"))) b.classList.remove("attn-token-lit");
    if (side !== undefined)
      (side === "query" ? this.queries : this.keys).querySelectorAll(".attn-token")[k!]?.classList.add("attn-token-lit");
  }
}
