terraform {
  required_providers {
    launchdarkly = {
      source = "launchdarkly/launchdarkly"
    }
  }
}

# The quickstart script points the provider at the local emulator through
# LAUNCHDARKLY_API_HOST and LAUNCHDARKLY_ACCESS_TOKEN.
provider "launchdarkly" {}
