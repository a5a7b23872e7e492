//! Compiles the workspace's `proto/*.proto` into Rust with protox (a pure-Rust protobuf
//! compiler), so building needs no system `protoc`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protos = [
        "../../proto/tfplugin5.proto",
        "../../proto/tfplugin5_types.proto",
        "../../proto/tfplugin5_rpcs.proto",
        "../../proto/plugin.proto",
    ];
    for p in &protos {
        println!("cargo:rerun-if-changed={p}");
    }
    let descriptors = protox::compile(protos, ["../../proto"])?;
    tonic_prost_build::configure()
        .build_server(true)
        // Clients are generated for the protocol tests, which talk to the
        // provider binary exactly as Terraform does.
        .build_client(true)
        .compile_fds(descriptors)?;
    Ok(())
}
