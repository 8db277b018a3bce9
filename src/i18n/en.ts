/**
 * Every English text a user reads: the sheets' notes, titles and Guide, the
 * tour, the pane and its messages. The Spanish table (es.ts) has the same
 * keys, checked by the compiler and by tests/i18n.test.ts; code reads them
 * through t() (src/i18n/index.ts), never as literals of its own.
 */
import { describeStacks, type ModelKind, type AttentionRole } from "../model/architecture";
import { EXACT_LABELS, MODEL_MESSAGES } from "../model/messages";
import { getPreset, type PresetName } from "../model/presets";
import type { TaskName } from "../model/tasks";
import { SPECIALS } from "../model/vocab";

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
export const quoted = (words: readonly string[]): string => words.map((w) => `"${w}"`).join(", ");

export const en = {
  /** The language's name in its own words, for the pane's switch. */
  languageName: "English",
  /** The short notes that explain each block, in plain words: cell notes on each block's title, and the tour. */
  notes: {
    tokens:
      "Type one word per cell. Every block in the workbook is computed from these cells, so changing a word changes the attention, " +
      "the output and the prediction. Leave a cell empty for <pad> (padding).",
    tokensCopy:
      "The Tokens typed on the Overview sheet, shown here so that this sheet reads from top to bottom: each word's vocabulary row, " +
      "then X. Type on the Overview; an empty cell is <pad>.",
    overviewMaps: "Where each head looks: a row per query token, a column per key token",
    overviewMap:
      "A copy of one head's attention weights: the row's token draws from the column's tokens in these proportions (each row sums to " +
      "1 when softmax is on). Type a new sentence above and it follows.",
    tokenIds:
      "Where each word sits in the vocabulary: the row whose word is exactly the typed one (EXACT; capitals count as small letters, " +
      "and * ? ~ are plain characters, not wildcards). #N/A means the word is not in the vocabulary: pick one from the Vocabulary " +
      "list.",
    visible: "Padding is not a word: attention gives <pad> keys a weight of exactly 0. This row says which positions may be looked at.",
    vocab: "Every word the model knows, one per row. Row 1 is <pad>, row 2 <s> (start), row 3 </s> (end).",
    embedding:
      "Each word's learned vector. The model looks up one row per token. These are trained weights: the trainer writes new values here.",
    posEnc:
      "Attention itself ignores order, so each position gets a fixed pattern of sines and cosines: PE[p,2i] = sin(p/10000^(2i/d)), " +
      "PE[p,2i+1] = cos(p/10000^(2i/d)).",
    x: "The input to the encoder: the word's embedding plus its position's encoding, one row per token.",
    decX: "The decoder's input, embedded like the source: the embedding of each decoder token plus its position's encoding.",
    decTokens:
      "Position 1 is the start token <s>. Every later position takes the word the model predicted at the position before it, so the " +
      "decoder writes its sentence one word at a time (greedy decoding) with plain formulas and no circular reference.",
    decTokensFixed:
      "The decoder's input: <s>, then the words predicted when the workbook was built. In the ATTN.* style a whole-block formula " +
      "cannot feed each prediction back to the next position without a circular reference, so these are plain values: type the " +
      "Predicted words here to step the decoding by hand, or rebuild.",
    softmaxSwitch:
      "TRUE (or 1) turns scores into weights with a softmax (each row sums to 1). FALSE (or 0) uses the raw scores, as the original " +
      "demo did.",
    switchCheck:
      "What the switch beside it reads as: on (TRUE or 1) or off (FALSE or 0). Anything else, such as yes, 2, " +
      'the text "1" or an empty cell, is flagged here, and the blocks that read the switch show #N/A until it is TRUE or FALSE again.',
    inputCheck:
      "OK when every word of Tokens is in the vocabulary. It says so when Tokens is empty (then the output means nothing) or when a " +
      "word is not in the vocabulary: use the words of the Vocabulary list on the Input sheet.",
    scalingSwitch:
      "TRUE (or 1) divides the scores by √d_k, which keeps the softmax from saturating as d_k grows. FALSE (or 0) leaves them " +
      "unscaled, as the original demo did.",
    Wq: "Query weights: turn each token's vector into the question it asks of the others. Trained.",
    Wk: "Key weights: turn each token's vector into the label other tokens match their questions against. Trained.",
    Wv: "Value weights: turn each token's vector into the content it passes on when attended to. Trained.",
    Q: "Queries, one row per token: X·Wq (MMULT of a row of X with a column of Wq).",
    K: "Keys, one row per token: X·Wk.",
    V: "Values, one row per token: X·Wv.",
    scores:
      "How well each query (row) matches each key (column): the dot product of a row of Q with a row of K, divided by √d_k when " +
      "scaling is on. Columns of <pad> are 0 and ignored.",
    scoresCausal:
      "Scores of the masked self-attention: position i may only look at positions up to i, so the cells right of the diagonal are 0 " +
      "and the formulas never refer to later positions.",
    attn:
      "Attention weights: a softmax along each row turns scores into weights that are positive and sum to 1. A bright cell means that " +
      "row's token draws a lot from that column's token.",
    attnCausal: "Attention weights of the masked self-attention: each row is a softmax over the positions it may see; the rest are 0.",
    headOut: "The head's output: each row is the weighted average of the value rows, with the attention weights of that row.",
    concat: "The heads' outputs placed side by side, one row per token.",
    Wo: "Output projection: mixes the heads back into a d_model-wide vector. Trained.",
    mha: "Multi-head attention output: the heads side by side times Wo.",
    residual:
      "The residual connection: the block's input plus what the sub-layer computed, so information can flow past the sub-layer unchanged.",
    gamma: "LayerNorm gain γ, one per column. Trained.",
    beta: "LayerNorm shift β, one per column. Trained.",
    layerNorm:
      "LayerNorm of each row: subtract the row's mean, divide by √(variance + 0.00001) (variance over the row, dividing by d), then " +
      "scale by γ and shift by β.",
    W1: "First feed-forward weights: widen each token's vector to the hidden size. Trained.",
    b1: "First feed-forward bias. Trained.",
    W2: "Second feed-forward weights: narrow the hidden vector back to d_model. Trained.",
    b2: "Second feed-forward bias. Trained.",
    hidden: "The feed-forward network's hidden layer: ReLU(x·W1 + b1), negative values cut to 0.",
    ffnOut: "The feed-forward network's output: hidden·W2 + b2. It works on each token separately.",
    outW: "Output weights: one column per word of the vocabulary. Trained.",
    outB: "Output bias, one per word. Trained.",
    logits: "One score per word of the vocabulary at each position: the top layer's output times Out_W plus Out_B.",
    probs: "Softmax of each row of logits: the model's probability for every word at each position.",
    predicted: "The most probable word at each position (the largest logit).",
    predictedDecoder:
      "The most probable next word at each decoder position (the largest logit). Each prediction becomes the decoder's input at the " +
      "next position.",
    probsTemperature:
      "Softmax of each row of logits divided by the Temperature cell: below 1 the most probable word gets more of the probability, " +
      "above 1 the words even out. At 1 these are the model's own probabilities.",
    cumulative:
      "Each row's probabilities added up from the left: the cell under a word is the chance of that word or any word before it. " +
      "Sampling takes the first word whose running sum reaches the position's Dice value.",
    predictedGenerated:
      "The token chosen after each position: the most probable one when Sampling_On is FALSE; when it is TRUE, the first word whose " +
      "cumulative probability reaches that position's Dice. Each choice becomes the next Tokens cell after the prompt.",
    tokensGenerated:
      "Position 1 is the start token <s>. Type the prompt's words in the next Prompt_Length cells; every later cell is a formula " +
      "that takes the token chosen after the position before it, so the model writes the rest of the text one word at a time. After " +
      "</s> the rest are <pad>.",
    tokensGeneratedFixed:
      "<s>, the prompt, then the tokens the model chose when the workbook was built. In the ATTN.* style a whole-block formula " +
      "cannot feed each choice back to the next position without a circular reference, so the continuation is plain values: type the " +
      "Predicted words here to step it by hand, or rebuild.",
    promptLength: "How many Tokens cells after <s> are the prompt you type. The cells after them are formulas that continue your text.",
    temperature:
      "Divides the logits before the softmax. 1 keeps the model's probabilities; 0.5 sharpens them; 2 flattens them. Change it with " +
      "Sampling_On TRUE and watch the chosen words change.",
    samplingSwitch:
      "FALSE (or 0): take the most probable word at each position (greedy). TRUE (or 1): draw each word with the position's Dice value.",
    dice:
      "One number from 0 up to 1 per position: the draws that sampling uses. They are plain values, so nothing recalculates by itself; " +
      "the task pane and npm run workbook -- --dice-seed N roll new ones.",
    generated: "The text after <s>, prompt and continuation, up to the end token </s>.",
    translation: "The predicted words joined into a sentence, stopping at the end token </s>.",
    dataSource:
      "Training inputs: one example per row, one word per cell; empty cells are <pad>. Edit or add rows, then train from the task pane.",
    dataText:
      "Training texts: one a row, one word per cell. The model reads <s> then the text, and learns to predict each next word, </s> " +
      "after the last. Edit or add rows, then train from the task pane.",
    dataTarget: "What the model should output for the row's source: one word per cell; empty cells are <pad> and left out of the loss.",
    check:
      "The same block computed by the add-in's ATTN.* functions from the same named ranges, to check the cell formulas against the " +
      "TypeScript model.",
    checkDiff:
      "The largest absolute difference between the ATTN.* results and the cell formulas. Anything near 1e-15 is rounding; a large " +
      "value means a formula or a weight range is out of step.",
    log:
      "One row per training step: the mean cross-entropy loss over the Data sheet, the share of target tokens predicted right, and the " +
      "time.",
    guide: [
      "1. On Overview, type a different sentence into the Tokens cells (words from the Vocabulary on Input). Watch the heads' " +
        "attention maps change, and the model's output beside the sentence.",
      "2. On Encoder, click any cell to read its formula: every number is computed from the cells before it, with no macros.",
      "3. Edit a weight (for example a cell of Enc_H1_Wq) and see which blocks change.",
      "4. In Excel with the Attention Lab add-in, press Train step or Train N steps: the trainer computes the gradients and writes " +
        "new weights into these cells.",
      "5. Bright cells in the attention weights show which tokens a position draws from; each row sums to 1 when softmax is on.",
    ],
    guideGenerate: [
      "1. On Overview, type a different prompt into the Tokens cells after <s> (words from the Vocabulary on Input). The cells after " +
        "the prompt are formulas: the model continues your text, shown beside it, and the heads' attention maps follow.",
      "2. On Decoder, click any cell to read its formula: every number is computed from the cells before it, with no macros. Each " +
        "row of the attention weights sees only the positions up to its own.",
      "3. On Output, set Sampling_On to TRUE and change the Temperature: the Probs change, and the words are drawn with the Dice " +
        "values instead of taken greedily.",
      "4. In Excel with the Attention Lab add-in, press Train step or Train N steps: the trainer computes the gradients and writes " +
        "new weights into these cells.",
      "5. Edit a weight (for example a cell of Dec_H1_Wq) and see which blocks and words change.",
    ],
  },
  presetDescription: (name: PresetName): string => getPreset(name).description,
  stacks: (c: { kind: ModelKind; layers: number }): string => describeStacks(c),
  sheet: {
    purpose: {
      guide: "What each sheet shows and how to play with it.",
      overview: "Type a sentence into the Tokens cells: the model's output, every head's attention and the loss follow.",
      input: "From the typed tokens to X: each word's vocabulary row, its embedding plus its position's encoding.",
      output: "Logits = top·Out_W + Out_B, probabilities by softmax, and the token chosen at each position.",
      data: "Training examples, one a row, one token a cell. Edit them, then train from the task pane.",
      training: "Each training run appends its steps here; the chart follows the loss.",
    },
    guide: {
      heading: (preset: string, description: string) => `Attention Lab — preset "${preset}": ${description}`,
      positions: (source: number, target: number) =>
        target > 0 ? `${source} source positions, ${target} decoder positions` : `${source} positions`,
      model: (o: {
        stacks: string;
        summary: string;
        dModel: number;
        heads: number;
        dK: number;
        dFF: number;
        positions: string;
        softmax: boolean;
        scaled: boolean;
      }) =>
        `${o.stacks} (${o.summary}); d_model ${o.dModel}, ${o.heads} heads of width ${o.dK}, feed-forward width ${o.dFF}, ` +
        `${o.positions}, ${o.softmax ? "softmax" : "no softmax"}, ${o.scaled ? "scores scaled by 1/√d_k" : "no scaling"}.`,
      sheets: "The sheets, in the order the numbers flow:",
      play: "How to play with it",
    },
    kinds: {
      encoder: { summary: "an encoder: one predicted token per position", predicted: "Predicted token at each position" },
      "encoder-decoder": {
        summary: "an encoder and a decoder: the decoder writes the output sentence one word at a time",
        predicted: "Predicted next token at each decoder position",
      },
      "decoder-only": {
        summary: "a decoder-only model (GPT): it continues the prompt one word at a time",
        predicted: "The token chosen after each position (greedy, or drawn with Dice when sampling)",
      },
    } satisfies Record<ModelKind, { summary: string; predicted: string }>,
    tokensTyped: "Tokens (type here)",
    decoderInputFixed: "Decoder input: <s>, then the predictions made at build time",
    decoderInputLive: "Decoder input: <s>, then each position's prediction (greedy decoding)",
    translation: "The output sentence, up to </s>",
    tokensGenerated: "Tokens: <s>, your prompt (type here), then the model's continuation",
    generated: "The text: prompt and continuation, up to </s>",
    layerSheet: (stack: "encoder" | "decoder", index: number, of: number, parts: string[], input: string, out: string) =>
      `${stack === "encoder" ? "Encoder" : "Decoder"} layer ${index} of ${of}: ${parts.join(", ")}; ` +
      `each followed by add & norm (residual sum, then LayerNorm). It reads ${input}; its output is ${out}.`,
    roleWords: {
      self: "self-attention",
      masked: "masked self-attention",
      cross: "cross-attention over the encoder's output",
    } satisfies Record<AttentionRole, string>,
    ffnWords: "the feed-forward network",
    attentionHeading: {
      self: "Self-attention: every token looks at every (non-pad) token",
      masked: "Masked self-attention: position i sees positions 0..i only",
      cross: "Cross-attention: queries from the decoder, keys and values from the encoder's output",
    } satisfies Record<AttentionRole, string>,
    headWeight: (h: number, name: string) => `Head ${h} ${name}`,
    headAttn: (h: number) => `Head ${h} attention weights`,
    headScores: (h: number, scaled: boolean) => `Head ${h} scores Q·Kᵀ${scaled ? "/√d_k" : ""}`,
    headProjection: (h: number, name: string, from: string) => `Head ${h} ${name} = ${from}·W${name.toLowerCase()}`,
    headOut: (h: number) => `Head ${h} output = weights·V`,
    concat: "Heads side by side [H1 … Hh]",
    mha: "Multi-head output = heads·Wo",
    vocab: "Vocabulary",
    embedding: "Embedding E (one row per word)",
    posEnc: "Positional encoding PE",
    tokenIds: "Row in the vocabulary",
    visible: "Visible as a key? (1 = yes, 0 = <pad>)",
    x: (decoder: boolean) => `${decoder ? "Decoder " : ""}X = E[token] + PE (one row per token)`,
    ffnHeading: "Feed-forward network: ReLU(x·W1 + b1)·W2 + b2",
    hidden: "Hidden = ReLU(x·W1 + b1)",
    ffnOut: "FFN output = hidden·W2 + b2",
    addNorm: (index: number) => `Add & norm ${index}`,
    residualSum: (title: string) => `${title}: residual sum`,
    layerNorm: (title: string) => `${title}: LayerNorm`,
    gamma: "γ (gain)",
    beta: "β (shift)",
    probs: "Probabilities (softmax of each row)",
    probsTemperature: "Probabilities: softmax of each row of logits / Temperature",
    cumulative: "Cumulative probability along each row (for sampling)",
    checkHeading: "Check: the ATTN.* functions recompute these blocks; the difference from the cell formulas should be about 1e-15",
    checkOf: (of: string) => `ATTN.* for ${of}`,
    checkDiff: "Largest difference",
    dataText: "Text",
    dataSource: "Source",
    dataTarget: "Target",
    readsAs: "Reads as",
    inputCheck: "Input check",
    promptLength: "Prompt length",
    softmaxOn: "Softmax on?",
    scalingOn: "Scale by √d_k?",
    samplingOn: "Sampling on?",
    temperature: "Temperature",
    dice: "Dice: one draw in [0, 1) per position",
    tokensCopy: (sheet: string) => `Tokens (typed on the ${sheet} sheet)`,
    overviewTitle: {
      self: (layer: string, h: number) => `${layer} head ${h}`,
      masked: (layer: string, h: number) => `${layer} self head ${h}`,
      cross: (layer: string, h: number) => `${layer} cross head ${h} — target × source`,
    } satisfies Record<AttentionRole, (layer: string, h: number) => string>,
    overviewMapShows: (key: string, sheet: string) => `It shows ${key} on the ${sheet} sheet.`,
    trainingLog: "Training log",
    lossChart: "Loss by step",
    logColumns: { step: "Step", loss: "Loss", accuracy: "Accuracy", seconds: "Seconds" },
    /** Texts that formulas show: no double quotes in them, since they sit inside a formula's string. */
    inputEmpty: "Type a sentence in Tokens: the input is empty",
    inputUnknown: "A word in Tokens is not in the vocabulary: its row shows #N/A",
    noInput: "(no input: type a sentence in Tokens)",
    emptyCell: "an empty cell",
    notASwitch: " is not a switch value: type TRUE or FALSE (or 1 or 0). The blocks that read it show #N/A.",
    badTemperature: "⚠ the temperature should be a number above 0 (1 leaves the probabilities as they are)",
  },
  tour: {
    embedding: "Embedding",
    embeddingText: (rest: string) =>
      `A transformer reads numbers, not words: each token is replaced by its word's row of this block, a learned vector of d_model ` +
      `numbers. ${rest}`,
    /** The start of notes.embedding that the tour's own first sentence replaces. */
    embeddingLead: "Each word's learned vector. ",
    posEnc: "Positional encoding",
    qkv: "Queries, keys and values",
    qkvText: (q: string, k: string, v: string) =>
      `Each head projects every token three ways. ${q} ${k} ${v} The selected block is head 1's queries; its keys and values sit to ` +
      `the right.`,
    scores: "Scores",
    softmax: "Softmax",
    noSoftmax: (switchNote: string) =>
      `This model has softmax turned off, as the original demo had: the "weights" are the raw scores. ${switchNote}`,
    weightedSum: "Weighted sum",
    weightedSumText: (headOut: string) =>
      `${headOut} A token that attends strongly to one other token mostly copies that token's value row.`,
    multiHead: "Multi-head attention",
    multiHeadText: (heads: number, concat: string, mha: string) =>
      `This model has ${plural(heads, "head", "heads")}, each with its own Wq, Wk and Wv, so each can look for something different. ` +
      `${concat} ${mha}`,
    residual: "Residual and LayerNorm",
    ffn: "Feed-forward network",
    ffnText: (hidden: string, out: string, layerOut: string) =>
      `${hidden} ${out} Another residual sum and LayerNorm follow, giving the layer's output ${layerOut}.`,
    roles: {
      self: "Self-attention",
      masked: "Masked self-attention",
      cross: "Cross-attention",
    } satisfies Record<AttentionRole, string>,
    maskedText:
      "Masked self-attention, selected here, lets each position look only at the positions up to its own: the cells right of the " +
      "diagonal are 0, so a position cannot peek at the words that come after it.",
    crossText: (decTokens: string) =>
      `${decTokens} Cross-attention, selected here, takes its queries from the decoder and its keys and values from the encoder's ` +
      `output: each row shows which source words that output position draws from.`,
    stack: "A stack of layers",
    stackText: (stacks: string, top: string) =>
      `This model has ${stacks}. Layer 2 reads layer 1's output and computes the same blocks with its own weights, and so on up the ` +
      `stack; the output layer reads the top layer, ${top}.`,
    output: "Output",
    /** The output step's last sentence: it covers the Data sheet and the training log too. */
    training:
      "Training compares these probabilities with the words the Data sheet says should come out: the loss is the mean of " +
      "−log(probability of the right word). Each step moves every weight a little to lower it and writes a row to Train_Log " +
      "on the Training sheet, whose chart plots the loss.",
  },
  /** The pane's fixed texts, by the data-i18n key of the element in taskpane.html. */
  html: {
    language: "Language",
    buildTitle: "Build",
    preset: "Preset",
    task: "Task",
    heads: "Heads",
    layers: "Layers per stack",
    layersHint: "1 to 6. Layer 2 and up get sheets of their own (Encoder 2, Decoder 2, …).",
    seed: "Seed",
    seedHint: 'Picks the data and the first weights; "Reset weights" uses it too.',
    formulas: "Formulas",
    styleCells: "Per-cell formulas (any spreadsheet)",
    styleFunctions: "ATTN.* functions (needs this add-in)",
    build: "Build",
    trainTitle: "Train",
    vocabulary: "Vocabulary",
    tokens: "tokens",
    optimizer: "Optimizer",
    lr: "Learning rate",
    steps: "Steps",
    trainStep: "Train step",
    cancel: "Cancel",
    loss: "Loss",
    accuracy: "Accuracy",
    step: "Step",
    lossCurve: "Loss curve",
    reset: "Reset weights",
    resetYes: "Yes, reset",
    resetNo: "Keep my weights",
    attentionTitle: "Attention",
    attentionHint:
      "Each query token (left) sends a line to each key (right) it may attend to; " +
      "the darker the line, the larger the weight on the sheet. " +
      "Select a head's weights in the workbook to show them here.",
    attnBlock: "Attention block",
    attnHead: "Head",
    queries: "Queries",
    keys: "Keys",
    largestWeights: "Largest weights",
    samplingTitle: "Sampling",
    samplingHint:
      "With Sampling_On TRUE on the Output sheet, each word after the prompt is drawn with its position's Dice value. " +
      "New dice draw new words; the Temperature, Sampling_On and your prompt stay as you set them.",
    rollDice: "Roll the dice",
    tourTitle: "Guided tour",
    back: "Back",
    next: "Next",
    warningsTitle: "Notes from the last action",
  },
  pane: {
    tasks: {
      copy: "copy: repeat the sequence",
      reverse: "reverse: the sequence backwards",
      sort: "sort: the symbols in order",
      translate: "translate: English to Spanish",
      stories: "stories: continue a short story",
    } satisfies Record<TaskName, string>,
    sentence: {
      label: "Sentence on the Overview sheet",
      hint: "Words of the task, separated by spaces. You can also type into the Tokens cells later.",
      placeholder: "the first training example",
    },
    prompt: {
      label: "Prompt on the Overview sheet",
      hint:
        "The first words of a story, separated by spaces: the model writes the rest, live in the Tokens cells after them. " +
        "You can also type a new prompt there later.",
      placeholder: (n: number) => `the first ${n} words of the first story`,
    },
    trainN: (n: string | undefined) => (n === undefined ? "Train N steps" : `Train ${n} steps`),
    summary: (preset: string, dModel: number, heads: number, dK: number, stacks: string) =>
      `Model in this workbook: ${preset} preset, d_model ${dModel}, ${plural(heads, "head", "heads")} of d_k ${dK}, ${stacks}.`,
    noModel: "No model in this workbook yet: build one first.",
    progress: (done: number, total: number) => `${done} / ${total} steps`,
    resetQuestion: (seed: string) =>
      `Replace every weight with new random ones from seed ${seed}? Your current weights go on the undo stack, so "Undo training" ` +
      `brings them back.`,
    tourSteps: (n: number) => `${n} steps through the computation.`,
    tourStep: (i: number, n: number) => `Step ${i} of ${n}`,
    tourIntro:
      "Walk through the computation, block by block: each step selects its block in the workbook and explains it. Press Next to begin.",
    tourNoModel: "Build a model first; the tour then walks through it block by block.",
    // The head view (head-view.ts) and the loss curve (loss-curve.ts).
    emptyToken: (k: number) => `(empty ${k})`,
    repeatedToken: (word: string, k: number) => `${word} (${k})`,
    weightHead: (h: number) => ` (head ${h})`,
    attendsMost: "attends most to",
    attendedMost: "is attended most by",
    role: { self: "self", masked: "masked", cross: "cross" } satisfies Record<AttentionRole, string>,
    headOption: (h: number) => `Head ${h}`,
    allHeads: "All heads",
    readingWeights: "Reading the weights…",
    noAttention: "Build a model first: its attention appears here.",
    missingCells: (n: number) =>
      n === 1 ? "1 attention cell holds no number yet and gets no line." : `${n} attention cells hold no number yet and get no line.`,
    attentionOf: (what: string) => `Attention of ${what}`,
    shownHeads: (block: string, head: number | "all") => `${block}, ${head === "all" ? "all heads" : `head ${head}`}`,
    noBlock: "no block",
    linesDesc: (queries: number, keys: number) =>
      `Lines from each of ${queries} query tokens (left) to the ${keys} key tokens (right) it attends to; the darker a line, the ` +
      `larger its weight.`,
    largestDesc: (largest: string, n: number) => ` The largest: ${largest}. The list below names the ${n} largest.`,
    noWeights: "No weights to show yet.",
    tokenLabel: (word: string, side: "query" | "key", k: number) => `${word}, ${side} ${k}`,
    couldNotRead: (block: string, why: string) => `Could not read ${block}'s attention: ${why}`,
    noRun: "No training run yet: the loss of each step appears here while the model trains.",
    curve: (steps: number, first: string, firstStep: number, last: string, lastStep: number, low: string, lowStep: number) =>
      `Loss over ${plural(steps, "step", "steps")}: ${first} at step ${firstStep}, ${last} at step ${lastStep}; lowest ${low} at ` +
      `step ${lowStep}.`,
  },
  /** The pane's status line and warnings (controller.ts, taskpane.ts). */
  status: {
    loadingOffice: "Loading Office…",
    waiting:
      "Waiting for Excel: if you are typing in a cell, press Enter or Esc to finish; Excel may also be calculating. " +
      "The pane goes on by itself as soon as Excel answers.",
    outsideHelp: [
      "Build the add-in (npm run build) and serve dist/ over HTTPS (npm run dev-server).",
      "Sideload manifest.xml: npm start on Windows or Mac, npm run start:web -- --document URL for Excel on the web, " +
        "or in Excel choose Add-ins > My Add-ins > Upload My Add-in.",
      "In Excel, choose Home > Open Attention Lab: the pane builds and trains a transformer in the open workbook.",
    ],
    openFromExcel: (reason: string) => `Open this page from Excel: ${reason}`,
    noOfficeJs: "office.js did not load, so this page cannot reach a workbook.",
    otherHost: (host: string) => `it is running in ${host}, not Excel.`,
    browser: "it is open in a browser, not in Excel.",
    officeFailed: (why: string) => `Office did not start (${why}).`,
    noWorkbook: "there is no workbook to work on.",
    looking: "Looking for an Attention Lab model in this workbook…",
    found: (preset: string) => `This workbook has an Attention Lab model (preset ${preset}). Train it, take the tour, or build a new one.`,
    ready: "Ready. Choose a preset and press Build to write the transformer into this workbook.",
    readFailed: "Could not read this workbook's Attention Lab settings",
    checkFields: "Check the fields marked below.",
    computing: "Computing the model and its sheets…",
    built: (sheets: number, preset: string, cells: boolean) =>
      `Built ${sheets} sheets for the ${preset} preset (${cells ? "per-cell formulas" : "ATTN.* functions"}). Train it below, or ` +
      `take the tour.`,
    buildFailed: "Build failed",
    reading: "Reading the model and the Data sheet…",
    noModel: "This workbook has no Attention Lab model yet: press Build first.",
    cancelledBefore: "Cancelled before the first step; the weights are unchanged.",
    liveWrites: (every: number) => `; the weights in the workbook update every ${every} steps, and Cancel stops after the current one`,
    training: (total: number, live: string) => `Training ${plural(total, "step", "steps")}${live}…`,
    trainingStopped: "Training stopped",
    writingLog: "Writing the training log and the gradients…",
    logFailed: (why: string) => `The run's steps could not be added to the Training sheet: ${why}`,
    gradientsFailed: (why: string) => `The gradients could not be written to the Gradients sheet: ${why}`,
    moved: (first: string, last: string) => ` Loss ${first} → ${last}`,
    accuracy: (a: string) => `, accuracy ${a}.`,
    diverged: "Training diverged; the last good weights are back in the workbook.",
    cancelled: (steps: number, total: number, step: number) =>
      `Cancelled after ${steps} of ${total} steps; the weights of step ${step} are in the workbook.`,
    trained: (steps: number, seconds: string) => `Trained ${plural(steps, "step", "steps")} in ${seconds} s.`,
    undoTraining: "Undo training",
    undoRoll: "Undo the roll",
    undoDice: (where: string) => `Undo brings back the Dice values you had before the last roll (${where}).`,
    undoReset: (step: number) => `Undo brings back the weights you had before "Reset weights" (step ${step}).`,
    undoRun: (steps: number, step: number) =>
      `Undo brings back the weights from before the last run of ${plural(steps, "step", "steps")} (step ${step}).`,
    restoring: "Restoring the weights…",
    restored: (run: boolean, step: number, more: boolean) =>
      `Restored the weights ${run ? "from before the last run" : "you had before the reset"} (step ${step}).` +
      (more ? " Undo again to go further back." : ""),
    undoKept: (cells: string, one: boolean) =>
      `You changed ${cells} since the last run: Undo restored every other weight and kept your ${one ? "value" : "values"}. ` +
      `Press Undo again to restore ${one ? "that cell" : "those cells"} too.`,
    undoFailed: "Undo failed",
    puttingBack: "Putting back the dice…",
    again: " Undo again to go further back.",
    putBack: (where: string) => `Put back the Dice values you had before the last roll (${where}).`,
    putBackExcept: (cells: string, one: boolean) =>
      `Put back the Dice values you had before the last roll, except ${cells}: you changed ${one ? "it" : "them"} since, ` +
      `and ${one ? "it keeps your value" : "they keep your values"}.`,
    rolled: (seed: number, where: string) =>
      `Rolled new dice (seed ${seed}) into ${where}. With Sampling_On TRUE, the words after the prompt are drawn with them; ` +
      `"Undo the roll" brings back the ones you had.`,
    rollFailed: "Could not roll the dice",
    checkSeed: "Check the seed.",
    savingForUndo: "Saving the current weights for undo…",
    resetDone: (seed: number) => `Reset every weight from seed ${seed}. "Undo training" brings back the weights you had.`,
    resetFailed: "Reset failed",
    resetPutBack: "The weights you had are back in the workbook; nothing was reset.",
    resetPartly: 'Some weights may already be reset: "Undo training" brings back the weights you had.',
    couldNotShow: (key: string) => `Could not show ${key}`,
  },
  /** What is wrong with the Vocab block or the Data sheet, found before training (data.ts). */
  data: {
    storedVocab: ([pad, bos, eos]: string[]) =>
      `The vocabulary stored in this workbook does not start with ${pad}, ${bos}, ${eos}: rebuild the workbook from the task pane.`,
    vocabStart: ([pad, bos, eos]: string[], cell: string, held: string | undefined) =>
      `The Vocab block must start with ${pad}, ${bos} and ${eos}, which the model needs, but ${cell} holds ` +
      `${held === undefined ? "nothing" : `"${held}"`}: put them back (or rebuild the workbook).`,
    twice: (word: string, first: string, second: string) =>
      `Vocab has "${word}" twice, in ${first} and ${second}: each word may appear once.`,
    rows: (source: number, sourceRange: string, target: number, targetRange: string) =>
      `Data_Source has ${source} rows (${sourceRange}) but Data_Target has ${target} (${targetRange}): every example needs a row in each.`,
    unknown: (cell: string, word: string) => `${cell} holds "${word}", which is not in the vocabulary.`,
    emptySource: (cell: string) => `${cell}: the source of this example is empty but its target is not; fill it in or clear the target.`,
    more: (n: number) => `…and ${n} more cells with words that are not in the vocabulary.`,
    useVocab: "Use words from the Vocabulary block on the Input sheet, or leave the cell empty for <pad>.",
    noExamples: (range: string) =>
      `The Data sheet has no examples (${range} is empty): type at least one source and target, one word a cell.`,
  },
  /** What the Excel adapter (src/excel) tells the user: progress, warnings and what is wrong with the workbook. */
  excel: {
    reading: "Reading the workbook's sheets and names…",
    sheetsMoved: (planned: string[], actual: string[]) =>
      planned.length === 1
        ? `The workbook already has a sheet named ${planned[0]}, left as they are: ` +
          `the new sheet is ${actual[0]}, and every formula refers to it.`
        : `The workbook already has sheets named ${planned.join(", ")}, left as they are: ` +
          `the new sheets are ${actual.join(", ")}, and every formula refers to them.`,
    settingsMoved: (meta: string, sheet: string) =>
      `The workbook already has a sheet named "${meta}", left as it is: the add-in keeps its settings in a very hidden sheet ` +
      `"${sheet}" instead.`,
    namesReplaced: (n: number, shown: string) =>
      `${n} named ${n === 1 ? "range" : "ranges"} from an earlier build (${shown}) now ${n === 1 ? "points" : "point"} at the new sheets.`,
    writing: (sheets: number, cells: string, part?: [number, number]) =>
      part ? `Writing ${sheets} sheets (${cells} cells), part ${part[0]} of ${part[1]}…` : `Writing ${sheets} sheets (${cells} cells)…`,
    recalculating: "Recalculating…",
    extras: "Adding notes, heat maps and the chart…",
    built: "Built.",
    extra: {
      notes: "The explanations of the blocks (notes or comments on their titles)",
      "colour scales": "The heat maps (colour scales)",
      "column widths": "The column widths",
      "frozen panes": "The frozen title rows",
      charts: "The loss chart",
    },
    extraFailed: (what: string, why: string) =>
      `${what} could not be added, or not all of them (Excel said ${why}). Everything else is built and the model works.`,
    notesAsComments: "Notes need ExcelApi 1.18; the explanation of each block was added as a comment on its title instead.",
    gradientsPurpose:
      "The gradient of the loss for every weight, from the last training step. A step moves each weight against its gradient: " +
      "blue cells go down, red cells go up.",
    gradientNote: (name: string) => `How fast the loss grows as each cell of ${name} grows, averaged over the training batch.`,
    gradientsMoved: (sheet: string) =>
      `The model's sizes changed since the gradients were last written: they now go to the sheet "${sheet}".`,
    chartNotStretched: (why: string) =>
      `The loss chart could not be stretched over the new steps (Excel said ${why}). The steps are in the log.`,
    metaProblem: (sheet: string, what: string) =>
      `The hidden ${sheet} sheet ${what}; rebuild the workbook from the task pane to restore it.`,
    metaFormat: (format: string) => `was not written by this version of Attention Lab (format "${format}")`,
    metaMissing: (key: string) => `has no ${key}`,
    metaDamaged: (key: string) => `has a damaged ${key}`,
    /** What is wrong inside the hidden settings sheet, one phrase a field (meta-check.ts), quoted in metaUnusable. */
    meta: {
      nothing: "nothing",
      words: (n: number | undefined) => (n === undefined ? "words" : `${n} words`),
      style: (got: string) => `style should be "cells" or "functions", the formula style the workbook was built in, got ${got}`,
      preset: (got: string) => `preset should name the preset the model was built from, got ${got}`,
      sheets: (got: string) => `sheets should be an object of sheet names, got ${got}`,
      sheetName: (key: string, got: string) =>
        `sheets should map each planned sheet to its name in the workbook, but "${key}" maps to ${got}`,
      names: (got: string) => `names should be an object of workbook names, got ${got}`,
      blockName: (key: string, got: string) => `names should map each block to its workbook name, but "${key}" maps to ${got}`,
      created: (got: string) => `created should list the sheets and names the add-in made ({"sheets": [...], "names": [...]}), got ${got}`,
      seed: (max: number, got: string) => `seed should be a whole number from 0 to ${max}, got ${got}`,
      config: (got: string) => `config should be an object of model sizes, got ${got}`,
      scaled: (got: string) => `config: scaled should be true or false, got ${got}`,
      targetLen: (got: string) => `config: targetLen should be a whole number from 0 to 512, got ${got}`,
      inConfig: (why: string) => `config: ${why}`,
      vocab: (words: string, got: string) => `vocab should be a list of ${words}, got ${got}`,
      vocabSize: (words: string, got: number) => `vocab should be a list of ${words} (config.vocabSize), got ${got}`,
      vocabWords: (i: number, got: string) => `vocab should hold words only, but word ${i} is ${got}`,
      vocabStart: (specials: string, got: string) => `vocab should start with ${specials}, got ${got}`,
      vocabTwice: (w: string, first: number, second: number) => `vocab lists "${w}" twice (words ${first} and ${second})`,
    },
    metaUnusable: (sheet: string, problems: string) =>
      `The hidden ${sheet} sheet has settings this add-in cannot use: ${problems}; press Build in the task pane to write a new model ` +
      `and its settings.`,
    nameMissing: (name: string) =>
      `The named range ${name} is missing: rebuild the workbook or restore the name (Formulas > Name Manager).`,
    nameNotCells: (name: string, value: string) =>
      `The named range ${name} no longer points at cells (it is ${value}): its sheet or cells were deleted. ` +
      "Rebuild the workbook, or point the name at the block again (Formulas > Name Manager).",
    wrongSize: (name: string, rows: number, cols: number, hasRows: number, hasCols: number, range: string) =>
      `${name} should be ${rows} × ${cols} but the named range covers ${hasRows} × ${hasCols} (${range}).`,
    needsNumber: (name: string, cell: string, holds: string) => `${name} needs a number in ${cell} but it ${holds}.`,
    needsBetween: (name: string, range: string, cell: string, v: number) =>
      `${name} needs a number between ${range} in ${cell} but it holds ${v}.`,
    moreNotNumbers: (n: number, name: string, range: string) => `…and ${n} more cells of ${name} that are not numbers between ${range}.`,
    isEmpty: "is empty",
    holdsBoolean: (v: boolean) => `holds ${v ? "TRUE" : "FALSE"}`,
    holdsError: (v: string) => `holds the error ${v}`,
    holdsText: (v: string) => `holds the text "${v}"`,
    userName: (planned: string, actual: string) =>
      `Your workbook already has a name ${planned}; this build's block is named ${actual}, and your ${planned} is unchanged.`,
    userNames: (planned: string, actual: string, more: number, suffix: string) =>
      `Your workbook already has the names ${planned}${more > 0 ? ` and ${more} more` : ""}; this build's blocks are named ` +
      `${actual}${more > 0 ? ", …" : ""} instead (the suffix ${suffix}), and your names are unchanged.`,
  },
  /** The messages ATTN.* show in a cell's #VALUE! or #N/A (src/functions/args.ts, errors.ts, model-source.ts). */
  fn: {
    blankAsZero: "a blank cell reads as 0 in Excel desktop",
    empty: "empty",
    nan: "NaN (not a number)",
    theText: (v: string) => `the text "${v}"`,
    theError: (v: string) => `the error ${v}`,
    dataType: (v: string) => `a data type (${v})`,
    typeOf: (v: string) => `a value of type ${v}`,
    boolean: (v: boolean): string => (v ? "TRUE" : "FALSE"),
    needsRange: (name: string) => `${name} is empty; it needs a range`,
    notARange: (name: string) => `${name} should be a range: a list of rows of cells`,
    emptyRange: (name: string) => `${name} is an empty range`,
    tooManyRows: (name: string, rows: string, max: number) => `${name} has ${rows} rows; at most ${max} positions can be computed quickly`,
    tooManyCells: (name: string, rows: string, cols: string, cells: string, max: string) =>
      `${name} is ${rows} × ${cols}, ${cells} cells; at most ${max} can be computed quickly`,
    notRectangular: (name: string, row: number, got: number, cols: number) =>
      `${name} is not rectangular: row ${row} has ${got} values but row 1 has ${cols}`,
    notFinite: (v: string) => `is ${v}; every cell needs a finite number`,
    notNumber: (v: string) => `holds ${v} where a number belongs`,
    atCell: (name: string, row: number, col: number, why: string) => `${name} row ${row}, column ${col} ${why}`,
    tooLongLine: (name: string, cells: string, max: number) =>
      `${name} has ${cells} cells; at most ${max} positions can be computed quickly`,
    notALine: (name: string, rows: number, cols: number, what: string) =>
      `${name} is ${rows} × ${cols}; it should be one row or one column of ${what}`,
    numbers: "numbers",
    words: "words",
    flags: "0s and 1s",
    wrongLength: (name: string, got: number, against: string, length: number) =>
      `${name} has ${got} values but ${against}; it needs ${length}`,
    atValue: (name: string, j: number, why: string) => `${name} value ${j} ${why}`,
    atCellOf: (name: string, i: number, why: string) => `${name} cell ${i} ${why}`,
    needsWord: (v: string, blank: string) =>
      `is ${v}; every cell needs a word (use <pad> for padding; ${blank}, so type '0 for the word 0)`,
    notWord: (v: string) => `holds ${v} where a word belongs`,
    notFlag: (name: string, i: number, v: string) => `${name} cell ${i} is ${v}; it should be 1 (visible) or 0 (hidden)`,
    allPadding: (name: string, blank: string) =>
      `${name} marks every position as padding (all its cells are 0 or blank; ${blank}); use 1 for a real token`,
    twice: (name: string, w: string, first: number, second: number) =>
      `${name} has "${w}" twice, in cells ${first} and ${second}; each word may appear once`,
    atLeast: (min: string) => `of at least ${min}`,
    fromTo: (min: string, max: string) => `from ${min} to ${max}`,
    whole: (name: string, range: string, got: string) => `${name} should be a whole number ${range}, got ${got}`,
    positive: (name: string, got: string, blank: string) =>
      `${name} should be a number greater than 0, got ${got}${blank ? ` (${blank})` : ""}`,
    trueFalse: (name: string, got: string) => `${name} should be TRUE or FALSE, got ${got}`,
    singleCell: (name: string, rows: number, cols: number) => `${name} should be a single cell of text, got a ${rows} × ${cols} range`,
    needsText: (name: string, v: string, example: string, blank: string) =>
      `${name} is ${v}; it needs text such as "${example}" (${blank})`,
    notText: (name: string, got: string) => `${name} should be text, got ${got}`,
    maskKind: (name: string, got: string) => `${name} should be "causal" or "none", got ${got}`,
    maskArg: (name: string, got: string) => `${name} should be "causal", "none" or a range of 1s (visible) and 0s (hidden), got ${got}`,
    hidesAll: (name: string, blank: string) =>
      `${name} hides every key from every query (all its cells are 0 or blank; ${blank}); ` +
      `use 1 for a visible key and 0 for a hidden one, or leave ${name} out`,
    maskSize: (name: string, rows: number, cols: number, nq: number, nk: number) =>
      `${name} is ${rows} × ${cols} but there are ${nq} queries and ${nk} keys; ` +
      `it needs ${nq} × ${nk} (a row per query, a column per key), one row of ${nk}, or "causal"`,
    maskCell: (name: string, row: number, col: number, v: string) =>
      `${name} row ${row}, column ${col} is ${v}; it should be 1 (visible) or 0 (hidden)`,
    product: (b: string, rows: number, a: string, cols: number) => `${b} has ${rows} rows but ${a} has ${cols} columns`,
    work: (what: string, millions: string, max: string) =>
      `${what} needs about ${millions} million multiply-adds; at most ${max} million can be computed quickly`,
    theResult: "the result",
    tooBig: (name: string, shape: string, cells: string, max: string) =>
      `${name} would be ${shape}, ${cells} cells; at most ${max} can be returned`,
    overflow: (name: string, row: number, col: number, v: string) =>
      `${name} overflows at row ${row}, column ${col} (${v}); the inputs are too large in magnitude`,
    bug: (fn: string, text: string) => `ATTN.${fn} could not compute this: ${text || "unknown error"}`,
    noModel: "there is no Attention Lab model in this workbook yet: open the task pane and build the gpt preset",
    // src/functions/library.ts: one ATTN function's own checks.
    noWords: "sentence has no words",
    tooManyWords: (n: number, max: number) => `sentence has ${n} words; at most ${max} positions can be computed quickly`,
    embedRows: (rows: number, words: number) => `embedding has ${rows} rows but vocab has ${words} words; it needs one row per word`,
    scoreWidth: (k: number, q: number) => `K has ${k} columns but Q has ${q}; a score is the dot product of a row of Q and a row of K`,
    keyWidth: (k: number, q: number) => `Wk has ${k} columns but Wq has ${q}; queries and keys need the same width`,
    attentionOf: (x: string, weights: string[]) => {
      const [last, ...rest] = [...weights].reverse();
      return `attention of X (${x}) with ${rest.length ? `${rest.reverse().join(", ")} and ${last}` : last}`;
    },
    headSplit: (h: number, name: string, cols: number) =>
      `heads is ${h} but ${name} has ${cols} columns, which do not split into ${h} equal heads`,
    woRows: (rows: number, cols: number) => `Wo has ${rows} rows but Wv has ${cols} columns (the heads side by side)`,
    hasColumns: (name: string, cols: number) => `${name} has ${cols} columns`,
    hasRows: (name: string, rows: number) => `${name} has ${rows} rows`,
    nIs: (n: number) => `n is ${n}`,
    vocabColumns: (name: string, cols: number, words: number) =>
      `${name} has ${cols} columns but vocab has ${words} words; it needs one column per word`,
    targetRows: (words: number, rows: number) => `targets has ${words} words but logits has ${rows} rows; it needs one target per row`,
    allPad: (pad: string) => `targets are all ${pad}, so there is no loss to average`,
    probsHint: "ATTN.PROBS turns logits into probabilities",
    negative: (i: number, j: number, v: number, hint: string) =>
      `probs row ${i}, column ${j} is ${v}; a probability cannot be negative (${hint})`,
    allZero: (i: number, blank: string) => `probs row ${i} is all 0 (${blank}); each row needs probabilities that add up to 1`,
    sumNotOne: (i: number, sum: number, hint: string) =>
      `probs row ${i} adds up to ${sum}; each row needs probabilities that add up to 1 (${hint})`,
    diceValue: (i: number, x: number) => `dice value ${i} is ${x}; each should be at least 0 and less than 1, as RAND() gives`,
    notGpt: (stacks: string) => `ATTN.GENERATE continues a text, so it needs a decoder-only (gpt) model; this workbook holds ${stacks}`,
    promptTooLong: (n: number, room: number) => `prompt has ${n} words but this model takes at most ${room} after <s>`,
    promptMarker: (i: number, w: string) => `prompt word ${i} is "${w}", a marker the model adds itself; type words only`,
    // Where a word that is not in the vocabulary was read, in the model's message about it.
    tokensCell: (i: number) => `tokens, cell ${i}`,
    targetsCell: (i: number) => `targets, cell ${i}`,
    promptWord: (i: number) => `prompt word ${i}`,
  },
  /** The messages of the model's checks (a ModelError's code and arguments): src/model/messages.ts holds the English. */
  model: MODEL_MESSAGES,
  /** What "the model writes the example exactly" means (src/model/generate.ts; the CLI's report). */
  exact: EXACT_LABELS,
  /** The trainer's messages the pane shows (src/train/store.ts, fallback-engine.ts). */
  train: {
    edited: (cells: string, step: number | undefined, one: boolean) =>
      `You changed ${cells} while training: the run stopped${step === undefined ? "" : ` after step ${step}`} ` +
      `and kept your ${one ? "value" : "values"}.`,
    edit: (name: string, cell: string, before: string, after: string) => `${name} (${cell}) from ${before} to ${after}`,
    moreCells: (n: number) => ` and ${n} more cells`,
    empty: "empty",
    fallback: (reason: string) => `Training runs on the pane's thread: the training worker could not start (${reason}).`,
    // session.ts: the session's checks and the divergence guard's report.
    noExamples: "there are no training examples",
    divergeFactor: (v: number) => `divergeFactor should be a number above 1, got ${v}`,
    wholeAtLeastOne: (what: string, v: number) => `${what} should be a whole number ≥ 1, got ${v}`,
    steps: "the number of steps",
    batchSize: "the batch size",
    allPad: "every target of every training example is <pad>: there is nothing to learn",
    incomplete: "the step did not complete",
    nothingToUndo: "there is nothing to undo",
    noHeldOut: "there are no held-out examples to evaluate on",
    lossBecame: (loss: number) => `the loss became ${loss}`,
    lossRose: (loss: string, factor: number, lowest: string) =>
      `the loss rose to ${loss}, more than ${factor} × the lowest loss so far, ${lowest}`,
    // stepper.ts: why an update was refused.
    gradNorm: (v: number) => `the gradient norm became ${v}`,
    updateMade: (name: string, value: number, row: number, col: number) => `the update made ${name} ${value} at row ${row}, column ${col}`,
    beyond: (limit: string) => `, beyond ±${limit}, the largest weight the workbook reads back`,
    keptStart: "the weights from the start of this run",
    keptStep: (step: number, loss: string) => `the weights after step ${step} (loss ${loss})`,
    undoFurther: " If the step before this run made them worse, Undo goes back further.",
    diverged: (step: number, what: string, kept: string, undo: string) =>
      `Training diverged at step ${step}: ${what}. Stopped and wrote back ${kept}; try a smaller learning rate.${undo}`,
    // batches.ts, duty-cycle.ts, worker-engine.ts.
    batchCount: (n: number) => `a batch sampler needs at least one example, got ${n}`,
    batchSeed: (v: number) => `the batch seed should be a finite number, got ${v}`,
    dutyCycle: (v: number) => `the duty cycle should be a share in (0, 1], got ${v}`,
    workerFailed: (reason: string) => `the training worker failed: ${reason}`,
    workerScript: "its script could not be loaded",
    workerClosed: "the training worker was closed",
  },
  /** What is wrong with a field of the pane (forms.ts). */
  forms: {
    whole: (label: string, lo: number, hi: number, got: string) =>
      `${label} should be a whole number from ${lo} to ${hi}${got ? `, not "${got}"` : ""}.`,
    dModel: "d_model",
    heads: "Heads",
    dK: "d_k",
    layers: "Layers",
    seed: "The seed",
    steps: "Steps",
    preset: (names: string) => `Choose one of the presets: ${names}.`,
    task: (names: string) => `Choose one of the tasks: ${names}.`,
    style: 'Choose "cells" or "functions".',
    optimizer: 'Choose "adam" or "sgd".',
    lr: (max: number, got: string) => `The learning rate should be a number above 0 and at most ${max}${got ? `, not "${got}"` : ""}.`,
    marker: (i: number, w: string) => `Word ${i} is "${w}", a marker the model adds itself: type words only.`,
    unknownWord: (w: string, i: number, task: string, shown: string) =>
      `"${w}" (word ${i}) is not a word of the ${task} task. Its words: ${shown}`,
    promptTooLong: (n: number, room: number) =>
      `The prompt has ${n} words but this model takes at most ${room} (its Tokens row is <s> and ${room} more).`,
    sentenceTooLong: (n: number, room: number) => `The sentence has ${n} words but this model reads at most ${room}.`,
  },
  /** "Explain this cell" in the pane (explain.ts, explain-panel.ts, explain-view.ts): numbers and words come in formatted. */
  explain: {
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
      text: {
        predicted: (block: string, words: string) =>
          `The predicted words (${block}) joined into a sentence with spaces, up to the end token </s>: "${words}".`,
        generated: (block: string, words: string) =>
          `The text after <s> (${block}: your prompt, then the words the model chose), joined with spaces up to the end token ` +
          `</s>: "${words}".`,
      } satisfies Record<"predicted" | "generated", (block: string, words: string) => string>,
      textEnd: (stop: string, position: number) => `The ${stop} at position ${position} ends it; the words after it are left out.`,
      textNoEnd: (n: number) => `No </s> yet, so all ${n} words are in it.`,
      textEmpty: (tokens: string) => `Every cell of ${tokens} is empty, so there is no sentence to translate: type one in ${tokens}.`,
      log: {
        step: (step: string) =>
          `Training step ${step}: the trainer writes one row like this after each step it takes (Train in the task pane); ` +
          "the loss chart beside the log plots the rows.",
        loss: (step: string, v: string) =>
          `The loss at step ${step}: the mean cross-entropy over the Data sheet, ${v}, measured with the weights that step ` +
          "started from and written by the trainer after it. The loss chart beside the log plots it; lower is better.",
        accuracy: (step: string, v: string) =>
          `The share of target words the model predicted right at step ${step}, with the same weights as the loss: ${v}. ` +
          "The trainer wrote it after the step.",
        seconds: (step: string, v: string) =>
          `Seconds from the start of the training run to the end of step ${step}: ${v}, written by the trainer after the step.`,
      } satisfies Record<"step" | "loss" | "accuracy" | "seconds", (step: string, v: string) => string>,
      logEmpty: "Empty until you train: each training step (Train in the task pane) writes a row here, and the loss chart plots them.",
      check: (fn: string, of: string, reads: string, v: string, cells: string, diff: string) =>
        `${fn} computes ${of} in one formula from the same blocks (${reads}), to check the cell formulas against the add-in's ` +
        `functions: ${v} here, ${cells} in ${of}, a difference of ${diff}.`,
      maxDiff: (n: number, v: string, check: string, of: string) =>
        `The largest difference between the ATTN.* checks and the cell formulas, over ${plural(n, "checked block", "checked blocks")}: ` +
        `${v}, between ${check} and ${of}. Anything near 1e-15 is rounding; a large value means a formula or a weight is out of step.`,
      switchRead: (of: string, typed: string, read: string) =>
        `What ${of} reads as: it holds ${typed}, so it reads "${read}". The blocks that read the switch use this cell.`,
      temperatureRead: (of: string, typed: string) =>
        `What ${of} reads as: ${typed}, a number above 0, so the probabilities divide the logits by it.`,
      badRead: (of: string, typed: string) =>
        `${of} holds ${typed}, which it cannot use, so this shows a warning and the blocks that read it show #N/A: ` +
        "type TRUE or FALSE for a switch, a number above 0 for the Temperature.",
      inputOk: (tokens: string, ids: string) => `OK: every word of ${tokens} is in the vocabulary (each has a row in ${ids}).`,
      inputEmpty: (tokens: string) => `Every cell of ${tokens} is empty, so the output means nothing: type a sentence in ${tokens}.`,
      inputUnknown: (word: string, position: number, ids: string) =>
        `The word "${word}" at position ${position} is not in the vocabulary, so ${ids} shows #N/A there: ` +
        "use a word of the Vocabulary list on the Input sheet.",
    },
  },
  /** "Use selection": the pane's buttons, checks and status lines, and the titles and notes it gives the sheets. */
  selection: {
    embeddingLabel: "the embedding",
    // The pane's controls.
    useSentence: "Use selection as the sentence",
    useEmbedding: "Use selection as the embedding",
    forget: "Forget",
    sentenceHintLinked: (where: string) =>
      `From your cells ${where}: the Tokens cells on the Overview refer to them, so editing your sentence drives the model. ` +
      "Your sheet is left exactly as it is.",
    embeddingHintLinked: (where: string, rows: number, cols: number) =>
      `Embedding: ${rows} × ${cols} numbers from ${where}, copied into the Input sheet at Build. ` +
      "Training changes the copy, never your cells.",

    // Reading the selection.
    reading: "Reading the selected cells…",
    severalAreas:
      "Select one block of cells: the selection has several areas (or is not cells, such as a chart). " +
      "Expected: one row or one column of words, one word a cell.",
    ourSheet: (sheet: string) =>
      `The selection is on the ${sheet} sheet, which Attention Lab wrote: select the sentence on a sheet of your own ` +
      "(a sentence typed on the Overview is already the model's input).",
    notALine: (where: string, rows: number, cols: number) =>
      `Expected one row or one column of words, one word a cell, but ${where} is ${rows} rows × ${cols} columns.`,
    empty: (where: string) => `Expected words, one a cell, but ${where} is empty.`,
    blankBefore: (cell: string) => `Expected the sentence to start in the first selected cell, but ${cell} is empty.`,
    gap: (cell: string, before: string) =>
      `Expected one word in every cell up to the last one, but ${cell} is empty (the sentence goes on after it, in ${before}).`,
    number: (cell: string, value: string) => `Expected a word in ${cell}, but it holds the number ${value}.`,
    boolean: (cell: string, value: string) => `Expected a word in ${cell}, but it holds ${value}.`,
    error: (cell: string, value: string) => `Expected a word in ${cell}, but it shows the error ${value}.`,
    twoWords: (cell: string, value: string) => `Expected one word in ${cell}, but it holds "${value}": put each word in a cell of its own.`,
    special: (cell: string, value: string) =>
      `${cell} holds "${value}", a marker the model adds itself (${SPECIALS.join(", ")}): select words only.`,
    tooMany: (words: number, room: number, prompt: boolean) =>
      prompt
        ? `The selection has ${plural(words, "word", "words")}, but this model takes a prompt of at most ${room} ` +
          `(its Tokens row is <s> and ${room} more): select fewer words, or build with a longer task.`
        : `The selection has ${plural(words, "word", "words")}, but this model reads at most ${room}: select fewer words.`,
    trailing: (n: number) => ` The ${plural(n, "empty cell", "empty cells")} after the last word ${n === 1 ? "is" : "are"} left out.`,
    sentencePicked: (words: number, where: string, trailing: string) =>
      `Took ${plural(words, "word", "words")} from ${where} as the sentence.${trailing} Press Build: the Overview's Tokens cells ` +
      "will refer to your cells, and your sheet stays as it is.",
    notNumber: (cell: string, value: string | undefined) =>
      `Expected a number in every cell of the embedding, but ${cell} holds ${value ?? "nothing"}.`,
    embeddingPicked: (rows: number, cols: number, where: string, expected: string) =>
      `Took ${rows} × ${cols} numbers from ${where} as the embedding. ${expected} Build copies them into the Input sheet: ` +
      "training changes the copy, never your cells.",
    embeddingExpects: (rows: number, cols: number) => `With the fields as they are now, Build expects ${rows} × ${cols}.`,
    embeddingShape: (where: string, rows: number, cols: number, vocab: number, dModel: number) =>
      `The embedding from ${where} is ${rows} rows × ${cols} columns, but this model needs ${vocab} × ${dModel}: one row per ` +
      `vocabulary word (${vocab}, specials and your sentence's new words included) and d_model (${dModel}) columns.`,
    rereadFailed: (where: string, why: string) => `Could not read your cells ${where} again: ${why}`,

    // Building with it.
    added: (words: readonly string[]) =>
      `${plural(words.length, "word", "words")} of your sentence ${words.length === 1 ? "is" : "are"} not in the task's data ` +
      `(${quoted(words)}) and ${words.length === 1 ? "was" : "were"} added to the vocabulary: ${words.length === 1 ? "its" : "their"} ` +
      "embedding rows are random, and training leaves them so, since no example uses them.",
    allKnown: "Every word of your sentence is in the task's data.",
    builtLinked: (where: string) => `The Overview's Tokens cells refer to ${where}: edit your sentence there and the model follows.`,
    builtEmbedding: (where: string) => `The embedding was copied from ${where} into the Input sheet; your cells are unchanged.`,

    // The sheets.
    tokensTitle: (where: string) => `Tokens (from your cells ${where}: edit them there)`,
    tokensNote: (where: string) =>
      `These cells refer to your sentence in ${where}, one word a cell: change a word there and every block recalculates. ` +
      "A cell after the last word is empty (<pad>) and may be typed in.",
    embeddingTitle: (where: string) => `Embedding E (one row per word; copied from ${where})`,
    embeddingNote: (where: string) =>
      `Copied from your cells ${where} when the model was built. Training changes these numbers, never your cells; ` +
      "each row is one vocabulary word's vector.",
  },
};

/** The shape every language's table has: the English table's keys, each a text (or a function making one) of the same kind. */
export type Strings = typeof en;
