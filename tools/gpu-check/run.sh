#!/usr/bin/env bash
# The GPU checks of the real-engine mode, on a machine with NVIDIA GPUs: what nvidia-smi answers to the discovery's own
# query, whether CUDA honours the indices the AppHost hands vLLM (CUDA_DEVICE_ORDER=PCI_BUS_ID, CUDA_VISIBLE_DEVICES),
# and the kernel timings of kernels.py. Writes into ${OUT:-./gpu-check-out}.
set -u
command -v nvidia-smi >/dev/null || { echo "nvidia-smi not found: run this where NVIDIA's driver is installed" >&2; exit 1; }
out=${OUT:-./gpu-check-out}; mkdir -p "$out"
here=$(dirname "$0")
nvidia-smi > "$out/nvidia-smi.txt" 2>&1
nvidia-smi --query-gpu=index,name,memory.total,uuid --format=csv,noheader,nounits > "$out/query.csv" 2>&1
cat "$out/query.csv"
uuid=$(head -1 "$out/query.csv" | awk -F', ' '{print $NF}')
past=$(grep -c . "$out/query.csv") # one index past the last GPU
probe='import torch,sys; n=torch.cuda.device_count(); print(sys.argv[1], "->", n, [str(torch.cuda.get_device_properties(i).uuid) for i in range(n)])'
# The first GPU by index and by UUID, an index past the last, a list holding one, and none.
for v in 0 "$uuid" "$past" "0,$past" ""; do
  CUDA_DEVICE_ORDER=PCI_BUS_ID CUDA_VISIBLE_DEVICES="$v" python3 -c "$probe" "visible='$v'" 2>&1 | tail -1
done | tee "$out/visible.txt"
python3 "$here/kernels.py" > "$out/kernels.json" 2> "$out/kernels.err"; echo "kernels.py exit $?"; tail -3 "$out/kernels.err"
