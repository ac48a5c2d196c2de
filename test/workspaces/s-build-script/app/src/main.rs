fn main() {
    println!("app: {} (answer {})", gen::GENERATED, env!("GEN_ANSWER"));
}
