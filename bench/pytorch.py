"""The same training step in PyTorch, for `npm run bench` (bench/pytorch.ts).

What a PyTorch user would write for our models: an embedding, sinusoidal
positions, a stack of nn.TransformerEncoderLayer (and one of
nn.TransformerDecoderLayer for an encoder-decoder) with post-LayerNorm, ReLU
and no dropout, a linear output layer, cross-entropy over the non-pad
targets, Adam after clipping the global gradient norm. float64, one thread
(torch.set_num_threads(1)). A decoder-only (GPT-1, Post-LN) layer is an
encoder layer under a causal mask. Attention has no biases, as ours has none,
so the two models have the same parameters.

It reads one JSON command per line on stdin and answers one JSON line:
  {"cell": {...}}                      build that model; answers {"loss": first loss,
                                       "parameters": its parameter count}
  {"round": name, "seconds": s}        train it for at least s seconds and one step;
                                       answers {"steps": k, "seconds": t}
so that node can run its own rounds and PyTorch's alternately.
"""
import json
import math
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
PAD = 0


def positions(length, d_model):
    pe = torch.zeros(length, d_model)
    pos = torch.arange(length).unsqueeze(1).double()
    div = torch.exp(torch.arange(0, d_model, 2).double() * (-math.log(10000.0) / d_model))
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)[:, : d_model // 2]
    return pe


def unbiased(layer):
    """`layer` with its attention rebuilt without in_proj and out_proj biases (torch 1.13's layers have no bias switch)."""
    for name in ("self_attn", "multihead_attn"):
        if hasattr(layer, name):
            old = getattr(layer, name)
            setattr(layer, name, nn.MultiheadAttention(old.embed_dim, old.num_heads, dropout=0.0, bias=False, batch_first=True))
    return layer


class Model(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, h, ff = c["dModel"], c["heads"], c["dFF"]
        self.kind = c["kind"]
        self.embed = nn.Embedding(c["vocabSize"], d)
        self.register_buffer("pe", positions(max(c["sourceLen"], c["targetLen"]) + 1, d))
        # The encoder stack, or the decoder-only one (GPT-1 is Post-LN: an encoder layer under a causal mask). Separate layers,
        # not nn.TransformerEncoder's copies of one, so that each starts from its own weights, as ours do.
        self.encoder = nn.ModuleList(unbiased(nn.TransformerEncoderLayer(d, h, ff, dropout=0.0, batch_first=True, norm_first=False)) for _ in range(c["layers"]))
        if self.kind == "encoder-decoder":
            self.dec = nn.ModuleList(unbiased(nn.TransformerDecoderLayer(d, h, ff, dropout=0.0, batch_first=True, norm_first=False)) for _ in range(c["layers"]))
        self.out = nn.Linear(d, c["vocabSize"])

    def forward(self, source, decoder_input):
        src_pad = source == PAD
        x = self.embed(source) + self.pe[: source.shape[1]]
        mask = causal(source.shape[1]) if self.kind == "decoder-only" else None
        for layer in self.encoder:
            x = layer(x, src_mask=mask, src_key_padding_mask=src_pad)
        if self.kind != "encoder-decoder":
            return self.out(x)
        n = decoder_input.shape[1]
        y = self.embed(decoder_input) + self.pe[:n]
        for layer in self.dec:
            y = layer(y, x, tgt_mask=causal(n), tgt_key_padding_mask=decoder_input == PAD, memory_key_padding_mask=src_pad)
        return self.out(y)


def causal(n):
    return torch.triu(torch.full((n, n), float("-inf")), diagonal=1)


class Cell:
    def __init__(self, spec):
        c = spec["config"]
        torch.manual_seed(1)
        self.model = Model(c)
        self.source = torch.tensor(spec["source"])
        self.decoder_input = torch.tensor(spec["decoderInput"]) if c["kind"] == "encoder-decoder" else None
        self.target = torch.tensor(spec["target"])
        o = spec["optimizer"]
        self.clip = o.get("clipNorm")
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=o["lr"], betas=(o.get("beta1", 0.9), o.get("beta2", 0.999)), eps=o.get("epsilon", 1e-8))
        self.loss_fn = nn.CrossEntropyLoss(ignore_index=PAD)

    def step(self):
        self.optimizer.zero_grad(set_to_none=True)
        logits = self.model(self.source, self.decoder_input)
        loss = self.loss_fn(logits.reshape(-1, logits.shape[-1]), self.target.reshape(-1))
        loss.backward()
        if self.clip:
            nn.utils.clip_grad_norm_(self.model.parameters(), self.clip)
        self.optimizer.step()
        return loss.item()


def main():
    cells = {}
    for line in sys.stdin:
        command = json.loads(line)
        if "cell" in command:
            spec = command["cell"]
            cells[spec["name"]] = cell = Cell(spec)
            answer = {"loss": cell.step(), "parameters": sum(p.numel() for p in cell.model.parameters())}
        else:
            cell = cells[command["round"]]
            start = time.perf_counter()
            steps = 0
            while True:
                cell.step()
                steps += 1
                if time.perf_counter() - start >= command["seconds"]:
                    break
            answer = {"steps": steps, "seconds": time.perf_counter() - start}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
