//! Feeds arbitrary bytes to the DynamicValue decoders against a schema-like
//! type (what Terraform would send for a resource): they must return an
//! error, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tfld::framework::json::{self, ObjectMode};
use tfld::framework::{msgpack, Type};

fuzz_target!(|data: &[u8]| {
    let statement = Type::object([
        ("effect", Type::String),
        ("resources", Type::list(Type::String)),
        ("actions", Type::list(Type::String)),
    ]);
    let ty = Type::object([
        ("id", Type::String),
        ("name", Type::String),
        ("expire", Type::Number),
        ("service_token", Type::Bool),
        ("custom_roles", Type::set(Type::String)),
        ("rotation_triggers", Type::map(Type::String)),
        ("inline_roles", Type::list(statement)),
        ("extra", Type::Dynamic),
    ]);
    let _ = msgpack::decode(data, &ty);
    let _ = json::decode(data, &ty, ObjectMode::Lenient);
});
