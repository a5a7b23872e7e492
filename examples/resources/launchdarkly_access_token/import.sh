# Import by token ID. LaunchDarkly never returns a token's secret after it is
# created, so `token` stays null until the next rotation.
terraform import launchdarkly_access_token.reader 61095542756dba551110ae21
