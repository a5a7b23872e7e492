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

# Tokens not used for 90 days (last_used is null for tokens never used).
output "stale_tokens" {
  value = [
    for t in data.launchdarkly_access_tokens.all.tokens : t.name
    if timecmp(coalesce(t.last_used, "1970-01-01T00:00:00Z"), timeadd(plantimestamp(), "-2160h")) < 0
  ]
}
