//! Links zlib through libz-sys (built from its bundled sources when cross-compiling).
fn main() {
    let v = unsafe { std::ffi::CStr::from_ptr(libz_sys::zlibVersion()) };
    println!("c-libz zlib {}", v.to_str().unwrap());
}
