#!/usr/bin/env python3
"""Chapter 4's neural language model in PyTorch, for bench/lm_vs_pytorch.sh.

The same model, data and hyperparameters as `nplm train`: the exported split
(`nplm corpus --out DIR`: train.txt, valid.txt, vocab.txt; each line end is
one </s>), context n, embedding d, tanh hidden layer h, full softmax, Adam
(lr 1e-3, betas 0.9/0.999, eps 1e-8), gradient clipping at global norm 5,
minibatches of 128 shuffled examples, one epoch; embeddings uniform in
+-0.1, weights uniform in +-1/sqrt(fan_in), biases 0. Validation perplexity
over every token but the first four. Prints one JSON object.
"""
import argparse
import json
import math
import os
import sys
import time

import torch


def stream(path, ids):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            out.extend(ids.get(w, 0) for w in line.split())
            out.append(1)  # </s>
    return torch.tensor(out, dtype=torch.long)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch's intra-op threads")
    ap.add_argument("--budget", type=int, default=0,
                    help="the thread budget reported as 'threads' (default: "
                         "--threads); OpenBLAS's own threads come from "
                         "OPENBLAS_NUM_THREADS")
    ap.add_argument("--context", type=int, default=3)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-examples", type=int, default=0,
                    help="stop after this many training examples (to compare "
                         "thread settings quickly); 0: the whole epoch")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    words = [line.split(" ")[0] for line in open(f"{args.data}/vocab.txt", encoding="utf-8")]
    ids = {w: i for i, w in enumerate(words)}
    V, n, d, h = len(words), args.context, args.dim, args.hidden
    train = stream(f"{args.data}/train.txt", ids)
    valid = stream(f"{args.data}/valid.txt", ids)

    emb = torch.nn.Embedding(V, d)
    hid = torch.nn.Linear(n * d, h)
    out = torch.nn.Linear(h, V)
    with torch.no_grad():
        emb.weight.uniform_(-0.1, 0.1)
        hid.weight.uniform_(-1 / math.sqrt(n * d), 1 / math.sqrt(n * d))
        out.weight.uniform_(-1 / math.sqrt(h), 1 / math.sqrt(h))
        hid.bias.zero_()
        out.bias.zero_()
    params = list(emb.parameters()) + list(hid.parameters()) + list(out.parameters())
    opt = torch.optim.Adam(params, lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
    offsets = torch.arange(-n, 0)

    def logits(positions, data):
        ctx = data[positions.unsqueeze(1) + offsets]          # (B, n)
        x = emb(ctx).reshape(len(positions), n * d)           # (B, n d)
        return out(torch.tanh(hid(x)))                        # (B, V)

    order = torch.randperm(len(train) - n) + n
    if args.max_examples:
        order = order[:args.max_examples]
    start = time.perf_counter()
    for i in range(0, len(order), args.batch):
        pos = order[i:i + args.batch]
        loss = torch.nn.functional.cross_entropy(logits(pos, train), train[pos])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 5.0)
        opt.step()
    seconds = time.perf_counter() - start

    with torch.no_grad():
        nll, count = 0.0, 0
        positions = torch.arange(max(4, n), len(valid))
        for i in range(0, len(positions), 512):
            pos = positions[i:i + 512]
            nll += torch.nn.functional.cross_entropy(
                logits(pos, valid), valid[pos], reduction="sum").item()
            count += len(pos)
    json.dump({"threads": args.budget or args.threads,
               "torch_threads": args.threads,
               "blas_threads": int(os.environ.get("OPENBLAS_NUM_THREADS", "0")),
               "tokens_per_s": len(order) / seconds,
               "seconds": seconds, "valid_ppl": math.exp(nll / count),
               "torch": torch.__version__}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
