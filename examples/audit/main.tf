# A stale-token audit: warn on every plan and apply when tokens have gone unused
# for 90 days (or were never used and are older than that). A failed check is a
# warning, never an error: the run goes on and the names are in the message.
check "no_stale_tokens" {
  data "launchdarkly_access_tokens" "stale" {
    show_all   = true
    unused_for = "2160h"
  }

  assert {
    condition     = length(data.launchdarkly_access_tokens.stale.ids) == 0
    error_message = "Tokens unused for 90 days: ${join(", ", [for t in data.launchdarkly_access_tokens.stale.tokens : coalesce(t.name, t.id)])}. Retire them or use them."
  }
}
