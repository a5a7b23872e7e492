# A reader token.
resource "launchdarkly_access_token" "reader" {
  name = "reader-token"
  role = "reader"
}

# A service token limited by custom roles (keys), rotated monthly on
# Terraform >= 1.5; the old secret stays valid for 48 hours.
resource "launchdarkly_access_token" "deployer" {
  name          = "deployer"
  description   = "Used by the deploy pipeline"
  custom_roles  = ["deployer"]
  service_token = true

  rotation_triggers     = { month = formatdate("YYYY-MM", plantimestamp()) }
  rotation_grace_period = "48h"
}

# An inline policy.
resource "launchdarkly_access_token" "toggler" {
  name = "flag-toggler"
  inline_roles {
    effect    = "allow"
    resources = ["proj/*:env/production:flag/*"]
    actions   = ["updateOn"]
  }
}
