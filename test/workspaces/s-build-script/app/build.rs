fn main() {
    let answer = std::env::var("DEP_GEN_ANSWER").expect("gen's build script sets DEP_GEN_ANSWER");
    println!("cargo::rustc-env=GEN_ANSWER={answer}");
    println!("cargo::rerun-if-env-changed=DEP_GEN_ANSWER");
}
