# By name: exactly one visible token must have it.
data "launchdarkly_access_token" "deploy" {
  name = "deploy-bot"
}

# By ID, e.g. a token managed elsewhere in this configuration.
resource "launchdarkly_access_token" "ci" {
  name = "ci"
  role = "reader"
}

data "launchdarkly_access_token" "ci" {
  id = launchdarkly_access_token.ci.id
}

output "deploy_role" {
  value = data.launchdarkly_access_token.deploy.role
}
