fn main() {
    let mut buf = itoa::Buffer::new();
    println!("app: {} from {}", buf.format(7u32), itoa::FORK);
}
