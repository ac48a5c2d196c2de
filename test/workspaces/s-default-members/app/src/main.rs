fn main() {
    println!("app: {}", lib::describe(5));
}
