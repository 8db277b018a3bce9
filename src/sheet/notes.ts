/**
 * The short notes that explain each block, in plain words: what it computes
 * and why. They appear as cell notes on each block's title and in the guided
 * tour.
 */
export const NOTES = {
  tokens:
    "Type one word per cell. Every block in the workbook is computed from these cells, so changing a word changes the attention, the output and the prediction. Leave a cell empty for <pad> (padding).",
  tokensCopy:
    "The Tokens typed on the Overview sheet, shown here so that this sheet reads from top to bottom: each word's vocabulary row, then X. Type on the Overview; an empty cell is <pad>.",
  overviewMaps: "Where each head looks: a row per query token, a column per key token",
  overviewMap:
    "A copy of one head's attention weights: the row's token draws from the column's tokens in these proportions (each row sums to 1 when softmax is on). Type a new sentence above and it follows.",
  tokenIds:
    "Where each word sits in the vocabulary: the row whose word is exactly the typed one (EXACT; capitals count as small letters, and * ? ~ are plain characters, not wildcards). #N/A means the word is not in the vocabulary: pick one from the Vocabulary list.",
  visible: "Padding is not a word: attention gives <pad> keys a weight of exactly 0. This row says which positions may be looked at.",
  vocab: "Every word the model knows, one per row. Row 1 is <pad>, row 2 <s> (start), row 3 </s> (end).",
  embedding:
    "Each word's learned vector. The model looks up one row per token. These are trained weights: the trainer writes new values here.",
  posEnc:
    "Attention itself ignores order, so each position gets a fixed pattern of sines and cosines: PE[p,2i] = sin(p/10000^(2i/d)), PE[p,2i+1] = cos(p/10000^(2i/d)).",
  x: "The input to the encoder: the word's embedding plus its position's encoding, one row per token.",
  decX: "The decoder's input, embedded like the source: the embedding of each decoder token plus its position's encoding.",
  decTokens:
    "Position 1 is the start token <s>. Every later position takes the word the model predicted at the position before it, so the decoder writes its sentence one word at a time (greedy decoding) with plain formulas and no circular reference.",
  decTokensFixed:
    "The decoder's input: <s>, then the words predicted when the workbook was built. In the ATTN.* style a whole-block formula cannot feed each prediction back to the next position without a circular reference, so these are plain values: type the Predicted words here to step the decoding by hand, or rebuild.",
  softmaxSwitch:
    "TRUE (or 1) turns scores into weights with a softmax (each row sums to 1). FALSE (or 0) uses the raw scores, as the original demo did.",
  switchCheck:
    'What the switch beside it reads as: on (TRUE or 1) or off (FALSE or 0). Anything else, such as yes, 2, the text "1" or an empty cell, is flagged here, and the blocks that read the switch show #N/A until it is TRUE or FALSE again.',
  inputCheck:
    "OK when every word of Tokens is in the vocabulary. It says so when Tokens is empty (then the output means nothing) or when a word is not in the vocabulary: use the words of the Vocabulary list on the Input sheet.",
  scalingSwitch:
    "TRUE (or 1) divides the scores by √d_k, which keeps the softmax from saturating as d_k grows. FALSE (or 0) leaves them unscaled, as the original demo did.",
  Wq: "Query weights: turn each token's vector into the question it asks of the others. Trained.",
  Wk: "Key weights: turn each token's vector into the label other tokens match their questions against. Trained.",
  Wv: "Value weights: turn each token's vector into the content it passes on when attended to. Trained.",
  Q: "Queries, one row per token: X·Wq (MMULT of a row of X with a column of Wq).",
  K: "Keys, one row per token: X·Wk.",
  V: "Values, one row per token: X·Wv.",
  scores:
    "How well each query (row) matches each key (column): the dot product of a row of Q with a row of K, divided by √d_k when scaling is on. Columns of <pad> are 0 and ignored.",
  scoresCausal:
    "Scores of the masked self-attention: position i may only look at positions up to i, so the cells right of the diagonal are 0 and the formulas never refer to later positions.",
  attn: "Attention weights: a softmax along each row turns scores into weights that are positive and sum to 1. A bright cell means that row's token draws a lot from that column's token.",
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
    "LayerNorm of each row: subtract the row's mean, divide by √(variance + 0.00001) (variance over the row, dividing by d), then scale by γ and shift by β.",
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
    "The most probable next word at each decoder position (the largest logit). Each prediction becomes the decoder's input at the next position.",
  probsTemperature:
    "Softmax of each row of logits divided by the Temperature cell: below 1 the most probable word gets more of the probability, above 1 the words even out. At 1 these are the model's own probabilities.",
  cumulative:
    "Each row's probabilities added up from the left: the cell under a word is the chance of that word or any word before it. Sampling takes the first word whose running sum reaches the position's Dice value.",
  predictedGenerated:
    "The token chosen after each position: the most probable one when Sampling_On is FALSE; when it is TRUE, the first word whose cumulative probability reaches that position's Dice. Each choice becomes the next Tokens cell after the prompt.",
  tokensGenerated:
    "Position 1 is the start token <s>. Type the prompt's words in the next Prompt_Length cells; every later cell is a formula that takes the token chosen after the position before it, so the model writes the rest of the text one word at a time. After </s> the rest are <pad>.",
  tokensGeneratedFixed:
    "<s>, the prompt, then the tokens the model chose when the workbook was built. In the ATTN.* style a whole-block formula cannot feed each choice back to the next position without a circular reference, so the continuation is plain values: type the Predicted words here to step it by hand, or rebuild.",
  promptLength: "How many Tokens cells after <s> are the prompt you type. The cells after them are formulas that continue your text.",
  temperature:
    "Divides the logits before the softmax. 1 keeps the model's probabilities; 0.5 sharpens them; 2 flattens them. Change it with Sampling_On TRUE and watch the chosen words change.",
  samplingSwitch:
    "FALSE (or 0): take the most probable word at each position (greedy). TRUE (or 1): draw each word with the position's Dice value.",
  dice: "One number from 0 up to 1 per position: the draws that sampling uses. They are plain values, so nothing recalculates by itself; the task pane and npm run workbook -- --dice-seed N roll new ones.",
  generated: "The text after <s>, prompt and continuation, up to the end token </s>.",
  translation: "The predicted words joined into a sentence, stopping at the end token </s>.",
  dataSource:
    "Training inputs: one example per row, one word per cell; empty cells are <pad>. Edit or add rows, then train from the task pane.",
  dataText:
    "Training texts: one a row, one word per cell. The model reads <s> then the text, and learns to predict each next word, </s> after the last. Edit or add rows, then train from the task pane.",
  dataTarget: "What the model should output for the row's source: one word per cell; empty cells are <pad> and left out of the loss.",
  check:
    "The same block computed by the add-in's ATTN.* functions from the same named ranges, to check the cell formulas against the TypeScript model.",
  checkDiff:
    "The largest absolute difference between the ATTN.* results and the cell formulas. Anything near 1e-15 is rounding; a large value means a formula or a weight range is out of step.",
  log: "One row per training step: the mean cross-entropy loss over the Data sheet, the share of target tokens predicted right, and the time.",
  guide: [
    "1. On Overview, type a different sentence into the Tokens cells (words from the Vocabulary on Input). Watch the heads' attention maps change, and the model's output beside the sentence.",
    "2. On Encoder, click any cell to read its formula: every number is computed from the cells before it, with no macros.",
    "3. Edit a weight (for example a cell of Enc_H1_Wq) and see which blocks change.",
    "4. In Excel with the Attention Lab add-in, press Train step or Train N steps: the trainer computes the gradients and writes new weights into these cells.",
    "5. Bright cells in the attention weights show which tokens a position draws from; each row sums to 1 when softmax is on.",
  ],
  guideGenerate: [
    "1. On Overview, type a different prompt into the Tokens cells after <s> (words from the Vocabulary on Input). The cells after the prompt are formulas: the model continues your text, shown beside it, and the heads' attention maps follow.",
    "2. On Decoder, click any cell to read its formula: every number is computed from the cells before it, with no macros. Each row of the attention weights sees only the positions up to its own.",
    "3. On Output, set Sampling_On to TRUE and change the Temperature: the Probs change, and the words are drawn with the Dice values instead of taken greedily.",
    "4. In Excel with the Attention Lab add-in, press Train step or Train N steps: the trainer computes the gradients and writes new weights into these cells.",
    "5. Edit a weight (for example a cell of Dec_H1_Wq) and see which blocks and words change.",
  ],
} as const;
