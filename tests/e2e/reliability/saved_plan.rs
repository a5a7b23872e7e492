//! A saved plan applies after a change made in the UI since the plan.

use super::tf;
use crate::support::*;

#[test]
fn a_saved_plan_applies_after_a_change_in_the_ui() {
    let lab = Lab::new(&tf(
        "variable \"name\" {\n  type = string\n}\n\nresource \"launchdarkly_access_token\" \"s\" {\n  name = var.name\n  role = \"reader\"\n}",
    ));
    ok(
        lab.wd.run(&[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-var",
            "name=saved-1",
        ]),
        "apply",
    );
    ok(
        lab.wd.run(&[
            "plan",
            "-input=false",
            "-no-color",
            "-var",
            "name=saved-2",
            "-out",
            "p.bin",
        ]),
        "plan -out",
    );
    let (id, _) = tokens_in(&lab.wd)["launchdarkly_access_token.s"].clone();
    // Someone changes the role and the description in the UI after the plan.
    lab.rt
        .block_on(lab.admin_client().patch_token(
            &id,
            &[
                tfld::models::PatchOperation::replace("/role", "writer"),
                tfld::models::PatchOperation::replace("/description", "changed in the UI"),
            ],
        ))
        .expect("UI change");
    let out = lab.apply_saved_plan("p.bin");
    assert!(!out.contains("inconsistent result"), "{out}");
    let server = lab.server_tokens();
    assert_eq!(server.len(), 1);
    assert_eq!(server[0].name.as_deref(), Some("saved-2"));
    assert_eq!(server[0].role.as_deref(), Some("reader"), "the plan wins");
    assert_eq!(server[0].description.as_deref().unwrap_or_default(), "");
    lab.assert_server_matches_state();
    let o = lab.wd.run(&[
        "plan",
        "-detailed-exitcode",
        "-input=false",
        "-no-color",
        "-var",
        "name=saved-2",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}
