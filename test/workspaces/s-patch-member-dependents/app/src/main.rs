// Never compiled: synthesis refuses this shape before any build.
fn main() {}
