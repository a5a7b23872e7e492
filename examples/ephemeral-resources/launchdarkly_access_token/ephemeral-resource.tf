# A read-only service token that exists only for this run: it configures a second
# provider, which reads through it; the token is deleted when the run ends and its
# secret is never written to a plan file or the state (Terraform >= 1.10).
ephemeral "launchdarkly_access_token" "ci" {
  name          = "ci-read-only"
  role          = "reader"
  service_token = true
}

provider "launchdarkly" {
  alias        = "read_only"
  access_token = ephemeral.launchdarkly_access_token.ci.token
}

data "launchdarkly_access_tokens" "service" {
  provider      = launchdarkly.read_only
  service_token = true
}
