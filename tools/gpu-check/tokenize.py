"""Times what a serving front end does to a prompt before the engine sees it: tokenizing its text.

vLLM's, SGLang's and trtllm-serve's OpenAI servers tokenize each prompt with Hugging Face's tokenizers (through
transformers' fast tokenizer); the performance model charges that per prompt token (EngineProfile.PromptTokenSeconds).
This measures it for gpt-oss's o200k vocabulary on prompts like those of vLLM's `bench serve --dataset-name random`
(uniformly random token ids decoded to text, which the server then re-encodes) and on plain English, with tiktoken too.

Usage: python3 tokenize.py o200k_base.tiktoken > tokenize.json
  (the standard `base64-token rank` file; needs tiktoken, tokenizers and transformers; one CPU thread)
"""
import json
import random
import statistics
import sys
import time

import tiktoken
import tiktoken_ext.openai_public as openai_public
from tiktoken.load import load_tiktoken_bpe


def per_token(encode, text, tokens, repeats=7):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        encode(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times) / tokens


def main():
    path = sys.argv[1]
    ranks = load_tiktoken_bpe(path)
    openai_public.load_tiktoken_bpe = lambda *a, **k: ranks
    spec = openai_public.o200k_base()
    enc = tiktoken.Encoding(**spec)
    rng = random.Random(0)
    english = ("The scheduler admits a request once its prompt's KV blocks fit, and every step it packs the running "
               "decodes and a chunk of the next prompt into one batch of at most the token budget. ")
    prompts = {}
    for n in (1000, 8000):
        ids = [rng.randrange(len(ranks)) for _ in range(n)]
        prompts[f"random {n}"] = enc.decode(ids)
        text = english * (n // 30 + 1)
        prompts[f"english {n}"] = enc.decode(enc.encode(text)[:n])
    out = {"tiktoken": {}, "tokenizers": {}, "transformers": {}}
    for name, text in prompts.items():
        tokens = len(enc.encode(text))
        out["tiktoken"][name] = {"tokens": tokens, "seconds_per_token": per_token(enc.encode, text, tokens)}
    print(json.dumps(out), file=sys.stderr, flush=True)
    start = time.perf_counter()
    from transformers.convert_slow_tokenizer import TikTokenConverter
    hf = TikTokenConverter(vocab_file=path, pattern=spec["pat_str"]).converted()
    out["convert_seconds"] = time.perf_counter() - start
    from transformers import PreTrainedTokenizerFast
    fast = PreTrainedTokenizerFast(tokenizer_object=hf)
    for name, text in prompts.items():
        tokens = len(hf.encode(text).ids)
        out["tokenizers"][name] = {"tokens": tokens, "seconds_per_token": per_token(hf.encode, text, tokens)}
        out["transformers"][name] = {"tokens": tokens, "seconds_per_token": per_token(fast, text, tokens)}
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
