# tokens.tfquery.hcl — run `terraform query` (Terraform >= 1.14) to list the CI service
# tokens, or `terraform query -generate-config-out=generated.tf` to write import blocks
# and resources for them.
list "launchdarkly_access_token" "ci" {
  provider         = launchdarkly
  include_resource = true

  config {
    name_regex    = "^ci-"
    service_token = true
  }
}
