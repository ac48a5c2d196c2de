//! One binary over many C-dependency and build-time rule crates (one cook): every C
//! library is called, and every build-time crate's output is printed, one line each.
use std::ffi::CStr;
use std::io::{Read, Write};
use std::os::raw::c_char;

use prost::Message;

mod kitchen {
    include!(concat!(env!("OUT_DIR"), "/kitchen.rs"));
}
mod pantry {
    include!(concat!(env!("OUT_DIR"), "/pantry.rs"));
}
mod built_info {
    include!(concat!(env!("OUT_DIR"), "/built.rs"));
}
shadow_rs::shadow!(build);

extern "C" {
    // In the bzip2 library that bzip2-sys compiles (bzip2-sys does not declare it).
    fn BZ2_bzlibVersion() -> *const c_char;
}

const TEXT: &[u8] = b"kitchen kitchen kitchen kitchen kitchen kitchen kitchen kitchen";

fn c_str(p: *const c_char) -> String {
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

fn main() {
    // bzip2-sys (through bzip2): round trip, and the library's version.
    let mut enc = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
    enc.write_all(TEXT).unwrap();
    let packed = enc.finish().unwrap();
    let mut back = Vec::new();
    bzip2::read::BzDecoder::new(&packed[..]).read_to_end(&mut back).unwrap();
    assert_eq!(back, TEXT);
    let bz = c_str(unsafe { BZ2_bzlibVersion() });
    println!("c-kitchen bzip2-sys libbzip2 {} round trip {} bytes", bz.split(',').next().unwrap(), back.len());

    // lzma-sys (through xz2).
    let mut enc = xz2::write::XzEncoder::new(Vec::new(), 6);
    enc.write_all(TEXT).unwrap();
    let packed = enc.finish().unwrap();
    let mut back = Vec::new();
    xz2::read::XzDecoder::new(&packed[..]).read_to_end(&mut back).unwrap();
    assert_eq!(back, TEXT);
    println!("c-kitchen lzma-sys liblzma {} round trip {} bytes", c_str(unsafe { lzma_sys::lzma_version_string() }), back.len());

    // pq-sys with "bundled": libpq from pq-src, over the vendored OpenSSL.
    let pq = unsafe { pq_sys::PQlibVersion() };
    let ssl = c_str(unsafe { openssl_sys::OpenSSL_version(openssl_sys::OPENSSL_VERSION) });
    println!("c-kitchen pq-sys libpq {} with {}", pq, ssl.split(' ').take(2).collect::<Vec<_>>().join(" "));

    // openssl-sys compiled for the build platform (the build script's, without "vendored"): the OpenSSL it called.
    println!("c-kitchen build-platform openssl-sys {}", env!("KITCHEN_BUILD_PLATFORM_OPENSSL").split(' ').take(2).collect::<Vec<_>>().join(" "));

    // tonic-build: a message it generated.
    let order = kitchen::Order { dish: "soup".into(), count: 2 };
    let bytes = order.encode_to_vec();
    assert_eq!(kitchen::Order::decode(&bytes[..]).unwrap(), order);
    println!("c-kitchen tonic-build Order encoded {} bytes", bytes.len());

    // prost-build: a message it generated.
    let shelf = pantry::Shelf { items: vec!["salt".into(), "pepper".into()] };
    println!("c-kitchen prost-build Shelf encoded {} bytes", shelf.encode_to_vec().len());

    // onig_sys (a bundled native crate no rule knows), through onig.
    let re = onig::Regex::new(r"(\w+)@(\w+)").unwrap();
    let caps = re.captures("mail chef@kitchen now").unwrap();
    println!("c-kitchen onig_sys oniguruma {} matched {}", onig::version(), caps.at(0).unwrap());

    // wasm-bindgen-shared (links = "wasm_bindgen", no compiler or probe: links-only).
    println!("c-kitchen wasm-bindgen-shared schema {}", wasm_bindgen_shared::SCHEMA_VERSION);

    // The git-metadata crates: each must have read the repository of the build context.
    println!("c-kitchen git-version {}", git_version::git_version!(args = ["--always", "--abbrev=40"]));
    println!("c-kitchen shadow-rs {} on {}", build::COMMIT_HASH, build::BRANCH);
    println!("c-kitchen vergen-git2 {}", env!("VERGEN_GIT_SHA"));
    println!("c-kitchen built {}", built_info::GIT_COMMIT_HASH.unwrap_or("none"));
    println!("c-kitchen vergen-gitcl {}", env!("VERGEN_GIT_COMMIT_MESSAGE"));
    println!("c-kitchen vergen gitcl {} with {} commit(s)", env!("VERGEN_GIT_BRANCH"), env!("VERGEN_GIT_COMMIT_COUNT"));
}
