/**
 * Builds the WorkbookPlan: the whole transformer as per-cell formulas that
 * open in Excel, Excel on the web, LibreOffice and Google Sheets. Weights
 * are values; everything else is a formula over the blocks before it, and
 * each block carries the value src/model computes for it.
 *
 * Formula rules (DESIGN.md): SUMPRODUCT, MMULT of a row by a column, EXP,
 * MAX, SQRT, INDEX, MATCH, IF, AVERAGE; no dynamic arrays, no volatile
 * functions. Causal rows refer only to the keys they may see, so the
 * decoder can feed its own predictions back without a circular reference.
 */
import { MultiHeadCache, softmaxRows } from "../model/attention";
import type { ModelConfig, Params } from "../model/config";
import { add, type Matrix } from "../model/matrix";
import type { Example } from "../model/tasks";
import { ForwardResult, forward, greedyDecode, predictIds } from "../model/transformer";
import { BOS, PAD, Vocab } from "../model/vocab";
import { rangeAddress, quoteSheet } from "./a1";
import { BlockSpec, Fill, Refs, SheetLayout, grid } from "./layout";
import { NOTES } from "./notes";
import { Label, PlanBlock, PlanCell, PlanValue, WorkbookPlan } from "./plan";
import { TRAIN_LOG_COLUMNS, TRAIN_LOG_FORMATS, TRAIN_LOG_NAME, TRAIN_LOG_TITLES, trainLogCells } from "./train-log";

export interface TrainingLogRow {
  step: number;
  loss: number;
  accuracy: number;
  seconds: number;
}

export interface WorkbookInput {
  preset: string;
  description: string;
  config: ModelConfig;
  vocab: Vocab;
  params: Params;
  /** The source sentence shown on the Input sheet, as words (at most config.sourceLen). */
  sentence: string[];
  /** Training examples for the Data sheet. */
  examples: Example[];
  /** Rows already trained (from `npm run workbook -- --train-steps N`). */
  log?: TrainingLogRow[];
  /** Live switch cells for softmax and scaling (the seed preset). */
  switches?: boolean;
  /**
   * `cells` (default): portable per-cell formulas. `functions`: each block
   * of the layers is one spilling ATTN.* formula over the blocks' A1 ranges
   * (never their names, which a later build re-points); it
   * needs the add-in (and Excel with dynamic arrays), and its decoder input
   * is fixed at build time, since a whole-block formula cannot feed each
   * prediction back without a circular reference.
   */
  style?: FormulaStyle;
  /**
   * Add a Check band where ATTN.* recompute the encoder's blocks beside the
   * per-cell formulas, and a cell with the largest difference. Only for a
   * workbook built by the add-in: nothing else can compute ATTN.*.
   */
  check?: boolean;
}

export type FormulaStyle = "cells" | "functions";

const NUM = "0.00";
const f = (formula: string): PlanCell => ({ formula });
/** One formula in the top-left cell whose array result spills over the block. */
const spill = (formula: string, rows: number, cols: number): PlanCell[][] => grid(rows, cols, (i, j) => (i === 0 && j === 0 ? f(formula) : null));
const toGrid = (m: Matrix): number[][] => grid(m.rows, m.cols, (i, j) => m.data[i * m.cols + j]);
const textLabels = (texts: string[]): Label[] => texts.map((t) => ({ cell: t, value: t }));
const numbered = (prefix: string, n: number): Label[] => textLabels(Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`));

export const SHEETS = {
  guide: "Guide",
  input: "Input",
  encoder: "Encoder",
  decoder: "Decoder",
  output: "Output",
  data: "Data",
  training: "Training",
} as const;

export function buildWorkbookPlan(input: WorkbookInput): WorkbookPlan {
  const { config: c, vocab, params: p } = input;
  const functions = input.style === "functions";
  if (input.sentence.length > c.sourceLen) {
    throw new RangeError(`the sentence has ${input.sentence.length} tokens but this model takes at most ${c.sourceLen}`);
  }
  const n = c.sourceLen;
  const m = c.targetLen;
  const sourceIds = vocab.encode(input.sentence, n, {}, "source sentence");
  const run: ForwardResult = c.decoder ? greedyDecode(p, c, sourceIds).result : forward(p, c, sourceIds);
  const sourceTokens = sourceIds.map((id) => vocab.word(id));
  const decoderTokens = (run.decoderInputIds ?? []).map((id) => vocab.word(id));
  const predicted = predictIds(run.logits).map((id) => vocab.word(id));

  const fills: { block: PlanBlock; fill: Fill }[] = [];
  const sheets: SheetLayout[] = [];
  const sheet = (name: string, purpose: string): SheetLayout => {
    const s = new SheetLayout(name, purpose, fills);
    sheets.push(s);
    return s;
  };

  const guide = sheet(SHEETS.guide, "What each sheet shows and how to play with it.");

  // ---- Input: tokens, vocabulary, embedding, positional encoding, X ----
  const inp = sheet(SHEETS.input, "Type a sentence into the Tokens cells: every sheet recalculates.");
  const R = new Refs(SHEETS.input);
  const positions = Math.max(n, m);
  let switches: { softmax: PlanBlock; scaling: PlanBlock } | undefined;
  /** Beside each switch, what it reads as: "on", "off", or a warning; the cell formulas read this, not the switch. */
  let switchReads: { softmax: PlanBlock; scaling: PlanBlock } | undefined;
  if (input.switches) {
    const pair = (key: string, title: string, note: string, on: boolean): PlanBlock[] => {
      const placed = inp.band([
        { spec: { key, title, note, role: "switch", rows: 1, cols: 1 }, fill: () => one(on ? 1 : 0) },
        {
          spec: { key: key.replace(/_On$/, "_Check"), named: false, title: "Reads as", note: NOTES.switchCheck, role: "computed", rows: 1, cols: 1 },
          fill: () => ({ cells: [[f(switchCheck(R.cell(placed[0], 0, 0)))]], values: [[on ? "on" : "off"]] }),
        },
      ]);
      return placed;
    };
    const [softmax, softmaxReads] = pair("Softmax_On", "Softmax on?", NOTES.softmaxSwitch, c.normalization === "softmax");
    const [scaling, scalingReads] = pair("Scaling_On", "Scale by √d_k?", NOTES.scalingSwitch, c.scaled);
    switches = { softmax, scaling };
    switchReads = { softmax: softmaxReads, scaling: scalingReads };
  }
  const emptyInput = input.sentence.length === 0;
  const [tokens, inputCheck] = inp.band([
    {
      spec: { key: "Tokens", title: "Tokens (type here)", note: NOTES.tokens, role: "input", rows: 1, cols: n, colLabels: numbered("", n) },
      fill: () => ({ cells: [sourceTokens.map((t) => (t === PAD ? null : t))], values: [sourceTokens.map((t) => (t === PAD ? null : t))] }),
    },
    {
      spec: { key: "Input_Check", named: false, title: "Input check", note: NOTES.inputCheck, role: "computed", rows: 1, cols: 1 },
      fill: () => ({
        cells: [[f(`IF(${isEmpty(R)},"${INPUT_EMPTY}",IF(ISERROR(SUM(${R.all(tokenIds)})),"${INPUT_UNKNOWN}","OK"))`)]],
        values: [[emptyInput ? INPUT_EMPTY : "OK"]],
      }),
    },
  ]);
  /** True when every Tokens cell is empty. */
  function isEmpty(refs: Refs): string {
    return `COUNTBLANK(${refs.all(tokens)})=${n}`;
  }
  const [tokenIds] = inp.band([
    {
      spec: {
        key: "Token_Ids",
        named: false,
        title: "Row in the vocabulary",
        note: NOTES.tokenIds,
        role: "computed",
        rows: 1,
        cols: n,
        colLabels: numbered("", n),
        numberFormat: "0",
      },
      fill: () => ({
        cells: [grid(1, n, (_, j) => f(vocabRow(R.cell(tokens, 0, j), vocabBlock, R)))[0]],
        values: [sourceIds.map((id) => id + 1)],
      }),
    },
  ]);
  const [visible] = inp.band([
    {
      spec: {
        key: "Key_Visible",
        title: "Visible as a key? (1 = yes, 0 = <pad>)",
        note: NOTES.visible,
        role: "computed",
        rows: 1,
        cols: n,
        colLabels: numbered("", n),
        numberFormat: "0",
      },
      fill: () => ({
        cells: [grid(1, n, (_, j) => f(`IF(${R.cell(tokenIds, 0, j)}=${vocab.id(PAD) + 1},0,1)`))[0]],
        values: [sourceTokens.map((t) => (t === PAD ? 0 : 1))],
      }),
    },
  ]);
  const tokenLabel = (block: PlanBlock, words: string[], from: Refs): Label[] =>
    words.map((w, j) => ({ cell: f(`INDEX(${from.all(vocabBlock)},${from.cell(block, 0, j)})`), value: w }));
  const [vocabBlock, embedding, posEnc] = inp.band([
    {
      spec: { key: "Vocab", title: "Vocabulary", note: NOTES.vocab, role: "weight", rows: vocab.size, cols: 1 },
      fill: () => ({ cells: vocab.tokens.map((t) => [t]), values: vocab.tokens.map((t) => [t]) }),
    },
    {
      spec: {
        key: "Embedding",
        title: "Embedding E (one row per word)",
        note: NOTES.embedding,
        role: "weight",
        rows: vocab.size,
        cols: c.dModel,
        colLabels: numbered("d", c.dModel),
        numberFormat: NUM,
        heatmap: "diverging",
      },
      fill: () => weights(p.Embedding),
    },
    {
      spec: {
        key: "PosEnc",
        title: "Positional encoding PE",
        note: NOTES.posEnc,
        role: "computed",
        rows: positions,
        cols: c.dModel,
        rowLabels: numbered("pos ", positions),
        colLabels: numbered("d", c.dModel),
        numberFormat: NUM,
        heatmap: "diverging",
      },
      fill: () => ({ cells: grid(positions, c.dModel, (i, j) => peFormula(i, j)), values: grid(positions, c.dModel, (i, j) => peValue(i, j)) }),
    },
  ]);
  const peFormula = (i: number, j: number): PlanCell => {
    if (j >= c.peDims) return 0;
    const pos = i; // positions count from 0
    const angle = `${pos}/POWER(10000,${j - (j % 2)}/${c.peDims})`;
    return f(j % 2 === 0 ? `SIN(${angle})` : `COS(${angle})`);
  };
  const peValue = (i: number, j: number): number => {
    if (j >= c.peDims) return 0;
    const angle = i / Math.pow(10000, (j - (j % 2)) / c.peDims);
    return j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
  };
  const [xBlock] = inp.band([
    {
      spec: {
        key: "X",
        title: "X = E[token] + PE (one row per token)",
        note: NOTES.x,
        role: "computed",
        rows: n,
        cols: c.dModel,
        rowLabels: [],
        colLabels: numbered("d", c.dModel),
        numberFormat: NUM,
        heatmap: "diverging",
      },
      fill: () => ({
        cells: grid(n, c.dModel, (i, j) => f(`INDEX(${R.all(embedding)},${R.cell(tokenIds, 0, i)},${j + 1})+${R.cell(posEnc, i, j)}`)),
        values: toGrid(run.X),
      }),
    },
  ]);
  xBlock.rowLabels = tokenLabel(tokenIds, sourceTokens, R);
  function weights(w: Matrix): { cells: PlanCell[][]; values: PlanValue[][] } {
    const g = toGrid(w);
    return { cells: g, values: g };
  }
  function one(v: number): { cells: PlanCell[][]; values: PlanValue[][] } {
    return { cells: [[v]], values: [[v]] };
  }

  // ---- attention, LayerNorm and FFN blocks, shared by the encoder and the decoder ----
  interface Stream {
    sheet: SheetLayout;
    refs: Refs;
    /** Row labels (the token at each position) for blocks of this stream. */
    labels: Label[];
  }

  /**
   * One multi-head attention: per head Wq, Wk, Wv, Q, K, V, scores,
   * weights and output; then the heads side by side times Wo.
   */
  function attention(
    s: Stream,
    prefix: string,
    title: string,
    xq: PlanBlock,
    xkv: PlanBlock,
    names: { q: string; kv: string },
    keyVisible: PlanBlock,
    keyLabels: Label[],
    cache: MultiHeadCache,
    causal: boolean,
  ): PlanBlock {
    const Rf = s.refs;
    const nq = xq.rows;
    const nk = xkv.rows;
    const heads: PlanBlock[] = [];
    s.sheet.paragraph(title, "subheading");
    for (let h = 0; h < c.heads; h++) {
      const H = `${prefix}_H${h + 1}`;
      const hc = cache.heads[h];
      const w = (name: "Wq" | "Wk" | "Wv"): { spec: BlockSpec; fill: Fill } => ({
        spec: {
          key: `${H}_${name}`,
          title: `Head ${h + 1} ${name}`,
          note: NOTES[name],
          role: "weight",
          rows: c.dModel,
          cols: c.dK,
          rowLabels: numbered("d", c.dModel),
          colLabels: numbered("k", c.dK),
          numberFormat: NUM,
          heatmap: "diverging",
        },
        fill: () => weights(p[`${H}_${name}`]),
      });
      const [Wq, Wk, Wv] = s.sheet.band([w("Wq"), w("Wk"), w("Wv")]);
      const proj = (name: "Q" | "K" | "V", from: PlanBlock, W: PlanBlock, rows: number, labels: Label[], value: Matrix): { spec: BlockSpec; fill: Fill } => ({
        spec: {
          key: `${H}_${name}`,
          title: `Head ${h + 1} ${name} = ${from === xq ? names.q : names.kv}·W${name.toLowerCase()}`,
          note: NOTES[name],
          role: "computed",
          rows,
          cols: c.dK,
          rowLabels: labels,
          colLabels: numbered(name.toLowerCase(), c.dK),
          numberFormat: NUM,
          heatmap: "diverging",
        },
        fill: () => ({
          cells: functions
            ? spill(`ATTN.LINEAR(${Rf.all(from)},${Rf.all(W)})`, rows, c.dK)
            : grid(rows, c.dK, (i, j) => f(`MMULT(${Rf.row(from, i)},${Rf.col(W, j)})`)),
          values: toGrid(value),
        }),
      });
      const [Q, K, V] = s.sheet.band([proj("Q", xq, Wq, nq, s.labels, hc.Q), proj("K", xkv, Wk, nk, keyLabels, hc.K), proj("V", xkv, Wv, nk, keyLabels, hc.V)]);
      const scale = switchReads ? byReading(Rf.cell(switchReads.scaling, 0, 0), `SQRT(${c.dK})`, "1") : c.scaled ? `SQRT(${c.dK})` : "";
      const seen = (i: number): number => (causal ? i + 1 : nk);
      // The functions style masks whole blocks: the visible row broadcast over the queries, or a causal 0/1 grid.
      const keyMask = causal ? `ATTN.MASK(${nk},"causal",${Rf.all(keyVisible)})` : Rf.all(keyVisible);
      const attnFormula = (): string => {
        const softmax = `ATTN.SOFTMAX(${Rf.all(scores)},${keyMask})`;
        if (switchReads)
          return `IF(${Rf.cell(switchReads.softmax, 0, 0)}="on",${softmax},${Rf.all(scores)})${naUnlessRead(Rf.cell(switchReads.softmax, 0, 0))}`;
        return c.normalization === "softmax" ? softmax : `${Rf.all(scores)}*1`;
      };
      const [scores, attn, out] = s.sheet.band([
        {
          spec: {
            key: `${H}_Scores`,
            title: `Head ${h + 1} scores Q·Kᵀ${c.scaled || switches ? "/√d_k" : ""}`,
            note: causal ? NOTES.scoresCausal : NOTES.scores,
            role: "computed",
            rows: nq,
            cols: nk,
            rowLabels: s.labels,
            colLabels: keyLabels,
            numberFormat: NUM,
            heatmap: "diverging",
          },
          fill: () => ({
            cells: functions
              ? spill(
                  `ATTN.SCORE(${Rf.all(Q)},${Rf.all(K)},${switchReads ? `${Rf.cell(switchReads.scaling, 0, 0)}="on"` : c.scaled ? "TRUE()" : "FALSE()"})*${keyMask}${switchReads ? naUnlessRead(Rf.cell(switchReads.scaling, 0, 0)) : ""}`,
                  nq,
                  nk,
                )
              : grid(nq, nk, (i, j) => {
                  if (j >= seen(i)) return 0;
                  const dot = `SUMPRODUCT(${Rf.row(Q, i)},${Rf.row(K, j)})${scale ? `/${scale}` : ""}`;
                  return f(`IF(${Rf.cell(keyVisible, 0, j)}=1,${dot},0)`);
                }),
            values: toGrid(hc.S),
          }),
        },
        {
          spec: {
            key: `${H}_Attn`,
            title: `Head ${h + 1} attention weights`,
            note: causal ? NOTES.attnCausal : NOTES.attn,
            role: "computed",
            rows: nq,
            cols: nk,
            rowLabels: s.labels,
            colLabels: keyLabels,
            numberFormat: NUM,
            heatmap: "attention",
          },
          fill: () => ({
            cells: functions
              ? spill(attnFormula(), nq, nk)
              : grid(nq, nk, (i, j) => {
                  if (j >= seen(i)) return 0;
                  const S = Rf.row(scores, i, 0, seen(i));
                  const vis = Rf.row(keyVisible, 0, 0, seen(i));
                  const sij = Rf.cell(scores, i, j);
                  const softmax = `EXP(${sij}-MAX(${S}))/SUMPRODUCT(EXP(${S}-MAX(${S}))*${vis})`;
                  const weight = switchReads ? byReading(Rf.cell(switchReads.softmax, 0, 0), softmax, sij) : c.normalization === "softmax" ? softmax : sij;
                  return f(`IF(${Rf.cell(keyVisible, 0, j)}=1,${weight},0)`);
                }),
            values: toGrid(hc.A),
          }),
        },
        {
          spec: {
            key: `${H}_Out`,
            title: `Head ${h + 1} output = weights·V`,
            note: NOTES.headOut,
            role: "computed",
            rows: nq,
            cols: c.dK,
            rowLabels: s.labels,
            colLabels: numbered("v", c.dK),
            numberFormat: NUM,
            heatmap: "diverging",
          },
          fill: () => ({
            cells: functions
              ? spill(`MMULT(${Rf.all(attn)},${Rf.all(V)})`, nq, c.dK)
              : grid(nq, c.dK, (i, j) => f(`MMULT(${Rf.row(attn, i, 0, seen(i))},${Rf.col(V, j, 0, seen(i))})`)),
            values: toGrid(hc.O),
          }),
        },
      ]);
      heads.push(out);
    }
    const width = c.heads * c.dK;
    const [concat, Wo, mha] = s.sheet.band([
      {
        spec: {
          key: `${prefix}_Concat`,
          title: "Heads side by side [H1 … Hh]",
          note: NOTES.concat,
          role: "computed",
          rows: nq,
          cols: width,
          rowLabels: s.labels,
          colLabels: numbered("c", width),
          numberFormat: NUM,
          heatmap: "diverging",
        },
        fill: () => ({ cells: grid(nq, width, (i, j) => f(Rf.cell(heads[Math.floor(j / c.dK)], i, j % c.dK))), values: toGrid(cache.concat) }),
      },
      {
        spec: {
          key: `${prefix}_Wo`,
          title: "Wo",
          note: NOTES.Wo,
          role: "weight",
          rows: width,
          cols: c.dModel,
          rowLabels: numbered("c", width),
          colLabels: numbered("d", c.dModel),
          numberFormat: NUM,
          heatmap: "diverging",
        },
        fill: () => weights(p[`${prefix}_Wo`]),
      },
      {
        spec: {
          key: `${prefix}_MHA`,
          title: "Multi-head output = heads·Wo",
          note: NOTES.mha,
          role: "computed",
          rows: nq,
          cols: c.dModel,
          rowLabels: s.labels,
          colLabels: numbered("d", c.dModel),
          numberFormat: NUM,
          heatmap: "diverging",
        },
        fill: () => ({
          cells: functions
            ? spill(`ATTN.LINEAR(${Rf.all(concat)},${Rf.all(Wo)})`, nq, c.dModel)
            : grid(nq, c.dModel, (i, j) => f(`MMULT(${Rf.row(concat, i)},${Rf.col(Wo, j)})`)),
          values: toGrid(cache.out),
        }),
      },
    ]);
    return mha;
  }

  /** Residual sum then LayerNorm: LN(a + b)·γ + β, one row at a time. */
  function addAndNorm(s: Stream, key: string, title: string, a: PlanBlock, b: PlanBlock, sum: Matrix, out: Matrix, outKey: string): PlanBlock {
    const Rf = s.refs;
    const rows = a.rows;
    const d = c.dModel;
    const [sumBlock, gamma, beta] = s.sheet.band([
      {
        spec: {
          key: `${key}_Sum`,
          title: `${title}: residual sum`,
          note: NOTES.residual,
          role: "computed",
          rows,
          cols: d,
          rowLabels: s.labels,
          colLabels: numbered("d", d),
          numberFormat: NUM,
          heatmap: "diverging",
        },
        fill: () => ({
          cells: functions ? spill(`${Rf.all(a)}+${Rf.all(b)}`, rows, d) : grid(rows, d, (i, j) => f(`${Rf.cell(a, i, j)}+${Rf.cell(b, i, j)}`)),
          values: toGrid(sum),
        }),
      },
      {
        spec: { key: `${key}_Gamma`, title: "γ (gain)", note: NOTES.gamma, role: "weight", rows: 1, cols: d, colLabels: numbered("d", d), numberFormat: NUM },
        fill: () => weights(p[`${key}_Gamma`]),
      },
      {
        spec: { key: `${key}_Beta`, title: "β (shift)", note: NOTES.beta, role: "weight", rows: 1, cols: d, colLabels: numbered("d", d), numberFormat: NUM },
        fill: () => weights(p[`${key}_Beta`]),
      },
    ]);
    const [norm] = s.sheet.band([
      {
        spec: {
          key: outKey,
          title: `${title}: LayerNorm`,
          note: NOTES.layerNorm,
          role: "computed",
          rows,
          cols: d,
          rowLabels: s.labels,
          colLabels: numbered("d", d),
          numberFormat: NUM,
          heatmap: "diverging",
        },
        fill: () => ({
          cells: functions
            ? spill(`ATTN.LAYERNORM(${Rf.all(sumBlock)},${Rf.all(gamma)},${Rf.all(beta)})`, rows, d)
            : grid(rows, d, (i, j) => {
                const row = Rf.row(sumBlock, i);
                const mean = `AVERAGE(${row})`;
                return f(
                  `(${Rf.cell(sumBlock, i, j)}-${mean})/SQRT(SUMPRODUCT((${row}-${mean})^2)/${d}+0.00001)*${Rf.cell(gamma, 0, j)}+${Rf.cell(beta, 0, j)}`,
                );
              }),
          values: toGrid(out),
        }),
      },
    ]);
    return norm;
  }

  /** FFN(x) = ReLU(x·W1 + b1)·W2 + b2. */
  function feedForward(s: Stream, prefix: string, x: PlanBlock, hidden: Matrix, out: Matrix): PlanBlock {
    const Rf = s.refs;
    const rows = x.rows;
    s.sheet.paragraph("Feed-forward network: ReLU(x·W1 + b1)·W2 + b2", "subheading");
    const [W1, b1, W2, b2] = s.sheet.band([
      {
        spec: {
          key: `${prefix}_FF_W1`,
          title: "W1",
          note: NOTES.W1,
          role: "weight",
          rows: c.dModel,
          cols: c.dFF,
          rowLabels: numbered("d", c.dModel),
          colLabels: numbered("h", c.dFF),
          numberFormat: NUM,
          heatmap: "diverging",
        },
        fill: () => weights(p[`${prefix}_FF_W1`]),
      },
      {
        spec: { key: `${prefix}_FF_B1`, title: "b1", note: NOTES.b1, role: "weight", rows: 1, cols: c.dFF, colLabels: numbered("h", c.dFF), numberFormat: NUM },
        fill: () => weights(p[`${prefix}_FF_B1`]),
      },
      {
        spec: {
          key: `${prefix}_FF_W2`,
          title: "W2",
          note: NOTES.W2,
          role: "weight",
          rows: c.dFF,
          cols: c.dModel,
          rowLabels: numbered("h", c.dFF),
          colLabels: numbered("d", c.dModel),
          numberFormat: NUM,
          heatmap: "diverging",
        },
        fill: () => weights(p[`${prefix}_FF_W2`]),
      },
      {
        spec: {
          key: `${prefix}_FF_B2`,
          title: "b2",
          note: NOTES.b2,
          role: "weight",
          rows: 1,
          cols: c.dModel,
          colLabels: numbered("d", c.dModel),
          numberFormat: NUM,
        },
        fill: () => weights(p[`${prefix}_FF_B2`]),
      },
    ]);
    const [h, o] = s.sheet.band([
      {
        spec: {
          key: `${prefix}_FF_Hidden`,
          title: "Hidden = ReLU(x·W1 + b1)",
          note: NOTES.hidden,
          role: "computed",
          rows,
          cols: c.dFF,
          rowLabels: s.labels,
          colLabels: numbered("h", c.dFF),
          numberFormat: NUM,
          heatmap: "diverging",
        },
        fill: () => {
          const pre = `ATTN.LINEAR(${Rf.all(x)},${Rf.all(W1)},${Rf.all(b1)})`;
          return {
            cells: functions
              ? spill(`(${pre}>0)*${pre}`, rows, c.dFF)
              : grid(rows, c.dFF, (i, j) => f(`MAX(0,MMULT(${Rf.row(x, i)},${Rf.col(W1, j)})+${Rf.cell(b1, 0, j)})`)),
            values: toGrid(hidden),
          };
        },
      },
      {
        spec: {
          key: `${prefix}_FF_Out`,
          title: "FFN output = hidden·W2 + b2",
          note: NOTES.ffnOut,
          role: "computed",
          rows,
          cols: c.dModel,
          rowLabels: s.labels,
          colLabels: numbered("d", c.dModel),
          numberFormat: NUM,
          heatmap: "diverging",
        },
        fill: () => ({
          cells: functions
            ? spill(`ATTN.LINEAR(${Rf.all(h)},${Rf.all(W2)},${Rf.all(b2)})`, rows, c.dModel)
            : grid(rows, c.dModel, (i, j) => f(`MMULT(${Rf.row(h, i)},${Rf.col(W2, j)})+${Rf.cell(b2, 0, j)}`)),
          values: toGrid(out),
        }),
      },
    ]);
    return o;
  }

  // ---- Encoder ----
  const encSheet = sheet(SHEETS.encoder, "One encoder layer: Y1 = LayerNorm(X + MultiHead(X)), Y = LayerNorm(Y1 + FFN(Y1)).");
  const encRefs = new Refs(SHEETS.encoder);
  const enc: Stream = { sheet: encSheet, refs: encRefs, labels: tokenLabel(tokenIds, sourceTokens, encRefs) };
  const e = run.encoder;
  const encMha = attention(
    enc,
    "Enc",
    "Self-attention: every token looks at every (non-pad) token",
    xBlock,
    xBlock,
    { q: "X", kv: "X" },
    visible,
    enc.labels,
    e.selfAttention,
    false,
  );
  const encY1 = addAndNorm(enc, "Enc_LN1", "Add & norm 1", xBlock, encMha, add(run.X, e.selfAttention.out), e.ln1.out, "Enc_LN1_Out");
  const encFf = feedForward(enc, "Enc", encY1, e.ffn.hidden, e.ffn.out);
  const encOut = addAndNorm(enc, "Enc_LN2", "Add & norm 2", encY1, encFf, add(e.ln1.out, e.ffn.out), e.out, "Enc_Out");
  if (input.check && !functions) checkBand(enc, e);

  // ---- Decoder ----
  let top: PlanBlock = encOut;
  let decTokens: PlanBlock | undefined;
  if (c.decoder && run.decoder && run.decoderX) {
    const d = run.decoder;
    const decSheet = sheet(
      SHEETS.decoder,
      "One decoder layer: masked self-attention, cross-attention over the encoder's output, FFN; each followed by add & norm.",
    );
    const DR = new Refs(SHEETS.decoder);
    const [tokensBlock] = decSheet.band([
      {
        spec: {
          key: "Dec_Tokens",
          title: functions
            ? "Decoder input: <s>, then the predictions made at build time"
            : "Decoder input: <s>, then each position's prediction (greedy decoding)",
          note: functions ? NOTES.decTokensFixed : NOTES.decTokens,
          role: functions ? "input" : "computed",
          rows: 1,
          cols: m,
          colLabels: numbered("", m),
        },
        fill: () => ({
          cells: functions ? [[...decoderTokens]] : [grid(1, m, (_, j) => (j === 0 ? f(`"${BOS}"`) : f(DR.cell(predictedOut, 0, j - 1))))[0]],
          values: [decoderTokens],
        }),
      },
    ]);
    decTokens = tokensBlock;
    const [decIds] = decSheet.band([
      {
        spec: {
          key: "Dec_Token_Ids",
          named: false,
          title: "Row in the vocabulary",
          note: NOTES.tokenIds,
          role: "computed",
          rows: 1,
          cols: m,
          colLabels: numbered("", m),
          numberFormat: "0",
        },
        fill: () => ({
          cells: [grid(1, m, (_, j) => f(vocabRow(DR.cell(tokensBlock, 0, j), vocabBlock, DR)))[0]],
          values: [(run.decoderInputIds ?? []).map((id) => id + 1)],
        }),
      },
    ]);
    const [decVisible] = decSheet.band([
      {
        spec: {
          key: "Dec_Key_Visible",
          title: "Visible as a key? (1 = yes, 0 = <pad>)",
          note: NOTES.visible,
          role: "computed",
          rows: 1,
          cols: m,
          colLabels: numbered("", m),
          numberFormat: "0",
        },
        fill: () => ({
          cells: [grid(1, m, (_, j) => f(`IF(${DR.cell(decIds, 0, j)}=${vocab.id(PAD) + 1},0,1)`))[0]],
          values: [decoderTokens.map((t) => (t === PAD ? 0 : 1))],
        }),
      },
    ]);
    const decLabels = tokenLabel(decIds, decoderTokens, DR);
    const [decX] = decSheet.band([
      {
        spec: {
          key: "Dec_X",
          title: "Decoder X = E[token] + PE",
          note: NOTES.decX,
          role: "computed",
          rows: m,
          cols: c.dModel,
          rowLabels: decLabels,
          colLabels: numbered("d", c.dModel),
          numberFormat: NUM,
          heatmap: "diverging",
        },
        fill: () => ({
          cells: grid(m, c.dModel, (i, j) => f(`INDEX(${DR.all(embedding)},${DR.cell(decIds, 0, i)},${j + 1})+${DR.cell(posEnc, i, j)}`)),
          values: toGrid(run.decoderX!),
        }),
      },
    ]);
    const dec: Stream = { sheet: decSheet, refs: DR, labels: decLabels };
    const selfMha = attention(
      dec,
      "Dec_Self",
      "Masked self-attention: position i sees positions 0..i only",
      decX,
      decX,
      { q: "X", kv: "X" },
      decVisible,
      decLabels,
      d.selfAttention,
      true,
    );
    const z1 = addAndNorm(dec, "Dec_LN1", "Add & norm 1", decX, selfMha, add(run.decoderX, d.selfAttention.out), d.ln1.out, "Dec_LN1_Out");
    const encLabelsHere = tokenLabel(tokenIds, sourceTokens, DR);
    const crossMha = attention(
      dec,
      "Dec_Cross",
      "Cross-attention: queries from the decoder, keys and values from the encoder's output",
      z1,
      encOut,
      { q: "Z1", kv: "Enc_Out" },
      visible,
      encLabelsHere,
      d.crossAttention,
      false,
    );
    const z2 = addAndNorm(dec, "Dec_LN2", "Add & norm 2", z1, crossMha, add(d.ln1.out, d.crossAttention.out), d.ln2.out, "Dec_LN2_Out");
    const ff = feedForward(dec, "Dec", z2, d.ffn.hidden, d.ffn.out);
    top = addAndNorm(dec, "Dec_LN3", "Add & norm 3", z2, ff, add(d.ln2.out, d.ffn.out), d.out, "Dec_Out");
  }

  // ---- Output ----
  const outSheet = sheet(SHEETS.output, "Logits = top·Out_W + Out_B, probabilities by softmax, and the most probable token at each position.");
  const OR = new Refs(SHEETS.output);
  const outRows = top.rows;
  const outLabels: Label[] = decTokens
    ? decoderTokens.map((w, j) => ({ cell: f(OR.cell(decTokens!, 0, j)), value: w }))
    : tokenLabel(tokenIds, sourceTokens, OR);
  const vocabLabels = textLabels([...vocab.tokens]);
  const [outW, outB] = outSheet.band([
    {
      spec: {
        key: "Out_W",
        title: "Out_W",
        note: NOTES.outW,
        role: "weight",
        rows: c.dModel,
        cols: vocab.size,
        rowLabels: numbered("d", c.dModel),
        colLabels: vocabLabels,
        numberFormat: NUM,
        heatmap: "diverging",
      },
      fill: () => weights(p.Out_W),
    },
    {
      spec: { key: "Out_B", title: "Out_B", note: NOTES.outB, role: "weight", rows: 1, cols: vocab.size, colLabels: vocabLabels, numberFormat: NUM },
      fill: () => weights(p.Out_B),
    },
  ]);
  const [logits] = outSheet.band([
    {
      spec: {
        key: "Logits",
        title: "Logits",
        note: NOTES.logits,
        role: "computed",
        rows: outRows,
        cols: vocab.size,
        rowLabels: outLabels,
        colLabels: vocabLabels,
        numberFormat: NUM,
        heatmap: "diverging",
      },
      fill: () => ({
        cells: functions
          ? spill(`ATTN.LINEAR(${OR.all(top)},${OR.all(outW)},${OR.all(outB)})`, outRows, vocab.size)
          : grid(outRows, vocab.size, (i, j) => f(`MMULT(${OR.row(top, i)},${OR.col(outW, j)})+${OR.cell(outB, 0, j)}`)),
        values: toGrid(run.logits),
      }),
    },
  ]);
  outSheet.band([
    {
      spec: {
        key: "Probs",
        title: "Probabilities (softmax of each row)",
        note: NOTES.probs,
        role: "computed",
        rows: outRows,
        cols: vocab.size,
        rowLabels: outLabels,
        colLabels: vocabLabels,
        numberFormat: NUM,
        heatmap: "probability",
      },
      fill: () => ({
        cells: functions
          ? spill(`ATTN.PROBS(${OR.all(logits)})`, outRows, vocab.size)
          : grid(outRows, vocab.size, (i, j) => {
              const L = OR.row(logits, i);
              return f(`EXP(${OR.cell(logits, i, j)}-MAX(${L}))/SUMPRODUCT(EXP(${L}-MAX(${L})))`);
            }),
        values: toGrid(softmaxRows(run.logits)),
      }),
    },
  ]);
  const [predictedOut] = outSheet.band([
    {
      spec: {
        key: "Predicted",
        title: c.decoder ? "Predicted next token at each decoder position" : "Predicted token at each position",
        note: c.decoder ? NOTES.predictedDecoder : NOTES.predicted,
        role: "computed",
        rows: 1,
        cols: outRows,
        colLabels: numbered("", outRows),
      },
      fill: () => ({
        cells: functions
          ? spill(`TRANSPOSE(ATTN.ARGMAX(${OR.all(logits)},${OR.all(vocabBlock)}))`, 1, outRows)
          : [grid(1, outRows, (_, i) => f(`INDEX(${OR.all(vocabBlock)},MATCH(MAX(${OR.row(logits, i)}),${OR.row(logits, i)},0))`))[0]],
        values: [predicted],
      }),
    },
    {
      spec: { key: "Output_Check", named: false, title: "Input check", note: NOTES.inputCheck, role: "computed", rows: 1, cols: 1 },
      fill: () => ({ cells: [[f(OR.cell(inputCheck, 0, 0))]], values: [[emptyInput ? INPUT_EMPTY : "OK"]] }),
    },
  ]);
  if (c.decoder) {
    outSheet.band([
      {
        spec: { key: "Translation", title: "The output sentence, up to </s>", note: NOTES.translation, role: "computed", rows: 1, cols: 1 },
        fill: () => ({
          cells: [[f(`IF(${isEmpty(OR)},"${NO_INPUT}",${joinUntilEos(predictedOut, OR, outRows)})`)]],
          values: [[emptyInput ? NO_INPUT : vocab.decode(predictIds(run.logits)).join(" ")]],
        }),
      },
    ]);
  }

  // ---- Data ----
  const dataSheet = sheet(SHEETS.data, "Training examples, one a row, one token a cell. Edit them, then train from the task pane.");
  const targetCols = c.decoder ? c.targetLen - 1 : c.sourceLen;
  const N = input.examples.length;
  const padTo = (words: string[], k: number): PlanValue[] => Array.from({ length: k }, (_, j) => words[j] ?? null);
  dataSheet.band([
    {
      spec: {
        key: "Data_Source",
        title: "Source",
        note: NOTES.dataSource,
        role: "data",
        rows: N,
        cols: c.sourceLen,
        rowLabels: numbered("", N),
        colLabels: numbered("", c.sourceLen),
      },
      fill: () => {
        const g = input.examples.map((ex) => padTo(ex.source, c.sourceLen));
        return { cells: g, values: g };
      },
    },
    {
      spec: { key: "Data_Target", title: "Target", note: NOTES.dataTarget, role: "data", rows: N, cols: targetCols, colLabels: numbered("", targetCols) },
      fill: () => {
        const g = input.examples.map((ex) => padTo(ex.target, targetCols));
        return { cells: g, values: g };
      },
    },
  ]);

  // ---- Training log ----
  const trainSheet = sheet(SHEETS.training, "Each training run appends its steps here; the chart follows the loss.");
  const log = input.log ?? [];
  const logRows = Math.max(log.length, 1);
  const [logBlock] = trainSheet.band([
    {
      spec: {
        key: TRAIN_LOG_NAME,
        title: "Training log",
        note: NOTES.log,
        role: "log",
        rows: logRows,
        cols: TRAIN_LOG_COLUMNS.length,
        colLabels: textLabels([...TRAIN_LOG_TITLES]),
        columnFormats: TRAIN_LOG_FORMATS,
      },
      fill: () => {
        const g: PlanValue[][] = log.length ? log.map(trainLogCells) : [TRAIN_LOG_COLUMNS.map(() => null)];
        return { cells: g, values: g };
      },
    },
  ]);
  trainSheet.sheet.charts.push({
    title: "Loss by step",
    top: logBlock.top - 2,
    left: logBlock.left + 5,
    width: 8,
    height: 16,
    categories: `${quoteSheet(SHEETS.training)}!${rangeAddress(logBlock.top, logBlock.left, logRows, 1)}`,
    series: [{ name: "Loss", values: `${quoteSheet(SHEETS.training)}!${rangeAddress(logBlock.top, logBlock.left + 1, logRows, 1)}` }],
  });

  // ---- fill every block, now that each has its place ----
  for (const { block, fill } of fills) {
    const { cells, values } = fill();
    block.cells = cells;
    block.values = values;
  }
  writeGuide(guide, input, sheets);
  for (const s of sheets) s.sheet.columnWidths = columnWidths(s.sheet.blocks);

  const plan: WorkbookPlan = { sheets: sheets.map((s) => s.sheet), names: [] };
  for (const s of plan.sheets) {
    for (const b of s.blocks) {
      if (b.named) plan.names.push({ name: b.key, sheet: s.name, range: rangeAddress(b.top, b.left, b.rows, b.cols) });
    }
  }
  return plan;

  /**
   * ATTN.* recompute blocks of the encoder from the same blocks; one
   * cell shows the largest difference from the per-cell formulas. Heads are
   * checked when the model uses softmax and scaling (what ATTN.HEAD computes).
   */
  function checkBand(s: Stream, e: typeof run.encoder): void {
    s.sheet.paragraph("Check: the ATTN.* functions recompute these blocks; the difference from the cell formulas should be about 1e-15", "subheading");
    // A1 references, never names: a later build re-points the names, and this band must go on checking its own blocks.
    const at = (key: string): string => s.refs.all(fills.find((x) => x.block.key === key)!.block);
    const checks: { key: string; of: string; formula: string; value: Matrix }[] = [];
    if (c.normalization === "softmax" && c.scaled && !switches) {
      for (let h = 1; h <= c.heads; h++) {
        const H = `Enc_H${h}`;
        checks.push({
          key: `Check_${H}_Out`,
          of: `${H}_Out`,
          formula: `ATTN.HEAD(${at("X")},${at(`${H}_Wq`)},${at(`${H}_Wk`)},${at(`${H}_Wv`)},${at("Key_Visible")})`,
          value: e.selfAttention.heads[h - 1].O,
        });
      }
    }
    checks.push({
      key: "Check_Enc_LN1_Out",
      of: "Enc_LN1_Out",
      formula: `ATTN.LAYERNORM(${at("Enc_LN1_Sum")},${at("Enc_LN1_Gamma")},${at("Enc_LN1_Beta")})`,
      value: e.ln1.out,
    });
    checks.push({
      key: "Check_Enc_FF_Out",
      of: "Enc_FF_Out",
      formula: `ATTN.FFN(${at("Enc_LN1_Out")},${at("Enc_FF_W1")},${at("Enc_FF_B1")},${at("Enc_FF_W2")},${at("Enc_FF_B2")})`,
      value: e.ffn.out,
    });
    s.sheet.band(
      checks.map((k) => ({
        spec: {
          key: k.key,
          title: `ATTN.* for ${k.of}`,
          note: NOTES.check,
          role: "computed",
          rows: k.value.rows,
          cols: k.value.cols,
          rowLabels: s.labels,
          numberFormat: NUM,
          heatmap: "diverging",
        },
        fill: () => ({ cells: spill(k.formula, k.value.rows, k.value.cols), values: toGrid(k.value) }),
      })),
    );
    const diff = checks.map((k) => `MAX(ABS(${at(k.key)}-${at(k.of)}))`).join(",");
    s.sheet.band([
      {
        spec: { key: "Check_Max_Diff", title: "Largest difference", note: NOTES.checkDiff, role: "computed", rows: 1, cols: 1, numberFormat: "0.0E+00" },
        fill: () => ({ cells: [[f(`MAX(${diff})`)]], values: [[0]] }),
      },
    ]);
  }
}

const INPUT_EMPTY = "Type a sentence in Tokens: the input is empty";
const INPUT_UNKNOWN = "A word in Tokens is not in the vocabulary (its row shows #N/A): use the words of the Vocabulary list";
const NO_INPUT = "(no input: type a sentence in Tokens)";

/**
 * What a switch cell reads as: "on" for TRUE or 1, "off" for FALSE or 0, and
 * a warning for anything else (text, other numbers, an empty cell). Both
 * comparisons are needed: in Excel TRUE=1 is FALSE.
 */
function switchCheck(x: string): string {
  // CHAR(34) is a double quote: HyperFormula does not read "" inside a text.
  const shown = `IF(ISBLANK(${x}),"an empty cell",IF(ISTEXT(${x}),CHAR(34)&${x}&CHAR(34),${x}))`;
  const warning = `"⚠ "&${shown}&" is not a switch value: type TRUE or FALSE (or 1 or 0). The blocks that read it show #N/A."`;
  return `IF(OR(${x}=TRUE(),${x}=1),"on",IF(AND(NOT(ISBLANK(${x})),OR(${x}=FALSE(),${x}=0)),"off",${warning}))`;
}

/**
 * "+0" while the switch's check cell reads "on" or "off", "+#N/A" otherwise:
 * added to a whole spilled block, it turns every cell to #N/A and keeps the
 * block's shape (an IF whose branch is a lone NA() would spill one cell).
 */
function naUnlessRead(check: string): string {
  return `+IF(OR(${check}="on",${check}="off"),0,NA())`;
}

/** `on` when the switch's check cell reads "on", `off` when "off", #N/A when the switch holds anything else. */
function byReading(check: string, on: string, off: string): string {
  return `IF(${check}="on",${on},IF(${check}="off",${off},NA()))`;
}

/**
 * The row of the word in `cell` in the vocabulary, or #N/A: a blank cell is
 * <pad>, and a typed word is lower-cased first, as the add-in reads typed
 * words (every vocabulary word is lower case). EXACT, not MATCH: MATCH reads
 * `*`, `?` and `~` as wildcards, so "c*" would find "café". SUMPRODUCT
 * computes over the whole vocabulary without Ctrl+Shift+Enter.
 */
function vocabRow(cell: string, vocab: PlanBlock, refs: Refs): string {
  const hit = `EXACT(${refs.all(vocab)},IF(${cell}="","${PAD}",LOWER(${cell})))`;
  const row = `ROW(${refs.all(vocab)})-ROW(${refs.cell(vocab, 0, 0)})+1`;
  return `IF(SUMPRODUCT(--${hit})=0,NA(),SUMPRODUCT(${hit}*(${row})))`;
}

/** The predicted words joined with spaces, stopping at </s>: nested IFs, no text-join function needed. */
function joinUntilEos(pred: PlanBlock, refs: Refs, count: number): string {
  let expr = '""';
  for (let i = count - 1; i >= 0; i--) {
    const cell = refs.cell(pred, 0, i);
    const rest = expr === '""' ? "" : `&${expr}`;
    const word = i === 0 ? cell : `" "&${cell}`;
    expr = `IF(OR(${cell}="</s>",${cell}="<pad>"),"",${word}${rest})`;
  }
  return expr;
}

function columnWidths(blocks: PlanBlock[]): number[] {
  const widths: number[] = [];
  for (const b of blocks) {
    const last = b.left + b.cols;
    while (widths.length < last + 1) widths.push(8);
    if (b.rowLabels) widths[b.left - 1] = Math.max(widths[b.left - 1], 9);
    if (b.role === "data" || b.role === "input") for (let j = b.left; j < last; j++) widths[j] = Math.max(widths[j], 10);
  }
  return widths;
}

function writeGuide(guide: SheetLayout, input: WorkbookInput, sheets: SheetLayout[]): void {
  const c = input.config;
  guide.paragraph(`Attention Lab — preset "${input.preset}": ${input.description}`, "subheading");
  guide.paragraph(
    `d_model ${c.dModel}, ${c.heads} heads of width ${c.dK}, feed-forward width ${c.dFF}, ${c.sourceLen} source positions${c.decoder ? `, ${c.targetLen} decoder positions` : ""}, ${c.normalization === "softmax" ? "softmax" : "no softmax"}, ${c.scaled ? "scores scaled by 1/√d_k" : "no scaling"}.`,
  );
  guide.skip(1);
  guide.paragraph("The sheets, in the order the numbers flow:", "subheading");
  for (const s of sheets) {
    if (s === guide) continue;
    guide.paragraph(`${s.sheet.name}: ${s.sheet.purpose}`);
  }
  guide.skip(1);
  guide.paragraph("How to play with it", "subheading");
  for (const line of NOTES.guide) guide.paragraph(line);
}
