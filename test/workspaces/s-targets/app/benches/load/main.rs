mod helper;

fn main() {
    println!("bench: {}", helper::run());
}
