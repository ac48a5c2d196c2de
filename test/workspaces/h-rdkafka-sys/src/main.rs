//! Calls into librdkafka (no broker needed): its version, and a configuration object.
use std::ffi::{CStr, CString};

fn main() {
    let version = unsafe { CStr::from_ptr(rdkafka_sys::rd_kafka_version_str()) }.to_string_lossy().into_owned();
    let conf = unsafe { rdkafka_sys::rd_kafka_conf_new() };
    let (key, value) = (CString::new("client.id").unwrap(), CString::new("kitchen").unwrap());
    let mut err = [0 as std::os::raw::c_char; 256];
    let res = unsafe { rdkafka_sys::rd_kafka_conf_set(conf, key.as_ptr(), value.as_ptr(), err.as_mut_ptr(), err.len()) };
    unsafe { rdkafka_sys::rd_kafka_conf_destroy(conf) };
    println!("h-rdkafka-sys librdkafka {version} conf_set={}", res as i32);
}
