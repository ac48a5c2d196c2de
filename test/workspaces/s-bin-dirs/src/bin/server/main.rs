mod routes;

fn main() {
    println!("server: routes {}", routes::list().join(","));
}
