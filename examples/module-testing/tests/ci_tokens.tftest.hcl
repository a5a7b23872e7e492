# `terraform test` (Terraform >= 1.6) against the LaunchDarkly emulator, started with
# --preload ../emulator-preload.json (the custom role flag-editor and the token existing-ci
# exist only there). LAUNCHDARKLY_API_HOST and LAUNCHDARKLY_ACCESS_TOKEN point at it.

variables {
  pipelines   = ["build", "deploy"]
  custom_role = "flag-editor"
}

run "one_service_token_per_pipeline" {
  assert {
    condition     = length(launchdarkly_access_token.pipeline) == 2
    error_message = "One token per pipeline."
  }
  assert {
    condition     = alltrue([for t in launchdarkly_access_token.pipeline : t.service_token])
    error_message = "Every token is a service token."
  }
  assert {
    condition     = launchdarkly_access_token.pipeline["build"].name == "ci-build"
    error_message = "Tokens are named ci-<pipeline>."
  }
  assert {
    condition     = launchdarkly_access_token.pipeline["deploy"].custom_roles == toset(["flag-editor"])
    error_message = "Tokens carry the custom role."
  }
}

run "rotation_keeps_the_tokens" {
  variables {
    rotation = "2"
  }
  assert {
    condition     = output.token_ids == run.one_service_token_per_pipeline.token_ids
    error_message = "Rotating a secret must not replace the token."
  }
}

run "the_tokens_are_visible_to_other_workspaces" {
  module {
    source = "./tests/lookup"
  }
  variables {
    name = "ci-build"
  }
  assert {
    condition     = length(output.ids) == 1 && contains(output.ids, run.rotation_keeps_the_tokens.token_ids["build"])
    error_message = "The data source finds the token by name."
  }
}

run "the_preloaded_token_is_there" {
  module {
    source = "./tests/lookup"
  }
  variables {
    name = "existing-ci"
  }
  assert {
    condition     = length(output.ids) == 1
    error_message = "The emulator was started with --preload emulator-preload.json."
  }
}

run "bad_pipeline_names_fail_the_plan" {
  command = plan
  variables {
    pipelines = ["Build Pipeline"]
  }
  expect_failures = [var.pipelines]
}
