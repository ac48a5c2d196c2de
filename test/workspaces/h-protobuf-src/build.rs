//! prost-build with the protoc that protobuf-src compiles from source (not the builder's).
use std::{env, error::Error, fs, path::PathBuf, process::Command};

fn main() -> Result<(), Box<dyn Error>> {
    let protoc = protobuf_src::protoc();
    let version = Command::new(&protoc).arg("--version").output()?;
    let out = PathBuf::from(env::var("OUT_DIR")?);
    fs::write(out.join("protoc-version.txt"), String::from_utf8(version.stdout)?.trim())?;
    prost_build::Config::new().protoc_executable(&protoc).compile_protos(&["proto/pantry.proto"], &["proto"])?;
    Ok(())
}
