"""Times the kernels the step-time model prices, on the GPU this runs on, and prints one JSON document.

What it measures (each the median of triton.testing.do_bench, L2 flushed between repetitions):
- the dense GEMMs of Llama-3.1-8B and Llama-3.3-70B at TP1 (BF16, and where the GPU has FP8, FP8 per-tensor through
  torch._scaled_mm; fp8_s is null elsewhere),
  over the rows a decode batch or a prefill chunk gives them;
- HBM: a 4 GiB device copy (bytes read + written) and a 4 GiB read-only reduction;
- attention: FlashAttention (PyTorch's SDPA flash backend) on a GQA decode step (64 query heads over 8 KV heads of
  128, one query token per sequence, read as 8 query rows per KV head) and a causal prefill.

Usage: python3 kernels.py > kernels.json   (needs PyTorch with CUDA and Triton; about a minute on an H200)
"""
import json
import sys

import torch
import triton.testing as tt


def bench(fn):
    return tt.do_bench(fn, warmup=10, rep=60, return_mode="median") * 1e-3  # seconds


def gemms():
    shapes = {  # name: (N, K), the weight is N x K
        "llama-8b qkv": (6144, 4096), "llama-8b o": (4096, 4096),
        "llama-8b gate_up": (28672, 4096), "llama-8b down": (4096, 14336),
        "llama-70b qkv": (10240, 8192), "llama-70b o": (8192, 8192),
        "llama-70b gate_up": (57344, 8192), "llama-70b down": (8192, 28672),
    }
    rows = [16, 64, 128, 256, 512, 1024, 2048, 4096, 8192]
    fp8 = torch.cuda.get_device_capability() >= (8, 9)  # FP8 tensor cores: Ada, Hopper, Blackwell
    out = []
    for name, (n, k) in shapes.items():
        w = torch.randn(n, k, device="cuda", dtype=torch.bfloat16) * 0.02
        w8 = w.to(torch.float8_e4m3fn) if fp8 else None
        one = torch.ones((), device="cuda", dtype=torch.float32)
        for m in rows:
            x = torch.randn(m, k, device="cuda", dtype=torch.bfloat16)
            t16 = bench(lambda: torch.matmul(x, w.t()))
            t8 = None
            if fp8:
                x8 = x.to(torch.float8_e4m3fn)
                t8 = bench(lambda: torch._scaled_mm(x8, w8.t(), scale_a=one, scale_b=one, out_dtype=torch.bfloat16))
            out.append({"gemm": name, "m": m, "n": n, "k": k, "bf16_s": t16, "fp8_s": t8})
        del w, w8
    return out


def hbm():
    n = 4 * 2**30 // 2
    a = torch.empty(n, device="cuda", dtype=torch.bfloat16).normal_()
    b = torch.empty_like(a)
    copy = bench(lambda: b.copy_(a))
    read = bench(lambda: a.sum(dtype=torch.float32))
    return {"bytes": 2 * n, "copy_s": copy, "read_s": read,
            "copy_read_write_bytes_per_s": 4 * n / copy, "read_bytes_per_s": 2 * n / read}


def attention():
    from torch.nn.attention import SDPBackend, sdpa_kernel
    f = torch.nn.functional.scaled_dot_product_attention
    out = []
    with sdpa_kernel(SDPBackend.FLASH_ATTENTION):
        for batch in (1, 8, 64, 256):
            for ctx in (1024, 4096, 16384):
                if batch * ctx > 1 << 22:
                    continue
                q = torch.randn(batch, 8, 8, 128, device="cuda", dtype=torch.bfloat16)
                kv = torch.randn(2, batch, 8, ctx, 128, device="cuda", dtype=torch.bfloat16)
                t = bench(lambda: f(q, kv[0], kv[1]))
                out.append({"attention": "decode", "batch": batch, "context": ctx, "seconds": t,
                            "kv_bytes": kv.numel() * 2})
                del q, kv
        for s in (1024, 4096, 8192):
            q = torch.randn(1, 64, s, 128, device="cuda", dtype=torch.bfloat16)
            k = torch.randn(1, 64, s, 128, device="cuda", dtype=torch.bfloat16)
            t = bench(lambda: f(q, k, k, is_causal=True))
            out.append({"attention": "prefill", "batch": 1, "context": s, "seconds": t,
                        "flops": 4 * 64 * 128 * s * s / 2})
    return out


def main():
    p = torch.cuda.get_device_properties(0)
    doc = {"device": p.name, "sms": p.multi_processor_count, "memory_bytes": p.total_memory,
           "uuid": str(getattr(p, "uuid", "")), "torch": torch.__version__,
           "hbm": hbm(), "attention": attention(), "gemms": gemms()}
    json.dump(doc, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
