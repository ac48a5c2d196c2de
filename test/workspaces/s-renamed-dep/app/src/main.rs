fn main() {
    let mut buf = fmt::Buffer::new();
    println!("app: {} via {}", buf.format(core::answer()), core::NAME);
}
