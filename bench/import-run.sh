#!/usr/bin/env bash
# Import benchmark: one synthetic school of N pupils (SIECLE élèves + responsables + STS-web), imported into a
# fresh SQLite database through the real command, then imported again (nothing changes), then a dry run.
# Usage: bench/import-run.sh PUPILS [UAI]
set -euo pipefail
cd "$(dirname "$0")/.."
pupils="${1:-1500}"; uai="${2:-0759001K}"
work=$(mktemp -d /tmp/preau-import-bench.XXXXXX)
python3 bench/import-samples.py "$uai" "$pupils" "$work/files"
dotnet build src/Preau.Web -c Release -v q >/dev/null
# Wall time depends on what else runs on the machine: CPU seconds (user + sys) and the load average are printed too.
run() {
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "  => %U s user, %S s sys, %M KB max RSS" dotnet src/Preau.Web/bin/Release/net10.0/Preau.Web.dll import --school "$uai" --create-school "Collège de banc d'essai" \
    --eleves "$work/files/eleves.xml" --responsables "$work/files/responsables.xml" --sts "$work/files/sts.xml" \
    --Database:Provider Sqlite --Database:ConnectionString "Data Source=$work/preau.db" --Storage:DataDirectory "$work/data" "$@" 2>&1 | grep -v "^warn:\|^      " || true
  end=$(date +%s.%N)
  echo "  => $(echo "$end - $start" | bc) s wall, load average $(cut -d' ' -f1 /proc/loadavg)"
}
echo "first import:"; run --accounts-out "$work/comptes.csv"
if [ "${FIRST_ONLY:-0}" != 1 ]; then
  echo "same files again:"; run
  echo "dry run:"; run --dry-run
fi
rm -rf "$work"
