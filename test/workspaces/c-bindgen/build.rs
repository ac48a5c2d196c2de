fn main() {
    println!("cargo:rerun-if-changed=c/point.h");
    println!("cargo:rerun-if-changed=c/point.c");
    cc::Build::new().file("c/point.c").compile("point");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    bindgen::Builder::default()
        .header("c/point.h")
        .generate()
        .expect("bindgen")
        .write_to_file(out.join("bindings.rs"))
        .unwrap();
}
