//! Calls into libdbus (no bus needed): its version, and a message built in memory.
use std::ffi::{CStr, CString};
use std::os::raw::c_int;

extern "C" {
    // In libdbus (dbus-misc.c); libdbus-sys does not declare it.
    fn dbus_get_version(major: *mut c_int, minor: *mut c_int, micro: *mut c_int);
}

fn main() {
    let (mut major, mut minor, mut micro) = (0, 0, 0);
    unsafe { dbus_get_version(&mut major, &mut minor, &mut micro) };
    let dest = CString::new("org.example.Kitchen").unwrap();
    let path = CString::new("/org/example/Kitchen").unwrap();
    let iface = CString::new("org.example.Kitchen").unwrap();
    let method = CString::new("Ping").unwrap();
    let member = unsafe {
        let msg = libdbus_sys::dbus_message_new_method_call(dest.as_ptr(), path.as_ptr(), iface.as_ptr(), method.as_ptr());
        assert!(!msg.is_null());
        let member = CStr::from_ptr(libdbus_sys::dbus_message_get_member(msg)).to_string_lossy().into_owned();
        libdbus_sys::dbus_message_unref(msg);
        member
    };
    println!("n-probe libdbus {major}.{minor}.{micro} method call {member}");
}
