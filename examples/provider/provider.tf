terraform {
  required_providers {
    launchdarkly = {
      source = "launchdarkly/launchdarkly"
    }
  }
}

# Credentials usually come from LAUNCHDARKLY_ACCESS_TOKEN.
provider "launchdarkly" {
  # access_token = var.launchdarkly_access_token
  # api_host     = "https://app.launchdarkly.com"
  # http_timeout = 20
}
