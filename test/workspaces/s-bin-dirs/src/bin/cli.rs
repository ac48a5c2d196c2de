fn main() {
    println!("cli: {}", multi::render(2));
}
