#!/usr/bin/env bash
# Checks issue 13's rule for `launchdarkly_access_token`: each attribute name (attributes,
# nested blocks and their attributes, as in the golden schema) appears as a string literal
# at most once in the provider's source outside tests and docs. The names are written once,
# as fields of `tfplugin::object!` structs (src/provider/access_token/schema.rs); code refers
# to fields or to the generated constants (`TokenModel::role`), never to "role".
#
# How: for every .rs file under src/ — except the data sources (src/provider/data_sources/,
# other schemas that share some names, e.g. `id`) and the docs generator (src/docs.rs) — take
# the lines before its `#[cfg(test)]` (test files, `*tests.rs`, are skipped), drop `//`
# comments, and count the literals `"<name>"`. Prose that mentions a name is not a literal.
# State upgrades keep the current names (schema version 0 of the official provider has the
# same ones), so one limit covers every schema version.
set -euo pipefail
cd "$(dirname "$0")/.."
names=$(jq -r '.resource_schemas.launchdarkly_access_token.block
  | [(.attributes // {} | keys[]),
     (.block_types // {} | to_entries[] | .key, (.value.block.attributes // {} | keys[]))]
  | unique[]' tests/golden/providers-schema.json)
source_lines=$(
  find src -name '*.rs' ! -name '*tests.rs' ! -path 'src/provider/data_sources/*' ! -path src/docs.rs |
    sort | while read -r f; do
      awk -v f="$f" '/^#\[cfg\(test\)\]/ { exit } { sub(/\/\/.*/, ""); print f ":" FNR ": " $0 }' "$f"
    done
)
fail=0
checked=0
for n in $names; do
  hits=$(grep -F "\"$n\"" <<<"$source_lines" || true)
  count=$( (grep -oF "\"$n\"" <<<"$source_lines" || true) | wc -l)
  checked=$((checked + 1))
  if [ "$count" -gt 1 ]; then
    echo "attribute names: \"$n\" is written $count times (write it once, refer to the field or its constant):"
    echo "$hits"
    fail=1
  fi
done
if [ "$checked" = 0 ]; then
  echo "attribute names: no launchdarkly_access_token attributes found in tests/golden/providers-schema.json"
  exit 1
fi
if [ "$fail" = 0 ]; then
  echo "attribute names: each of the $checked launchdarkly_access_token attribute names is a string literal at most once in src/"
fi
exit "$fail"
