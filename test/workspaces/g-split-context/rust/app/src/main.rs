fn main() { println!("{}", common::greeting()); }
