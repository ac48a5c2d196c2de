fn main() {
    let mut buf = itoa::Buffer::new();
    let n = 255u64;
    println!("app: {} is {}", buf.format(n), local_itoa::hex(n));
}
