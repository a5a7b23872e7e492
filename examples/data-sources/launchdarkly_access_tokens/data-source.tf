# Every token the provider's credential can see (Admin: everyone's, with show_all).
data "launchdarkly_access_tokens" "all" {
  show_all = true
}

# Service tokens whose names start with "ci-".
data "launchdarkly_access_tokens" "ci" {
  name_regex    = "^ci-"
  service_token = true
}

output "ci_token_ids" {
  value = data.launchdarkly_access_tokens.ci.ids
}

# Tokens to retire: unused for 90 days (or never used and older than that).
# examples/audit shows the same as a `check` block that warns on every run.
data "launchdarkly_access_tokens" "stale" {
  show_all   = true
  unused_for = "2160h"
}

output "stale_tokens" {
  value = data.launchdarkly_access_tokens.stale.tokens[*].name
}

# Tokens created during January 2026.
data "launchdarkly_access_tokens" "january" {
  created_after  = "2026-01-01T00:00:00Z"
  created_before = "2026-02-01T00:00:00Z"
}
