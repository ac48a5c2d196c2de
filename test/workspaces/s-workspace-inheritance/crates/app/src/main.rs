fn main() {
    let mut buf = itoa::Buffer::new();
    println!("app: {} says {}", buf.format(3u8), shared::greeting());
}
