terraform {
  required_providers {
    launchdarkly = {
      source = "launchdarkly/launchdarkly"
    }
  }
}

# Credentials and host come from LAUNCHDARKLY_ACCESS_TOKEN and
# LAUNCHDARKLY_API_HOST (scripts/quickstart.sh points them at the emulator).
provider "launchdarkly" {}

# A read-only service token for CI, rotated whenever `rotation` changes;
# the previous secret keeps working for a day so running jobs can finish.
resource "launchdarkly_access_token" "ci" {
  name                  = "quickstart-ci"
  description           = "Read-only token for CI pipelines"
  role                  = "reader"
  service_token         = true
  rotation_triggers     = { rotation = "1" }
  rotation_grace_period = "24h"
}

# A token limited by an inline policy: may only toggle flags in production.
resource "launchdarkly_access_token" "toggler" {
  name = "quickstart-toggler"
  inline_roles {
    effect    = "allow"
    resources = ["proj/*:env/production:flag/*"]
    actions   = ["updateOn"]
  }
}

output "ci_token_id" {
  value = launchdarkly_access_token.ci.id
}

output "toggler_token_id" {
  value = launchdarkly_access_token.toggler.id
}

output "ci_token" {
  value     = launchdarkly_access_token.ci.token
  sensitive = true
}
