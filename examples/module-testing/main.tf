# A small module under test: one CI service token per pipeline, limited by a custom role,
# rotated when `rotation` changes. tests/ci_tokens.tftest.hcl tests it with
# `terraform test` against the LaunchDarkly emulator (see README.md).

terraform {
  required_providers {
    launchdarkly = {
      source = "launchdarkly/launchdarkly"
    }
  }
}

variable "pipelines" {
  description = "Pipeline names; each gets a service token named ci-<pipeline>."
  type        = set(string)

  validation {
    condition     = alltrue([for p in var.pipelines : can(regex("^[a-z0-9-]+$", p))])
    error_message = "Pipeline names are lower-case letters, digits and dashes."
  }
}

variable "custom_role" {
  description = "Key of the custom role limiting the tokens."
  type        = string
  default     = "ci-reader"
}

variable "rotation" {
  description = "Change to rotate every token (the old secrets keep working for an hour)."
  type        = string
  default     = "1"
}

resource "launchdarkly_access_token" "pipeline" {
  for_each = var.pipelines

  name                  = "ci-${each.key}"
  description           = "CI token for the ${each.key} pipeline"
  service_token         = true
  custom_roles          = [var.custom_role]
  rotation_triggers     = { rotation = var.rotation }
  rotation_grace_period = "1h"
}

output "token_ids" {
  description = "Token ID by pipeline."
  value       = { for k, t in launchdarkly_access_token.pipeline : k => t.id }
}

output "tokens" {
  description = "Token secret by pipeline."
  value       = { for k, t in launchdarkly_access_token.pipeline : k => t.token }
  sensitive   = true
}
