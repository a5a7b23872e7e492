# A helper module for the tests: reads tokens by name, as another workspace would.

terraform {
  required_providers {
    launchdarkly = {
      source = "launchdarkly/launchdarkly"
    }
  }
}

variable "name" {
  type = string
}

data "launchdarkly_access_tokens" "found" {
  name = var.name
}

output "ids" {
  value = data.launchdarkly_access_tokens.found.ids
}
