//! Runs every build-time rule crate once: tonic-build and prost-build (protoc from the
//! builder), and the git-metadata crates, each failing the build when it cannot read
//! the repository.
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    // tonic-build (through tonic-prost-build) runs $PROTOC, which the builder sets.
    tonic_prost_build::configure()
        .build_client(false)
        .build_server(false)
        .compile_protos(&["proto/kitchen.proto"], &["proto"])?;

    // prost-build directly, also with $PROTOC.
    prost_build::compile_protos(&["proto/pantry.proto"], &["proto"])?;

    // vergen-git2 reads the repository with libgit2: VERGEN_GIT_SHA.
    let git2 = vergen_git2::Git2::builder().sha(false).build();
    vergen_git2::Emitter::default().fail_on_error().add_instructions(&git2)?.emit()?;

    // vergen-gitcl runs git: VERGEN_GIT_COMMIT_MESSAGE.
    let gitcl = vergen_gitcl::Gitcl::builder().commit_message(true).build();
    vergen_gitcl::Emitter::default().fail_on_error().add_instructions(&gitcl)?.emit()?;

    // vergen 8 with gitcl runs git: VERGEN_GIT_BRANCH and VERGEN_GIT_COMMIT_COUNT.
    vergen8::EmitBuilder::builder().fail_on_error().git_branch().git_commit_count().emit()?;

    // built with git2: GIT_COMMIT_HASH in built.rs.
    built::write_built_file()?;

    // shadow-rs (git2): COMMIT_HASH and BRANCH in shadow.rs.
    shadow_rs::ShadowBuilder::builder().build()?;

    // openssl-sys on the build platform: the build script calls the builder's OpenSSL, and the binary prints its version.
    openssl_sys::init();
    let build_openssl = unsafe { std::ffi::CStr::from_ptr(openssl_sys::OpenSSL_version(openssl_sys::OPENSSL_VERSION)) };
    println!("cargo:rustc-env=KITCHEN_BUILD_PLATFORM_OPENSSL={}", build_openssl.to_string_lossy());
    Ok(())
}
