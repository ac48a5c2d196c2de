fn main() {
    let mut buf = itoa::Buffer::new();
    println!("app: {} {}", util::word(), buf.format(0u8));
}
