/**
 * Each kind of block's sheet builder, mirroring src/model/blocks.ts: a
 * layer's sheet folds its blocks over the residual stream's block as the
 * model folds them over the stream. Adding a kind of block is one entry
 * here and one in src/model/blocks.ts (docs/architecture.md).
 */
import type { Block, BlockKind } from "../../model/architecture";
import type { BlockCache } from "../../model/blocks";
import type { BuildContext, LayerSheet, SheetState } from "../context";
import { attentionSheetBlocks } from "./attention";
import { ffnSheetBlocks } from "./ffn";
import { normSheetBlocks } from "./norm";

type SheetBlocks<B extends Block> = (ctx: BuildContext, L: LayerSheet, b: B, cache: never, state: SheetState) => SheetState;

const BUILDERS: { [K in BlockKind]: SheetBlocks<Extract<Block, { kind: K }>> } = {
  attention: attentionSheetBlocks as SheetBlocks<Extract<Block, { kind: "attention" }>>,
  norm: normSheetBlocks as SheetBlocks<Extract<Block, { kind: "norm" }>>,
  ffn: ffnSheetBlocks as SheetBlocks<Extract<Block, { kind: "ffn" }>>,
};

/** Places block `b` of a layer, with the model's cache of it for the values. */
export function sheetBlocks(ctx: BuildContext, L: LayerSheet, b: Block, cache: BlockCache, state: SheetState): SheetState {
  return (BUILDERS[b.kind] as (ctx: BuildContext, L: LayerSheet, b: Block, cache: BlockCache, state: SheetState) => SheetState)(
    ctx,
    L,
    b,
    cache,
    state,
  );
}
