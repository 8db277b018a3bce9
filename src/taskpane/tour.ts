/**
 * The guided tour: the computation in the order the numbers flow, one block
 * of the workbook a step, explained with the same notes the sheets carry.
 */
import type { ModelConfig } from "../model/config";
import { NOTES } from "../sheet/notes";

export interface TourStep {
  title: string;
  /** The named range the step selects. */
  key: string;
  text: string;
}

export function tourSteps(c: ModelConfig): TourStep[] {
  const softmax =
    c.normalization === "softmax"
      ? NOTES.attn
      : `This model has softmax turned off, as the original demo had: the "weights" are the raw scores. ${NOTES.softmaxSwitch}`;
  const steps: TourStep[] = [
    {
      title: "Embedding",
      key: "Embedding",
      text: `A transformer reads numbers, not words: each token is replaced by its word's row of this block, a learned vector of d_model numbers. ${NOTES.embedding.replace(/^Each word's learned vector\. /, "")}`,
    },
    {
      title: "Positional encoding",
      key: "PosEnc",
      text: `${NOTES.posEnc} ${NOTES.x}`,
    },
    {
      title: "Queries, keys and values",
      key: "Enc_H1_Q",
      text: `Each head projects every token three ways. ${NOTES.Q} ${NOTES.K} ${NOTES.V} The selected block is head 1's queries; its keys and values sit to the right.`,
    },
    {
      title: "Scores",
      key: "Enc_H1_Scores",
      text: NOTES.scores,
    },
    {
      title: "Softmax",
      key: "Enc_H1_Attn",
      text: softmax,
    },
    {
      title: "Weighted sum",
      key: "Enc_H1_Out",
      text: `${NOTES.headOut} A token that attends strongly to one other token mostly copies that token's value row.`,
    },
    {
      title: "Multi-head attention",
      key: "Enc_MHA",
      text: `This model has ${c.heads} ${c.heads === 1 ? "head" : "heads"}, each with its own Wq, Wk and Wv, so each can look for something different. ${NOTES.concat} ${NOTES.mha}`,
    },
    {
      title: "Residual and LayerNorm",
      key: "Enc_LN1_Out",
      text: `${NOTES.residual} ${NOTES.layerNorm}`,
    },
    {
      title: "Feed-forward network",
      key: "Enc_FF_Out",
      text: `${NOTES.hidden} ${NOTES.ffnOut} Another residual sum and LayerNorm follow, giving the encoder's output Enc_Out.`,
    },
  ];
  if (c.decoder) {
    steps.push({
      title: "Decoder",
      key: "Dec_Cross_H1_Attn",
      text: `${NOTES.decTokens} The decoder's masked self-attention lets each position look only at the positions before it. Then cross-attention, selected here, takes its queries from the decoder and its keys and values from the encoder's output: each row shows which source words that output position draws from.`,
    });
  }
  steps.push({
    title: "Output",
    key: "Probs",
    text: `${NOTES.logits} ${NOTES.probs} ${c.decoder ? NOTES.predictedDecoder : NOTES.predicted}`,
  });
  return steps;
}
