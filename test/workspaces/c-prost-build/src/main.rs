//! Compiles a .proto with prost-build at build time (needs protoc).
pub mod hello {
    include!(concat!(env!("OUT_DIR"), "/hello.rs"));
}
use prost::Message;
fn main() {
    let msg = hello::Greeting { text: "hi".into(), count: 3 };
    println!("c-prost-build encoded {} bytes", msg.encode_to_vec().len());
}
