//! Calls into libmysqlclient (no server needed): its version.
use std::ffi::CStr;

fn main() {
    let info = unsafe { CStr::from_ptr(mysqlclient_sys::mysql_get_client_info()) }.to_string_lossy().into_owned();
    let version = unsafe { mysqlclient_sys::mysql_get_client_version() };
    println!("h-mysqlclient-sys libmysqlclient {info} ({version})");
}
