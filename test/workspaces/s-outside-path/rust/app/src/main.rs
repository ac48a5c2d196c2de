fn main() {
    let mut buf = itoa::Buffer::new();
    println!("app: {} and {}", shared::name(), buf.format(9u8));
}
