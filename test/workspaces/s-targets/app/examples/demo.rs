fn main() {
    println!("demo: {}", app::shown());
}
