#!/bin/bash
# A sharded `simulate search` as a Slurm job array: task SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT runs one slice
# (`simulate search` reads both, and SLURM_ARRAY_TASK_MIN, so --array=1-8 works as well as 0-7) and writes
# shard-IIII-of-NNNN.json into a shared folder. Submit from the repository root (the data folder), after creating the
# folder the logs go to:
#   mkdir -p results/search-llama && sbatch deploy/search-slurm.sh
# then, when every task has finished:
#   .build/release/simulate search merge results/search-llama
#SBATCH --job-name=llmservingsim-search
#SBATCH --array=0-7
#SBATCH --cpus-per-task=4
#SBATCH --mem=1G
#SBATCH --time=00:30:00
#SBATCH --output=results/search-llama/slurm-%A_%a.log
set -euo pipefail
exec .build/release/simulate search \
    --model meta-llama/Llama-3.1-8B-Instruct,meta-llama/Llama-3.1-70B-Instruct \
    --hardware A100,H100,L40,A6000 --tp 1,2,4,8 --replicas 1,2,4 --max-num-seqs 128,256 \
    --slo-ttft-ms 500 --slo-tpot-ms 50 --requests 1000 \
    --jobs "${SLURM_CPUS_PER_TASK:-4}" --out results/search-llama
