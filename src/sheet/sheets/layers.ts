/**
 * One sheet per layer ("Encoder", "Encoder 2", "Decoder" …), each the fold
 * of the layer's blocks over its stream, as src/model/transformer.ts runs
 * them; then, on request, the Check band of each layer.
 */
import type { Block, Layer } from "../../model/architecture";
import { sheetBlocks } from "../blocks";
import { streamBlocks, tokensBlock } from "../blocks/embedding";
import { BuildContext, LayerSheet, SheetState, lastLayerOut, newSheet, tokenLabels } from "../context";
import { SHEET_KINDS, layerSheetName } from "../kinds";
import { Refs } from "../layout";
import { checkBand, CheckSite } from "./check";
import { t } from "../../i18n";

/** "Layer 2 of 2: masked self-attention, FFN; each followed by add & norm. It reads Dec_Out." */
function purpose(layer: Layer, layers: number, input: string): string {
  const T = t().sheet;
  const parts = layer.blocks.flatMap((b: Block) => (b.kind === "attention" ? [T.roleWords[b.role]] : b.kind === "ffn" ? [T.ffnWords] : []));
  return T.layerSheet(layer.stack, layer.index, layers, parts, input, layer.out);
}

export function layerSheets(ctx: BuildContext): void {
  const kind = SHEET_KINDS[ctx.c.kind];
  const sites: CheckSite[] = [];
  const sheetsOf: LayerSheet[] = [];
  ctx.run.layers.forEach((run, l) => {
    const { layer } = run;
    const previous = lastLayerOut(ctx, layer.stream);
    const name = layerSheetName(layer);
    const sheet = newSheet(
      ctx,
      name,
      purpose(layer, ctx.c.layers, previous ? previous.block.key : layer.stream === "source" ? "X" : "Dec_X"),
    );
    const refs = new Refs(name);
    if (!ctx.streams[layer.stream]) {
      // The decoder input of an encoder–decoder: its tokens lead its first layer's sheet.
      const row = kind.decoderTokens!(ctx, refs);
      const [tokens] = sheet.band([tokensBlock("Dec_Tokens", row)]);
      ctx.streams[layer.stream] = streamBlocks(ctx, sheet, refs, layer.stream, tokens);
    }
    const stream = ctx.streams[layer.stream]!;
    const L: LayerSheet = { layer, sheet, refs, stream, labels: tokenLabels(ctx, stream, refs) };
    let state: SheetState = { x: previous ? previous.block : stream.x };
    layer.blocks.forEach((b, i) => {
      sites.push({ L, block: b, before: state, cache: run.caches[i] });
      state = sheetBlocks(ctx, L, b, run.caches[i], state);
    });
    ctx.layerOut.set(layer, { block: state.x, stream });
    sheetsOf[l] = L;
  });
  // Only the cells style: the Check band compares ATTN.* with the per-cell formulas.
  if (ctx.input.check && ctx.style.name === "cells") checkBand(ctx, sites, sheetsOf);
}
