//! Generates bindings with bindgen at build time (needs libclang) and links C compiled with cc.
#![allow(non_camel_case_types, non_upper_case_globals, dead_code)]
include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
fn main() {
    let p = point { x: 3, y: 4 };
    println!("c-bindgen norm2={} scale={}", unsafe { point_norm2(p) }, SCALE);
}
