fn main() {
    println!("app: the proc macro made {}", app::shown());
}
