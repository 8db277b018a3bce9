/**
 * Every English string of "Explain this cell", in one object, so that the
 * pane's language tables can take it over whole. Numbers and words from the
 * workbook come in as arguments, already formatted; nothing here computes.
 */
export const EXPLAIN_TEXT = {
  heading: "Explain this cell",
  intro: "Select any cell of the model in the workbook: this says what it computes, from which cells, with the numbers it holds now.",
  noBlock: (key: string) => `the plan has no block ${key}`,
  nothing: "Select a cell of the model's blocks to see what it computes.",
  notModel: (address: string) => `${address} is not in a block of the model: select a cell inside one of its blocks.`,
  noModel: "Build a model first: then select any of its cells to see what it computes.",
  failed: (why: string) => `Could not read the cell and its inputs: ${why}`,
  where: (block: string, entry: string) => (entry ? `${block}, ${entry}` : block),
  row: (label: string) => `row '${label}'`,
  column: (label: string) => `column '${label}'`,
  rowNumber: (n: number) => `row ${n}`,
  columnNumber: (n: number) => `column ${n}`,
  rows: (from: number, to: number) => `rows ${from}–${to}`,
  columns: (from: number, to: number) => `columns ${from}–${to}`,
  whole: "the whole block",
  empty: "(empty)",
  entry: (parts: string[]) => parts.join(", "),
  inputAt: (block: string, part: string) => `${block}, ${part}`,
  value: (v: string) => `It holds ${v}.`,
  noNumber: (v: string) => `It holds ${v}, not a number: Excel may still be calculating, or a cell it reads shows an error.`,
  mismatch: (shown: string, recomputed: string) =>
    `The inputs give ${recomputed} but the cell shows ${shown}: Excel may not have recalculated yet, or the formula was edited.`,
  inputsHeading: "Its inputs",
  noInputs: "It reads no other cell.",
  selectInput: (where: string) => `Select ${where}`,
  tour: (step: number, title: string) => `The guided tour covers this in step ${step}, "${title}".`,
  tourButton: (step: number) => `Go to tour step ${step}`,
  noTour: "The guided tour has no step on this block; its note (on the block's title cell) explains it.",
  training: {
    weight:
      "A trained weight. Each training step moves it a little against its gradient (the direction that lowers the loss), " +
      "so train and watch it change; you can also type a value of your own, and the trainer starts from it.",
    gradient: (g: string) =>
      `The last training step's gradient for this cell is ${g} (Gradients sheet): ` +
      "a step lowers the weight when it is positive, raises it when negative.",
    noGradient: "Train a step to see its gradient here and on the Gradients sheet.",
  },
  ops: {
    typed: "A value you type: the blocks that read it recalculate when you change it.",
    vocabulary: (n: number, word: string) => `Word ${n} of the vocabulary, "${word}": the words that Tokens may hold.`,
    weight: (param: string) => `A weight of ${param}, a plain value (no formula).`,
    data: (example: number, word: number) =>
      `Word ${word} of training example ${example}. Training reads these rows; edit them and train again.`,
    start: "The start token <s>: every sequence the decoder reads begins with it.",
    typedToken: (word: string) => `A token you type: "${word}". Every block of the model recalculates from it.`,
    fedBack: (position: number, word: string) =>
      `The token chosen after position ${position} (Predicted): "${word}". The model feeds its own choice back, one word at a time.`,
    fixedToken: (word: string) =>
      `"${word}", written when the workbook was built: with ATTN.* block formulas the choice cannot be fed back live, ` +
      "so type the Predicted word here to step on.",
    vocabRow: (word: string, row: string) => `"${word}" is row ${row} of the vocabulary (Vocab); the embedding row it takes is the same.`,
    unknownWord: (word: string) => `"${word}" is not in the vocabulary, so this shows an error: use a word of the Vocab list.`,
    visible: (row: string, seen: boolean) =>
      seen
        ? `Vocabulary row ${row} is not <pad> (row 1): the token is visible as a key, 1.`
        : `Vocabulary row ${row} is <pad>: no query may look at it, 0.`,
    posEnc: (fn: "sin" | "cos", p: number, k: number, d: number, v: string) => `${fn}(${p} / 10000^(${k}/${d})) = ${v}.`,
    noPosEnc: (d: number) => `0: only the first ${d} columns carry the positional encoding.`,
    embed: (word: string, row: string, e: string, pe: string, v: string) =>
      `The embedding of "${word}" (row ${row} of Embedding) plus this position's encoding: ${e} + ${pe} = ${v}.`,
    linear: (rowOf: string, colOf: string, terms: string, v: string) => `(${rowOf}) · (${colOf}): ${terms} = ${v}.`,
    linearBias: (rowOf: string, colOf: string, terms: string, b: string, v: string) =>
      `(${rowOf}) · (${colOf}) + bias: ${terms} + ${b} = ${v}.`,
    scores: (q: string, k: string, terms: string, scale: string, v: string) =>
      `How well query ${q} matches key ${k}: the dot product of their rows of Q and K${scale ? `, divided by ${scale}` : ""}: ` +
      `(${terms})${scale ? ` / ${scale}` : ""} = ${v}.`,
    later: (q: string, k: string) => `0: query ${q} may not look at the later position ${k} (masked self-attention).`,
    padKey: (k: string) => `0: key ${k} is <pad>, which no query looks at.`,
    softmax: (row: string, numerator: string, sum: string, v: string) =>
      `Softmax of row ${row} of the scores over the keys it may see: ${numerator} / (${sum}) = ${v}. Each row of weights sums to 1.`,
    noSoftmax: (v: string) => `Softmax is off, so the weight is the raw score: ${v}.`,
    weightedSum: (row: string, terms: string, v: string) =>
      `The weighted average of the value rows, with row ${row} of the attention weights: ${terms} = ${v}.`,
    concat: (head: number, col: number, v: string) => `Head ${head}'s output, column ${col}, placed beside the other heads: ${v}.`,
    residual: (a: string, b: string, v: string) =>
      `The block's input plus the sub-layer's output (the residual connection): ${a} + ${b} = ${v}.`,
    layerNorm: (x: string, mean: string, variance: string, gamma: string, beta: string, v: string) =>
      `LayerNorm of the row: (${x} − mean ${mean}) / √(variance ${variance} + 0.00001) × γ ${gamma} + β ${beta} = ${v}.`,
    hidden: (terms: string, b: string, v: string) => `ReLU of row · column + bias: max(0, ${terms} + ${b}) = ${v}.`,
    probs: (numerator: string, sum: string, t: string, v: string) =>
      `Softmax of the row of logits${t ? ` divided by the Temperature ${t}` : ""}: ${numerator} / (${sum}) = ${v}.`,
    cumulative: (terms: string, v: string) =>
      `The running sum of this row's probabilities, up to this word: the sum before it plus its own probability, ${terms} = ${v}.`,
    cumulativeRow: (terms: string, v: string) => `This row's probabilities added up from the first word to this one: ${terms} = ${v}.`,
    argmax: (word: string, p: string) => `The word with the largest value in this position's row: "${word}" (${p}).`,
    sampled: (dice: string, word: string) =>
      `Sampling is on: the first word whose cumulative probability reaches the Dice value ${dice} × the row's total: "${word}".`,
    copy: (source: string) => `A copy of ${source}, the same cell by reference, so it follows the block it shows.`,
    note: "Its note explains it:",
  },
} as const;
