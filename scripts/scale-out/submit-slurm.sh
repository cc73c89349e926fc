#!/bin/bash
# Submits a sharded sweep as a Slurm job array plus a merge job that runs when every shard has succeeded.
#   scripts/scale-out/submit-slurm.sh SHARDS SCENARIO [sweep options…]
#   scripts/scale-out/submit-slurm.sh 8 Scenarios/us-east-1-2025-10-20.yaml --grid resolvers.vpc-1.maxNegativeTTL=300,900,3600 --runs 20
# The merged result is $OUT/../sweep.ndjson (OUT defaults to sweep-shards).
set -euo pipefail
shards=${1:?usage: submit-slurm.sh SHARDS SCENARIO [sweep options…]}
shift
here=$(cd "$(dirname "$0")" && pwd)
dnscascade=${DNSCASCADE:-dnscascade}
out=${OUT:-sweep-shards}
array=$(sbatch --parsable --array="0-$((shards - 1))" --export=ALL "$here/slurm-sweep.sbatch" "$@")
sbatch --dependency="afterok:$array" --job-name=dnscascade-merge --output=sweep-merge-%j.log \
    --wrap="$dnscascade merge $out/shard-*.ndjson -o $out/../sweep.ndjson"
