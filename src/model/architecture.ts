/**
 * The model as one description: a list of layers, each a list of blocks,
 * with every name from one naming function (docs/architecture.md, "The
 * layer list"). Parameter specs, forward and backward, the sheet plan, the
 * tour, the Check band, the Gradients sheet and the tfjs reference model
 * all iterate over this list.
 */

/** What a model is made of: an encoder stack, an encoder and a decoder stack, or a decoder stack alone (GPT). */
export type ModelKind = "encoder" | "encoder-decoder" | "decoder-only";
export const MODEL_KINDS: readonly ModelKind[] = ["encoder", "encoder-decoder", "decoder-only"];

/** Layers per stack. */
export const MAX_LAYERS = 6;

/**
 * The token streams a model reads: `source` is the Tokens row (X), `target`
 * the encoder–decoder's decoder input (Dec_Tokens, Dec_X).
 */
export type StreamName = "source" | "target";

/**
 * Attention roles: `self` sees every (non-pad) position of its stream,
 * `masked` only the positions up to its own (causal), `cross` takes its keys
 * and values from the top encoder layer's output.
 */
export type AttentionRole = "self" | "masked" | "cross";

export interface AttentionBlock {
  kind: "attention";
  /** Prefix of its names: `Enc`, `Dec_Self`, `Dec_Cross`, `Dec`, `Enc2` … (`Enc_H1_Wq`, `Enc_Wo`). */
  name: string;
  role: AttentionRole;
}

/** The residual sum of the block's input and the sublayer before it, then LayerNorm. */
export interface NormBlock {
  kind: "norm";
  /** `Enc_LN1` …: `Enc_LN1_Gamma`, `Enc_LN1_Beta`, `Enc_LN1_Sum`. */
  name: string;
  /** Its output block: `Enc_LN1_Out`, or the layer's output (`Enc_Out`) for the last norm. */
  out: string;
  /** 1, 2, 3 within its layer ("Add & norm 2"). */
  index: number;
}

/** The position-wise feed-forward network. */
export interface FfnBlock {
  kind: "ffn";
  /** `Enc_FF` …: `Enc_FF_W1`, `Enc_FF_B1`, `Enc_FF_W2`, `Enc_FF_B2`. */
  name: string;
}

export type Block = AttentionBlock | NormBlock | FfnBlock;
export type BlockKind = Block["kind"];

export interface Layer {
  /** `Enc`, `Enc2`, `Dec`, `Dec2` …: the prefix of every name in the layer. */
  name: string;
  stack: "encoder" | "decoder";
  /** 1-based position in its stack. */
  index: number;
  stream: StreamName;
  blocks: Block[];
  /** The layer's output block (`Enc_Out`, `Dec2_Out`). */
  out: string;
}

export interface Architecture {
  kind: ModelKind;
  /** In the order they compute: every encoder layer before any decoder layer. */
  layers: Layer[];
  /** The streams the model reads, in the order of its layers. */
  streams: StreamName[];
  /** The layer the output (Out_W, Logits) reads. */
  top: Layer;
}

/** The naming function: layer 1 keeps the stack's prefix, layer k ≥ 2 puts k after it (`Enc2`, `Dec3`). */
export function layerName(stack: Layer["stack"], index: number): string {
  const prefix = stack === "encoder" ? "Enc" : "Dec";
  return index === 1 ? prefix : `${prefix}${index}`;
}

function norm(layer: string, index: number, last: boolean): NormBlock {
  return { kind: "norm", name: `${layer}_LN${index}`, out: last ? `${layer}_Out` : `${layer}_LN${index}_Out`, index };
}

/** Post-LN encoder layer: Y1 = LN1(X + MHA(X)), Y = LN2(Y1 + FFN(Y1)). */
function encoderLayer(index: number): Layer {
  const name = layerName("encoder", index);
  const blocks: Block[] = [
    { kind: "attention", name, role: "self" },
    norm(name, 1, false),
    { kind: "ffn", name: `${name}_FF` },
    norm(name, 2, true),
  ];
  return { name, stack: "encoder", index, stream: "source", blocks, out: `${name}_Out` };
}

/** Z1 = LN1(T + MaskedMHA(T)), Z2 = LN2(Z1 + CrossMHA(Z1, Y)), Z = LN3(Z2 + FFN(Z2)). */
function decoderLayer(index: number): Layer {
  const name = layerName("decoder", index);
  const blocks: Block[] = [
    { kind: "attention", name: `${name}_Self`, role: "masked" },
    norm(name, 1, false),
    { kind: "attention", name: `${name}_Cross`, role: "cross" },
    norm(name, 2, false),
    { kind: "ffn", name: `${name}_FF` },
    norm(name, 3, true),
  ];
  return { name, stack: "decoder", index, stream: "target", blocks, out: `${name}_Out` };
}

/** GPT-1's Post-LN decoder layer: Z1 = LN1(T + MaskedMHA(T)), Z = LN2(Z1 + FFN(Z1)), over the Tokens stream. */
function decoderOnlyLayer(index: number): Layer {
  const name = layerName("decoder", index);
  const blocks: Block[] = [
    { kind: "attention", name, role: "masked" },
    norm(name, 1, false),
    { kind: "ffn", name: `${name}_FF` },
    norm(name, 2, true),
  ];
  return { name, stack: "decoder", index, stream: "source", blocks, out: `${name}_Out` };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** The layer list of a model of `kind` with `layers` layers per stack. */
export function architecture(c: { kind: ModelKind; layers: number }): Architecture {
  const n = c.layers;
  const layers =
    c.kind === "encoder"
      ? range(n).map(encoderLayer)
      : c.kind === "decoder-only"
        ? range(n).map(decoderOnlyLayer)
        : [...range(n).map(encoderLayer), ...range(n).map(decoderLayer)];
  const streams: StreamName[] = c.kind === "encoder-decoder" ? ["source", "target"] : ["source"];
  return { kind: c.kind, layers, streams, top: layers[layers.length - 1] };
}

/** The top layer of the source stream: what cross-attention reads (the encoder's output). */
export function memoryLayer(a: Architecture): Layer | undefined {
  const source = a.layers.filter((l) => l.stream === "source");
  return a.kind === "encoder-decoder" ? source[source.length - 1] : undefined;
}

export function attentionBlocks(a: Architecture): AttentionBlock[] {
  return a.layers.flatMap((l) => l.blocks.filter((b): b is AttentionBlock => b.kind === "attention"));
}

const layersOf = (n: number, what: string): string => `${n} ${what} ${n === 1 ? "layer" : "layers"}`;

/** "2 encoder layers and 2 decoder layers", "1 decoder-only layer": the stacks in words. */
export function describeStacks(c: { kind: ModelKind; layers: number }): string {
  const words: Record<ModelKind, string> = {
    encoder: layersOf(c.layers, "encoder"),
    "encoder-decoder": `${layersOf(c.layers, "encoder")} and ${layersOf(c.layers, "decoder")}`,
    "decoder-only": layersOf(c.layers, "decoder-only"),
  };
  return words[c.kind];
}
