#!/usr/bin/env bash
# Checks the arrows between the crates (ARCHITECTURE.md) that Cargo alone does not:
# the provider binary links no web framework (axum: the emulator's, or tonic's router),
# and the plugin framework crate neither speaks HTTP (reqwest) nor names LaunchDarkly.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
provider_tree=$(cargo tree --locked -p terraform-provider-launchdarkly -e normal --prefix none)
if grep -qE '^axum ' <<<"$provider_tree"; then
  echo "layers: the provider binary depends on axum:"; cargo tree -p terraform-provider-launchdarkly -e normal -i axum; fail=1
fi
framework_tree=$(cargo tree --locked -p tfplugin -e normal --prefix none)
for dep in reqwest axum launchdarkly-api launchdarkly-emulator; do
  if grep -qE "^$dep " <<<"$framework_tree"; then
    echo "layers: the framework crate tfplugin depends on $dep"; fail=1
  fi
done
if grep -rniI 'launchdarkly' crates/tfplugin; then
  echo "layers: the framework crate tfplugin names LaunchDarkly (lines above)"; fail=1
fi
if [ "$fail" = 0 ]; then
  echo "layers: provider binary has no axum; tfplugin has no reqwest/axum and never names LaunchDarkly"
fi
exit "$fail"
