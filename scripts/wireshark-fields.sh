#!/usr/bin/env bash
# Wireshark's own field list, for the catalog check (dissect.WiresharkFieldsTest): every display-filter field
# and protocol of the installed tshark as "name<TAB>type<TAB>protocol" (protocols as FT_PROTOCOL), gzipped, in
# src/test/resources/wireshark/fields-<version>.tsv.gz. Run it when the tests' tshark changes version, then
# point WiresharkFieldsTest.VERSION at the new file.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(tshark --version | head -1 | sed -E 's/^TShark \(Wireshark\) ([0-9.]+).*/\1/')
out=src/test/resources/wireshark/fields-$version.tsv.gz
mkdir -p "$(dirname "$out")"
{
  echo "# tshark -G fields: name, type, protocol. $(tshark --version | head -1)"
  echo "# Regenerate with scripts/wireshark-fields.sh"
  tshark -G fields 2>/dev/null | awk -F'\t' '$1=="F" {print $3"\t"$4"\t"$5} $1=="P" {print $3"\tFT_PROTOCOL\t"$3}' | LC_ALL=C sort -u
} | gzip -9n > "$out"
echo "$out: $(zcat "$out" | grep -vc '^#') fields and protocols"
