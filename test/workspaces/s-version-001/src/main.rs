fn main() {
    let mut buf = itoa::Buffer::new();
    println!("early: {}", buf.format(1u8));
}
